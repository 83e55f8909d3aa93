import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, test } from 'vitest';
import { openPgStore } from './index';
import { freshPgDatabase, pgUnavailable, startPgWorkerForTests } from './testing';

const why = pgUnavailable();
if (why) process.stderr.write(`skipping the PostgreSQL feed tests: ${why}\n`);

function writer(url: string, index: number, transactions: number): Promise<void> {
  const source = new URL('./feedWriter.testWorker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { url, writer: index, transactions } });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${index} exited ${code}`))));
  });
}

describe.skipIf(why !== null)('the change feed on PostgreSQL (issue 14)', () => {
  const stores: { close(): void }[] = [];
  afterAll(() => stores.forEach((s) => s.close()));

  test('stays gap-free and in commit order under concurrent writers on their own connections', async () => {
    const url = freshPgDatabase('feed');
    const reader = openPgStore(url, startPgWorkerForTests);
    stores.push(reader);
    const WRITERS = 4;
    const TRANSACTIONS = 40;
    const total = WRITERS * TRANSACTIONS * 3;
    let done = false;
    const running = Array.from({ length: WRITERS }, (_, i) => writer(url, i, TRANSACTIONS));
    // Done once every writer has ended (a failed one fails the test below, after the others finish).
    const writers = Promise.allSettled(running).then((outcomes) => {
      done = true;
      for (const o of outcomes) if (o.status === 'rejected') throw o.reason;
    });
    // A reader pulling as desks do: every page it sees starts right after its cursor and has no hole,
    // so a row committed later can never land below a cursor already passed.
    let cursor = 0;
    const seen: string[] = [];
    for (;;) {
      const page = reader.changes.page(cursor, 50);
      for (const change of page) {
        expect(change.seq).toBe(cursor + 1);
        cursor = change.seq;
        seen.push(change.id);
      }
      if (done && page.length === 0 && cursor >= total) break;
      if (done && page.length === 0) {
        // Writers finished: what is left must be visible now.
        expect(reader.changes.head()).toBe(cursor);
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await writers;
    expect(cursor).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect(reader.changes.head()).toBe(total);
    // A transaction's three rows (one single, two in bulk) are neighbours, in order: writers never interleave inside one.
    for (let k = 0; k < seen.length; k += 3) {
      const tx = seen[k]!.replace(/-a$/, '');
      expect(seen.slice(k, k + 3)).toEqual([`${tx}-a`, `${tx}-b`, `${tx}-c`]);
    }
  });

  test('a rolled-back transaction leaves no gap, and the head survives a prune', () => {
    const store = openPgStore(freshPgDatabase('feed2'), startPgWorkerForTests);
    stores.push(store);
    store.tx(() => store.changes.append('test', 'a', 'upsert', {}, 1));
    expect(() =>
      store.tx(() => {
        store.changes.append('test', 'lost', 'upsert', {}, 2);
        throw new Error('no');
      }),
    ).toThrow('no');
    store.tx(() => store.changes.append('test', 'b', 'upsert', {}, 3));
    expect(store.changes.page(0, 10).map((c) => [c.seq, c.id])).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    store.tx(() => store.changes.prune(2));
    expect(store.changes.count()).toBe(0);
    expect(store.changes.head()).toBe(2);
    expect(store.changes.floor()).toBe(2);
    store.tx(() => store.changes.append('test', 'c', 'upsert', {}, 4));
    expect(store.changes.page(2, 10).map((c) => c.seq)).toEqual([3]);
  });
});
