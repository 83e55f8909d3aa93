import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';

export type PgResult = { rows: unknown[]; rowCount: number; fields: string[] };

/** A PostgreSQL error as the bridge hands it back: the server's SQLSTATE in `pgCode`. */
export class PgError extends Error {
  constructor(
    message: string,
    readonly pgCode: string | undefined,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'PgError';
  }
}

/** Starts the bridge's worker thread (the store passes `spawnWorker`'s way of finding the entry). */
export type StartPgWorker = (workerData: { url: string; port: unknown; signal: Int32Array }, transfer: unknown[]) => Worker;

/** How long one statement may take before the bridge gives up on the connection (a hung server). */
const QUERY_TIMEOUT_MS = 60_000;

/**
 * A synchronous PostgreSQL connection: `query()` returns the rows, blocking this thread while the
 * worker thread's `pg` client talks to the server (Atomics.wait on a shared word, the answer taken with
 * receiveMessageOnPort). It lets the store's synchronous code (written for better-sqlite3) run on
 * PostgreSQL unchanged. It is meant for the hub's core, which runs on its own thread.
 */
export class SyncPg {
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly port;
  private readonly worker: Worker;
  private closed = false;

  constructor(url: string, start: StartPgWorker) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = start({ url, port: port2, signal: this.signal }, [port2]);
    this.worker.unref();
    try {
      this.wait();
    } catch (error) {
      void this.worker.terminate();
      this.closed = true;
      throw error;
    }
  }

  /**
   * Blocks until the bridge's answer is on the port. The shared word counts the answers posted; the
   * port is looked at again after every wake (and at least every second), so neither a wake before
   * the message is visible nor a wake missed can lose or misplace an answer.
   */
  private wait(): PgResult {
    const deadline = Date.now() + QUERY_TIMEOUT_MS;
    let got = receiveMessageOnPort(this.port);
    while (!got) {
      const seen = Atomics.load(this.signal, 0);
      got = receiveMessageOnPort(this.port);
      if (got) break;
      const left = deadline - Date.now();
      if (left <= 0) {
        // Its answer may still come: the connection is dropped, so it can never be taken for the next query's.
        this.closed = true;
        this.port.close();
        void this.worker.terminate();
        throw new PgError('the database did not answer in time', '08006');
      }
      Atomics.wait(this.signal, 0, seen, Math.min(left, 1_000));
      got = receiveMessageOnPort(this.port);
    }
    const message = got.message as
      | { ok: true; rows: unknown[]; rowCount: number; fields: string[] }
      | { ok: false; error: { message: string; code?: string; detail?: string } };
    if (!message.ok) throw new PgError(message.error.message, message.error.code, message.error.detail);
    return { rows: message.rows ?? [], rowCount: message.rowCount ?? 0, fields: message.fields ?? [] };
  }

  get open(): boolean {
    return !this.closed;
  }

  query(text: string, values: unknown[] = [], rowMode?: 'array'): PgResult {
    if (this.closed) throw new PgError('the database connection is closed', '08003');
    this.port.postMessage({ type: 'query', text, values, rowMode });
    return this.wait();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      const seen = Atomics.load(this.signal, 0);
      this.port.postMessage({ type: 'close' });
      if (!receiveMessageOnPort(this.port)) Atomics.wait(this.signal, 0, seen, 5_000);
    } finally {
      this.port.close();
      void this.worker.terminate();
    }
  }
}
