import { workerData, parentPort } from 'node:worker_threads';
import { openPgStore } from './index';
import { startPgWorkerForTests } from './testing';

/**
 * A writer for feed.test.ts: its own connection (as another hub process would have), appending in
 * transactions: one row as a single write does (the trigger's seq), then two as a bulk insert does
 * (`INSERT INTO changes … SELECT`, their seqs taken in one step, dialect.ts `feedInBulk`).
 */
const { url, writer, transactions } = workerData as { url: string; writer: number; transactions: number };
const store = openPgStore(url, startPgWorkerForTests);
const bulk = store.db.prepare(
  `INSERT INTO changes (entity, entity_id, op, row, at)
   SELECT 'test', id, 'upsert', '{}', at FROM (SELECT ? AS id, ? AS at UNION ALL SELECT ? AS id, ? AS at) s ORDER BY id`,
);
for (let i = 0; i < transactions; i++) {
  store.tx(() => {
    // Three rows per transaction, with a read between them: a transaction holds the feed head meanwhile.
    store.changes.append('test', `w${writer}-${i}-a`, 'upsert', { writer, i }, Date.now());
    store.changes.count();
    bulk.run(`w${writer}-${i}-b`, Date.now(), `w${writer}-${i}-c`, Date.now());
  });
}
store.close();
parentPort!.postMessage('done');
