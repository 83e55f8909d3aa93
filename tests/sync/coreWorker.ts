import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { build, type Plugin } from 'esbuild';
import { fail, type Result } from '../../shared/contract/errors';
import type { EventName } from '../../shared/contract/events';
import type { CoreWorkerData, FromCore, ToCore } from '../../src-main/core/workerProtocol';
import { sharedReceiver } from '../../src-main/platform/sharedAnswer';

const ROOT = path.resolve(import.meta.dirname, '../..');

// exceljs takes most of a worker's start (≈0.2 s of ≈0.25 s) and no sync path uses it: the test
// build leaves it out, so a seed can kill and restart its core many times.
const noExcel: Plugin = {
  name: 'no-exceljs',
  setup(b) {
    b.onResolve({ filter: /^exceljs$/ }, () => ({ path: 'exceljs', namespace: 'no-exceljs' }));
    b.onLoad({ filter: /.*/, namespace: 'no-exceljs' }, () => ({
      contents: "export default new Proxy({}, { get() { throw new Error('exceljs is left out of the sync test build'); } });",
      loader: 'js',
    }));
  },
};

let built: Promise<string> | undefined;

/** The core's worker entry bundled from the current sources (once per test file), as the app's build bundles it. */
export function coreWorkerBundle(): Promise<string> {
  built ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jiedai-sync-worker-${crypto.randomBytes(3).toString('hex')}-`));
    const outfile = path.join(dir, 'worker.mjs');
    await build({
      entryPoints: [path.join(ROOT, 'src-main/core/worker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      external: ['better-sqlite3'],
      nodePaths: [path.join(ROOT, 'node_modules')],
      plugins: [noExcel],
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    // better-sqlite3 resolves from the repository's node_modules.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    return outfile;
  })();
  return built;
}

type Listener = (name: EventName, payload: unknown) => void;

/**
 * The core in a worker thread, as the shell runs it, with the handles a reliability test needs: a
 * raw call (the result, or `unavailable` when the thread dies first), kill (terminate: no orderly
 * close), and start again on the same file.
 */
export class CoreThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, (r: Result<unknown>) => void>();
  private listeners = new Set<Listener>();
  starts = 0;

  constructor(
    private readonly bundle: string,
    private readonly data: CoreWorkerData,
  ) {}

  get running(): boolean {
    return this.worker !== null;
  }

  async start(): Promise<void> {
    const worker = new Worker(this.bundle, { workerData: this.data });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromCore) => {
        if (m.type === 'ready') {
          worker.off('message', onMessage);
          resolve();
        } else if (m.type === 'fatal') reject(new Error(m.message));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    // A pull page many desks ask for comes once as JSON, then by its key (platform/sharedAnswer.ts); keys are this worker's own.
    const shared = sharedReceiver();
    worker.on('message', (m: FromCore) => {
      if (m.type === 'result') {
        this.pending.get(m.id)?.(m.result);
        this.pending.delete(m.id);
      } else if (m.type === 'sharedResult') {
        this.pending.get(m.id)?.({ ok: true, value: shared(m.shared) });
        this.pending.delete(m.id);
      } else if (m.type === 'event') {
        for (const l of [...this.listeners]) l(m.name, m.payload);
      }
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      for (const resolve of this.pending.values()) resolve(fail('unavailable', 'the core stopped'));
      this.pending.clear();
    });
    this.worker = worker;
    this.starts += 1;
  }

  call(method: string, args: unknown, connection: string): Promise<Result<unknown>> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(fail('unavailable', 'the core is not running'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ type: 'call', id, method, args, connection } satisfies ToCore);
    });
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the thread at once, as a crash would: whatever it was doing stops where it is. */
  async kill(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  /** Closes the database cleanly (checkpointing the WAL). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToCore);
    await exited;
  }
}
