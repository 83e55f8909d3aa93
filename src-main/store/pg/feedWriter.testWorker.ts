import { workerData, parentPort } from 'node:worker_threads';
import { openPgStore } from './index';
import { startPgWorkerForTests } from './testing';

/** A writer for feed.test.ts: its own connection (as another hub process would have), appending in transactions. */
const { url, writer, transactions } = workerData as { url: string; writer: number; transactions: number };
const store = openPgStore(url, startPgWorkerForTests);
for (let i = 0; i < transactions; i++) {
  store.tx(() => {
    // Two rows per transaction, with a read between them: a transaction holds the feed head meanwhile.
    store.changes.append('test', `w${writer}-${i}-a`, 'upsert', { writer, i }, Date.now());
    store.changes.count();
    store.changes.append('test', `w${writer}-${i}-b`, 'upsert', { writer, i }, Date.now());
  });
}
store.close();
parentPort!.postMessage('done');
