import type { TransferListItem } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { openLogReader, type LogReader } from '../../store';
import { openPgLogReader } from '../../store/pg';
import { isPostgresUrl } from '../../store/pg/url';
import { spawnWorker } from '../../platform/spawnWorker';
import { ExportCancelled } from './output';
import type { ExportWorkerData, FromExportWorker, ToExportWorker } from './protocol';
import { resolveFilter, runExport } from './runExport';
import { ZonedClock } from './timeZone';

/**
 * An export thread, with its own read-only connection to the shop's file: the core and the desk go
 * on while it reads (WAL) and writes the file. One thread per export (cancel can always end it), and
 * one long-lived thread for count previews, so a slow count never stalls the core either.
 */
const port = parentPort;
if (!port) throw new Error('exportWorker.ts runs as a worker thread');
const data = workerData as ExportWorkerData;
const post = (message: FromExportWorker) => port.postMessage(message);
const controller = new AbortController();

let reader: LogReader | undefined;
// A hub on PostgreSQL (issue 14) names its database instead of a file: the thread opens its own connection.
const openReader = (): LogReader =>
  isPostgresUrl(data.dbFile)
    ? openPgLogReader(data.dbFile, (workerData, transferList) =>
        spawnWorker(import.meta.url, PG_WORKER_ENTRY, { workerData, transferList: transferList as TransferListItem[] }),
      )
    : openLogReader(data.dbFile, { nativeBinding: data.nativeBinding });
const PG_WORKER_ENTRY = { source: '../../store/pg/pgWorker.ts', bundled: '../../store/pg/pgWorker.js' };
const open = (): LogReader => (reader ??= openReader());
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

port.on('message', (msg: ToExportWorker) => {
  if (msg.type === 'cancel') {
    controller.abort();
  } else if (msg.type === 'preview') {
    try {
      const clock = new ZonedClock(msg.timeZone);
      const filter = resolveFilter(msg.filters, clock);
      const count = open().queries.count(filter);
      post({ type: 'preview', id: msg.id, ok: true, ...count, fromMs: filter.fromMs, toMs: filter.toMs });
    } catch (error) {
      post({ type: 'preview', id: msg.id, ok: false, error: message(error) });
    }
  } else if (msg.type === 'export') {
    void (async () => {
      try {
        const outcome = await runExport(open().queries, msg.request, {
          signal: controller.signal,
          onProgress: (done, total) => post({ type: 'progress', done, total }),
        });
        post({ type: 'finished', status: 'done', rows: outcome.rows, bytes: outcome.bytes });
      } catch (error) {
        if (error instanceof ExportCancelled) post({ type: 'finished', status: 'cancelled', rows: 0, bytes: null });
        else post({ type: 'finished', status: 'failed', rows: 0, bytes: null, error: message(error) });
      } finally {
        reader?.close();
        port.close();
      }
    })();
  }
});
