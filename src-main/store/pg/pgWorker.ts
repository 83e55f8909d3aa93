import { workerData, type MessagePort } from 'node:worker_threads';
import pg from 'pg';

/**
 * The PostgreSQL side of the synchronous bridge (syncPg.ts): one `pg` client on its own thread. The
 * store's thread posts a query and waits on a shared word (Atomics.wait); this thread runs it, posts
 * the answer back and wakes it. One connection, one query at a time: the store's code is sequential.
 */
type Data = { url: string; port: MessagePort; signal: Int32Array };
const { url, port, signal } = workerData as Data;

// Integers come back as numbers, as SQLite gives them (a count, a bigint of milliseconds, a sum); json as
// its text (the store parses what it stored); booleans as 1/0 (SQLite has no booleans).
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    if (oid === 114) return (v: string) => v;
    // jsonb only comes from dialect.ts's `->> '$.path'`: the value itself, as SQLite's `->>` gives it.
    if (oid === 3802) return (v: string) => JSON.parse(v) as unknown;
    if (oid === 16) return (v: string) => (v === 't' ? 1 : 0);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const client = new pg.Client({ connectionString: url, types });
let broken: Error | null = null;
client.on('error', (error) => {
  broken = error;
});

function answer(message: unknown): void {
  port.postMessage(message);
  // The word counts answers: the waiting thread wakes on any change and then reads the port.
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function failure(error: unknown) {
  const e = error as { message?: string; code?: string; detail?: string; constraint?: string };
  return { ok: false, error: { message: String(e?.message ?? error), code: e?.code, detail: e?.detail, constraint: e?.constraint } };
}

type Request = { type: 'query'; text: string; values: unknown[]; rowMode?: 'array' } | { type: 'close' };

port.on('message', (request: Request) => {
  if (request.type === 'close') {
    void client.end().finally(() => answer({ ok: true }));
    return;
  }
  if (broken) return answer(failure(broken));
  client.query({ text: request.text, values: request.values, ...(request.rowMode ? { rowMode: request.rowMode } : {}) }).then(
    (outcome: pg.QueryResult | pg.QueryResult[]) => {
      try {
        // Several statements at once (a migration) answer with one result each: the last one counts.
        const result = Array.isArray(outcome) ? outcome[outcome.length - 1] : outcome;
        answer({ ok: true, rows: result?.rows ?? [], rowCount: result?.rowCount ?? 0, fields: (result?.fields ?? []).map((f) => f.name) });
      } catch (error) {
        answer(failure(error));
      }
    },
    (error) => answer(failure(error)),
  );
});

client.connect().then(
  () => answer({ ok: true }),
  (error) => answer(failure(error)),
);
