import { parentPort, workerData } from 'node:worker_threads';
import { ImportError } from './errors';
import { parsePhraseFile, type ParseOptions } from './parsePhraseFile';
import type { FromParseWorker } from './parseOffThread';

/**
 * A phrase import's parse thread: reads the file (CSV/TXT in any encoding, XLSX, JSON), checks every
 * row and computes the pinyin keys, then ends. One thread per import, so the core's thread (every
 * desk's calls) goes on while a supervisor's 10,000-row file is read.
 */
const port = parentPort;
if (!port) throw new Error('parseWorker.ts runs as a worker thread');
const { fileName, data, options } = workerData as { fileName: string; data: Uint8Array; options: ParseOptions };
const post = (message: FromParseWorker) => port.postMessage(message);

/** Rows per message: each message is decoded on the core's thread in one go, so a big file comes in slices. */
const ROWS_PER_MESSAGE = 1_000;

parsePhraseFile(fileName, Buffer.from(data.buffer, data.byteOffset, data.byteLength), options).then(
  (parsed) => {
    for (let i = 0; i < parsed.valid.length; i += ROWS_PER_MESSAGE) post({ rows: parsed.valid.slice(i, i + ROWS_PER_MESSAGE) });
    post({ ok: true, parsed: { ...parsed, valid: [] } });
  },
  (error: unknown) => {
    if (error instanceof ImportError) post({ ok: false, importError: { code: error.code, params: error.params } });
    else post({ ok: false, message: error instanceof Error ? error.message : String(error) });
  },
);
