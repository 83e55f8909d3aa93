import type { SpawnWorker } from '../../../platform/spawnWorker';
import { AppError } from '../../../../shared/contract/errors';
import { ImportError, type ImportErrorCode } from './errors';
import type { ParsedFile, ParsePhraseFile } from './parsePhraseFile';

/** The valid rows come first, in slices (`rows`); the last message carries the rest with `valid` empty. */
export type FromParseWorker =
  | { rows: ParsedFile['valid'] }
  | { ok: true; parsed: ParsedFile }
  | { ok: false; importError: { code: ImportErrorCode; params: Record<string, string | number> } }
  | { ok: false; message: string };

const PARSE_WORKER_ENTRY = { source: './parseWorker.ts', bundled: '../services/phrases/files/parseWorker.js' };

/** A parse that takes longer than this is ended: no honest phrase file needs it (10,000 rows take about a second). */
export const PARSE_TIMEOUT_MS = 120_000;
/** The parse thread's heap: a file within the import limits needs a fraction; a hostile one stops here, not in the core. */
const PARSE_HEAP_MB = 512;
/** Parse threads at once (the machine's other work goes on); later imports wait their turn, up to a bound. */
const MAX_PARSE_THREADS = 2;
const MAX_PARSE_WAITING = 16;

/**
 * The phrase import's parse on its own thread (parseWorker.ts): the file's bytes are handed over,
 * the checked rows with their pinyin keys come back. What the parse refuses comes back as the same
 * `ImportError` an inline parse throws; a thread that dies (out of memory) or runs out of time is an
 * unreadable file, never a stuck import.
 */
export function parseOffThread(
  spawn: SpawnWorker,
  { timeoutMs = PARSE_TIMEOUT_MS, threads = MAX_PARSE_THREADS, queue = MAX_PARSE_WAITING } = {},
): ParsePhraseFile {
  let running = 0;
  const waiting: (() => void)[] = [];
  const turn = async () => {
    if (running >= threads) {
      if (waiting.length >= queue) throw new AppError('limit_exceeded', 'too many phrase imports at once: try again in a moment');
      await new Promise<void>((go) => waiting.push(go));
    }
    running++;
  };
  const done = () => {
    running--;
    waiting.shift()?.();
  };
  return async (fileName, data, options) => {
    await turn();
    try {
      return await parseOnce(spawn, timeoutMs, fileName, data, options);
    } finally {
      done();
    }
  };
}

function parseOnce(spawn: SpawnWorker, timeoutMs: number, ...[fileName, data, options]: Parameters<ParsePhraseFile>): Promise<ParsedFile> {
  return new Promise<ParsedFile>((resolve, reject) => {
    const copy = new Uint8Array(data.byteLength);
    copy.set(data);
    const worker = spawn(import.meta.url, PARSE_WORKER_ENTRY, {
      workerData: { fileName, data: copy, options },
      transferList: [copy.buffer],
      resourceLimits: { maxOldGenerationSizeMb: PARSE_HEAP_MB },
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Settled once the thread is gone, so a waiting import's thread never runs beside a dying one.
      worker.terminate().then(fn, fn);
    };
    const timer = setTimeout(() => settle(() => reject(new ImportError('unreadable'))), timeoutMs);
    const rows: ParsedFile['valid'] = [];
    worker.on('message', (message: FromParseWorker) => {
      if ('rows' in message) {
        for (const row of message.rows) rows.push(row);
        return;
      }
      settle(() => {
        if (message.ok) resolve({ ...message.parsed, valid: rows });
        else if ('importError' in message) reject(new ImportError(message.importError.code, message.importError.params));
        else reject(new Error(`phrase import parse: ${message.message}`));
      });
    });
    worker.on('error', (error) => settle(() => reject(/heap|memory/i.test(error.message) ? new ImportError('unreadable') : error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`phrase import parse thread exited with ${code}`))));
  });
}
