import fs from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/contract/errors';
import {
  EXPORT_EXTENSIONS,
  type ExportFilters,
  type ExportFinished,
  type ExportDownload,
  type ExportJob,
  type ExportPreview,
  type ExportStartArgs,
} from '../../../shared/contract/logExport';
import { newId } from '../../../shared/domain/ids';
import type { Shop } from '../../../shared/domain/types';
import { translate } from '../../../shared/i18n';
import type { EventBus } from '../../platform/eventBus';
import type { SpawnWorker } from '../../platform/spawnWorker';
import type { Store } from '../../store';
import { tempPathFor } from './output';
import type { ExportWorkerData, FromExportWorker, ToExportWorker } from './protocol';
import type { ExportRequest } from './runExport';
import { downloadTickets, type DownloadFile } from './downloadTickets';
import { recoverLeftovers, type StoredJob } from './leftovers';
import { shopTimeZone } from './timeZone';

/** Where the desktop shell's save dialog said to write (see core/shellContext.ts); never from a renderer. */
export type ChosenDestination = { path: string; overwrite: boolean };

/** Exports running at once (each has a thread and a read snapshot; these machines have two cores). */
export const MAX_RUNNING = 2;
/** Finished exports remembered for `logExport.list`. */
export const RECENT_KEPT = 20;
/** A cancelled export's thread gets this long to clean up before it is stopped. */
const CANCEL_GRACE_MS = 5000;
/** The preview thread ends after this long without a request. */
const PREVIEW_IDLE_MS = 60_000;
const RECENT_KEY = 'exports.recent';

/** What the core hands in: the store, the bus that carries the jobs' events, and how threads are started. */
export type ExportServiceDeps = {
  store: Store;
  events: Pick<EventBus, 'emit' | 'on'>;
  /** The platform's thread starter (src-main/platform/spawnWorker.ts). */
  spawnWorker: SpawnWorker;
  dataDir: string;
  dbFile: string;
  nativeBinding?: string | undefined;
  now: () => number;
  log: (message: string, error?: unknown) => void;
  /** Starts an export thread (tests may stand in their own). */
  spawn?: (data: ExportWorkerData) => Worker;
  /**
   * On a hub: finished files in exports/ are removed this long after they were written (a desk fetches
   * its file at once, and the hub then removes it; this is for files nobody fetched).
   */
  filesTtlMs?: number | undefined;
};

/** The largest export file a desk takes from its hub (a million messages as XLSX are a few hundred MB). */
export const MAX_REMOTE_EXPORT_BYTES = 8 * 1024 ** 3;

/** How a desk's export on its team hub starts and stops there (see teamSync/hubExport.ts). */
export type RemoteStart = {
  /** Starts the job on the hub; its id there, which is the job's id here too. Throws AppError when refused. */
  begin(): Promise<string>;
  /** Tells the hub to stop the job (best effort: the desk has stopped following it already). */
  cancel(jobId: string): void;
};

/**
 * A desk's export that runs on its team hub: the desk keeps the job (list, progress, the end), and
 * writes the file it fetches from the hub where its shell asked, under the same temporary name and
 * rename as an export of its own.
 */
export type RemoteJob = {
  jobId: string;
  /** Where the file goes on this desk. */
  path: string;
  /** Aborted when the job is cancelled or the core closes. */
  signal: AbortSignal;
  ended(): boolean;
  progress(done: number, total: number): void;
  /**
   * Writes the fetched bytes to the temporary file, syncs it and renames it onto the destination;
   * the size. Throws (the temporary file removed) when the bytes are not exactly `expectedBytes`.
   */
  receive(chunks: AsyncIterable<Uint8Array>, expectedBytes: number): Promise<number>;
  finish(status: ExportFinished['status'], rows: number, bytes: number | null, error?: string): void;
};

type Running = {
  job: ExportJob;
  /** Null for a job that runs on the team hub (the desk fetches its file). */
  worker: Worker | null;
  remote?: { abort: AbortController; cancel: () => void };
  /** The account that started it (kept on a hub, where each sees only their own jobs). */
  by?: string | undefined;
  tempPath: string;
  /** When the rows started flowing (after the count), for the rate. */
  rowsSince: number | null;
  cancelTimer?: ReturnType<typeof setTimeout>;
  ended: boolean;
};

/** The export thread's entry, from this file (source) and from the bundle (scripts/build-main.mjs). */
const EXPORT_WORKER_ENTRY = { source: './exportWorker.ts', bundled: '../services/logExport/exportWorker.js' };

/** A name safe on Windows, macOS and Linux. */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_NAMES = /[\\/:*?"<>|\u0000-\u001f]/g;

export function safeName(s: string): string {
  return s.replace(UNSAFE_IN_NAMES, '_').trim().slice(0, 60) || 'jiedai';
}

/**
 * The core's side of log export: count previews, the job list, and one worker thread per export
 * (never the core's own thread, never its connection). Progress and the end arrive as contract events.
 */
export function exportService(deps: ExportServiceDeps) {
  const { store, events, now, log } = deps;
  const spawn = deps.spawn ?? ((data: ExportWorkerData) => deps.spawnWorker(import.meta.url, EXPORT_WORKER_ENTRY, { workerData: data }));
  const workerData: ExportWorkerData = { dbFile: deps.dbFile, nativeBinding: deps.nativeBinding };
  const running = new Map<string, Running>();
  const exportsDir = path.join(deps.dataDir, 'exports');
  const tickets = downloadTickets(now);
  const stored = store.settings.get<StoredJob[]>(RECENT_KEY, []);
  // Jobs a dead process left "running", and their hidden half files, are dealt with before anything starts.
  const recovered = recoverLeftovers(Array.isArray(stored) ? stored : [], exportsDir, now(), log);
  let recent = recovered.recent;
  if (recovered.changed) save();

  const timeZone = () => shopTimeZone(store);
  /** Destinations chosen for jobs still starting on the hub (so two starts never pick one name). */
  const reserved = new Set<string>();
  if (deps.filesTtlMs !== undefined) removeOldFiles(deps.filesTtlMs);

  // --- previews, on one long-lived thread ---
  type PreviewThread = {
    worker: Worker;
    next: number;
    waiting: Map<number, (m: FromExportWorker) => void>;
    idle?: ReturnType<typeof setTimeout>;
  };
  let preview: PreviewThread | undefined;

  function previewThread(): PreviewThread {
    if (preview) return preview;
    const worker = spawn(workerData);
    worker.unref();
    const thread: PreviewThread = { worker, next: 1, waiting: new Map() };
    const fail = (error: unknown) => {
      for (const resolve of thread.waiting.values()) resolve({ type: 'preview', id: 0, ok: false, error: String(error) });
      thread.waiting.clear();
      if (preview === thread) preview = undefined;
    };
    worker.on('message', (m: FromExportWorker) => {
      if (m.type !== 'preview') return;
      thread.waiting.get(m.id)?.(m);
      thread.waiting.delete(m.id);
    });
    worker.on('error', (error) => {
      log('export preview thread failed', error);
      fail(error);
    });
    worker.on('exit', () => fail('the preview thread stopped'));
    preview = thread;
    return thread;
  }

  async function previewCount(filters: ExportFilters): Promise<ExportPreview> {
    const thread = previewThread();
    if (thread.idle) clearTimeout(thread.idle);
    const id = thread.next++;
    const tz = timeZone();
    const answer = await new Promise<FromExportWorker>((resolve) => {
      thread.waiting.set(id, resolve);
      thread.worker.postMessage({ type: 'preview', id, filters, timeZone: tz } satisfies ToExportWorker);
    });
    if (thread.waiting.size === 0 && preview === thread) {
      thread.idle = setTimeout(() => void thread.worker.terminate(), PREVIEW_IDLE_MS);
      thread.idle.unref?.();
    }
    if (answer.type !== 'preview' || !answer.ok) {
      throw new Error(`the preview failed: ${answer.type === 'preview' && !answer.ok ? answer.error : 'no answer'}`);
    }
    return { messages: answer.messages, conversations: answer.conversations, fromMs: answer.fromMs, toMs: answer.toMs, timeZone: tz };
  }

  // --- jobs ---
  function destination(args: ExportStartArgs, chosen: ChosenDestination | undefined): { file: string; overwrite: boolean } {
    const ext = EXPORT_EXTENSIONS[args.format];
    if (!chosen) {
      const dir = exportsDir;
      fs.mkdirSync(dir, { recursive: true });
      const shop = store.settings.get<Shop | null>('shop', null);
      const stamp = new Date(now()).toISOString().replace(/[-:]/g, '').slice(0, 15);
      const base = `${safeName(shop?.name ?? 'jiedai')}-${translate(args.locale, 'exports.fileName')}-${args.filters.from}_${args.filters.to}-${stamp}`;
      let file = path.join(dir, `${base}${ext}`);
      for (let i = 2; fs.existsSync(file) || reserved.has(file) || [...running.values()].some((r) => r.job.path === file); i++) {
        file = path.join(dir, `${base}-${i}${ext}`);
      }
      return { file, overwrite: false };
    }
    const file = chosen.path;
    if (!path.isAbsolute(file)) throw new AppError('invalid_argument', 'the destination must be an absolute path');
    if (path.extname(file).toLowerCase() !== ext) {
      throw new AppError('invalid_argument', `a ${args.format} export is a ${ext} file`, { path: 'destination.path' });
    }
    const dir = path.dirname(file);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new AppError('not_found', `no folder ${dir}`);
    if (fs.existsSync(file)) {
      if (fs.statSync(file).isDirectory()) throw new AppError('conflict', `${file} is a folder`);
      if (!chosen.overwrite) throw new AppError('conflict', `${file} already exists`, { path: 'destination.path' });
    }
    if ([...running.values()].some((r) => path.resolve(r.job.path) === path.resolve(file)) || reserved.has(path.resolve(file))) {
      throw new AppError('conflict', `an export to ${file} is already running`);
    }
    return { file, overwrite: chosen.overwrite };
  }

  function save(): void {
    try {
      store.settings.set(RECENT_KEY, recent);
    } catch (error) {
      log('could not store the recent exports', error);
    }
  }

  /** The real path of a regular file inside exports/ (symlinks resolved), or null. */
  function insideExports(file: string): string | null {
    try {
      const root = fs.realpathSync(exportsDir);
      const real = fs.realpathSync(file);
      const rel = path.relative(root, real);
      if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
      return fs.statSync(real).isFile() ? real : null;
    } catch {
      return null;
    }
  }

  /** Running jobs are stored too (with this process's id): after a crash the next start finds them. */
  function remember(job: ExportJob, by: string | undefined): void {
    const entry: StoredJob = { ...job, ...(job.status === 'running' ? { pid: process.pid } : {}), ...(by !== undefined ? { by } : {}) };
    recent = [entry, ...recent.filter((j) => j.id !== job.id)].slice(0, RECENT_KEPT);
    save();
  }

  const publicJob = ({ pid: _pid, by: _by, ...job }: StoredJob): ExportJob => job;
  /** Without `by`, every job; with it (a hub), only that account's. */
  const mine = (job: { by?: string | undefined }, by: string | undefined) => by === undefined || job.by === by;

  /** A hub's files nobody fetched: older than the TTL, gone (the hidden part files are leftovers' business). */
  function removeOldFiles(ttl: number): void {
    let names: string[];
    try {
      names = fs.readdirSync(exportsDir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const file = path.join(exportsDir, name);
      try {
        const stat = fs.lstatSync(file);
        if (stat.isFile() && stat.mtimeMs < now() - ttl) fs.rmSync(file, { force: true });
      } catch (error) {
        log(`could not remove the old export ${file}`, error);
      }
    }
  }

  function expireLater(file: string, ttl: number): void {
    const timer = setTimeout(() => {
      try {
        fs.rmSync(file, { force: true });
      } catch (error) {
        log(`could not remove the old export ${file}`, error);
      }
    }, ttl);
    timer.unref?.();
  }

  function onProgress(r: Running, done: number, total: number): void {
    const at = now();
    r.rowsSince ??= at;
    r.job = { ...r.job, done, total };
    const seconds = (at - r.rowsSince) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const etaMs = rate > 0 ? Math.round(((total - done) / rate) * 1000) : null;
    events.emit('logExport.progress', { jobId: r.job.id, done, total, rate, etaMs });
  }

  function finish(r: Running, status: ExportFinished['status'], rows: number, bytes: number | null, error?: string): void {
    if (r.ended) return;
    r.ended = true;
    if (r.cancelTimer) clearTimeout(r.cancelTimer);
    running.delete(r.job.id);
    r.remote?.abort.abort();
    // Whatever the worker managed or not, no half file stays behind.
    if (status !== 'done') fs.rmSync(r.tempPath, { force: true });
    else if (deps.filesTtlMs !== undefined && path.dirname(r.job.path) === exportsDir) expireLater(r.job.path, deps.filesTtlMs);
    const finishedAt = now();
    const job: ExportJob = {
      ...r.job,
      status,
      done: status === 'done' ? rows : r.job.done,
      total: status === 'done' ? rows : r.job.total,
      finishedAt,
      bytes,
      ...(error ? { error } : {}),
    };
    remember(job, r.by);
    events.emit('logExport.finished', {
      jobId: job.id,
      status,
      path: job.path,
      rows: status === 'done' ? rows : job.done,
      bytes,
      durationMs: finishedAt - job.startedAt,
      ...(error ? { error } : {}),
    });
  }

  function start(args: ExportStartArgs, chosen?: ChosenDestination, by?: string): { jobId: string; path: string } {
    if (running.size + reserved.size >= MAX_RUNNING) throw new AppError('limit_exceeded', `at most ${MAX_RUNNING} exports run at once`);
    const { file, overwrite } = destination(args, chosen);
    const id = newId();
    const shop = store.settings.get<Shop | null>('shop', null);
    const request: ExportRequest = {
      filters: args.filters,
      format: args.format,
      locale: args.locale,
      timeZone: timeZone(),
      shopName: shop?.name ?? '',
      exportedAt: now(),
      path: file,
      overwrite,
      tag: id,
    };
    const worker = spawn(workerData);
    const r: Running = {
      job: {
        id,
        format: args.format,
        filters: args.filters,
        timeZone: request.timeZone,
        path: file,
        status: 'running',
        done: 0,
        total: 0,
        startedAt: request.exportedAt,
        finishedAt: null,
        bytes: null,
      },
      worker,
      tempPath: tempPathFor(file, id),
      rowsSince: null,
      ended: false,
      by,
    };
    running.set(id, r);
    remember(r.job, by);
    worker.on('message', (m: FromExportWorker) => {
      if (m.type === 'progress') {
        onProgress(r, m.done, m.total);
      } else if (m.type === 'finished') {
        finish(r, m.status, m.rows, m.bytes, m.error);
      }
    });
    worker.on('error', (error) => {
      log(`export ${id} failed`, error);
      finish(r, 'failed', 0, null, error instanceof Error ? error.message : String(error));
    });
    worker.on('exit', () =>
      finish(r, r.cancelTimer ? 'cancelled' : 'failed', 0, null, r.cancelTimer ? undefined : 'the export thread stopped'),
    );
    worker.postMessage({ type: 'export', request } satisfies ToExportWorker);
    return { jobId: id, path: file };
  }

  /**
   * A desk's export on its team hub: reserves the destination here (checked as for an export of its
   * own), starts the job on the hub, and keeps it as a running job of this desk under the hub's id.
   */
  async function startRemote(args: ExportStartArgs, chosen: ChosenDestination | undefined, remote: RemoteStart): Promise<RemoteJob> {
    if (running.size + reserved.size >= MAX_RUNNING) throw new AppError('limit_exceeded', `at most ${MAX_RUNNING} exports run at once`);
    const { file, overwrite } = destination(args, chosen);
    const key = chosen ? path.resolve(file) : file;
    reserved.add(key);
    let id: string;
    try {
      id = await remote.begin();
    } finally {
      reserved.delete(key);
    }
    const startedAt = now();
    const abort = new AbortController();
    const r: Running = {
      job: {
        id,
        format: args.format,
        filters: args.filters,
        timeZone: timeZone(),
        path: file,
        status: 'running',
        done: 0,
        total: 0,
        startedAt,
        finishedAt: null,
        bytes: null,
      },
      worker: null,
      remote: { abort, cancel: () => remote.cancel(id) },
      tempPath: tempPathFor(file, id),
      rowsSince: null,
      ended: false,
    };
    running.set(id, r);
    remember(r.job, undefined);
    return {
      jobId: id,
      path: file,
      signal: abort.signal,
      ended: () => r.ended,
      progress: (done, total) => {
        if (!r.ended) onProgress(r, done, total);
      },
      receive: async (chunks, expectedBytes) => {
        const handle = await fs.promises.open(r.tempPath, 'wx');
        let received = 0;
        try {
          try {
            for await (const chunk of chunks) {
              received += chunk.byteLength;
              if (received > expectedBytes) throw new Error(`the hub sent more than the ${expectedBytes} bytes the file holds`);
              await handle.write(chunk);
            }
            if (received !== expectedBytes) throw new Error(`the hub sent ${received} of the file's ${expectedBytes} bytes`);
            await handle.sync();
          } finally {
            await handle.close();
          }
          if (r.ended) throw new Error('the export was cancelled');
          if (!overwrite && fs.existsSync(file)) throw new Error(`${file} appeared while exporting; the export was not written over it`);
          fs.renameSync(r.tempPath, file);
          return fs.statSync(file).size;
        } catch (error) {
          fs.rmSync(r.tempPath, { force: true });
          throw error;
        }
      },
      finish: (status, rows, bytes, error) => finish(r, status, rows, bytes, error),
    };
  }

  function cancel(jobId: string, by?: string): { cancelled: boolean } {
    const r = running.get(jobId);
    if (!r || !mine(r, by)) {
      if (recent.some((j) => j.id === jobId && mine(j, by))) return { cancelled: false };
      throw new AppError('not_found', `no export ${jobId}`);
    }
    if (r.remote) {
      // The hub is told; here the job ends at once (whatever it had fetched goes with the temporary file).
      r.remote.cancel();
      finish(r, 'cancelled', r.job.done, null);
      return { cancelled: true };
    }
    if (!r.cancelTimer) {
      const worker = r.worker!;
      worker.postMessage({ type: 'cancel' } satisfies ToExportWorker);
      r.cancelTimer = setTimeout(() => {
        void worker.terminate();
        finish(r, 'cancelled', 0, null);
      }, CANCEL_GRACE_MS);
    }
    return { cancelled: true };
  }

  return {
    preview: previewCount,
    start,
    startRemote,
    cancel,
    /** The folder of a finished export, for "open folder". */
    folderOf(jobId: string): string {
      const job = recent.find((j) => j.id === jobId && j.status === 'done');
      if (!job) throw new AppError('not_found', `no finished export ${jobId}`);
      return path.dirname(job.path);
    },
    /** Running exports first, then the recent ones (interrupted ones among them), newest first; with `by`, that account's only. */
    list(by?: string): ExportJob[] {
      const live = [...running.values()]
        .filter((r) => mine(r, by))
        .map((r) => r.job)
        .sort((a, b) => b.startedAt - a.startedAt);
      return [...live, ...recent.filter((j) => !running.has(j.id) && mine(j, by)).map(publicJob)];
    },
    /**
     * A one-time ticket for a finished export that lives in exports/ (browser mode's only destination),
     * for the host's `GET /downloads/<ticket>`.
     */
    download(jobId: string, by?: string): ExportDownload {
      const job = recent.find((j) => j.id === jobId && j.status === 'done' && mine(j, by));
      if (!job) throw new AppError('not_found', `no finished export ${jobId}`);
      const file = insideExports(job.path);
      if (!file) throw new AppError('not_found', `export ${jobId} is not in the data folder's exports/ or is gone`);
      const { ticket, expiresAt } = tickets.issue({ path: file, fileName: path.basename(file) });
      return { ticket, fileName: path.basename(file), bytes: fs.statSync(file).size, expiresAt };
    },
    /** The data folder's exports/, where a file goes when no shell chose one (browser mode). */
    exportsFolder: exportsDir,
    /**
     * A one-time ticket for another finished file in exports/ (the report's table), or null when the
     * file is not there (the desktop's own choice, the CLI's --out).
     */
    offerFile(file: string): { ticket: string; expiresAt: number } | null {
      const real = insideExports(file);
      return real ? tickets.issue({ path: real, fileName: path.basename(real) }) : null;
    },
    /** The host's side of a download ticket: once, while it is fresh, and only if the file is still in exports/. */
    redeemDownload(ticket: string): DownloadFile | null {
      const entry = typeof ticket === 'string' ? tickets.redeem(ticket) : null;
      if (!entry) return null;
      const file = insideExports(entry.path);
      return file ? { path: file, fileName: entry.fileName } : null;
    },
    /** Resolves when the job has ended (done, cancelled or failed); for tests (the CLI listens to exports.finished). */
    whenFinished(jobId: string): Promise<ExportFinished> {
      return new Promise((resolve) => {
        const done = recent.find((j) => j.id === jobId && j.status !== 'running');
        if (!running.has(jobId) && done) {
          resolve({
            jobId,
            status: done.status as ExportFinished['status'],
            path: done.path,
            rows: done.done,
            bytes: done.bytes,
            durationMs: (done.finishedAt ?? done.startedAt) - done.startedAt,
            ...(done.error ? { error: done.error } : {}),
          });
          return;
        }
        const off = events.on((name, payload) => {
          if (name === 'logExport.finished' && (payload as ExportFinished).jobId === jobId) {
            off();
            resolve(payload as ExportFinished);
          }
        });
      });
    },
    /** Stops every export (their half files are removed) and the preview thread: the core is closing. */
    close(): void {
      for (const r of [...running.values()]) {
        if (r.worker) void r.worker.terminate();
        else r.remote?.cancel();
        finish(r, 'cancelled', 0, null, 'the app closed');
      }
      if (preview) void preview.worker.terminate();
      preview = undefined;
    },
  };
}

export type ExportService = ReturnType<typeof exportService>;
