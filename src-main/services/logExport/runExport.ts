import fs from 'node:fs';
import type { ExportFilters, ExportFormat, ExportLocale } from '../../../shared/contract/logExport';
import type { LogExportQueries, LogFilter } from '../../store';
import { AUTOMATED_AUTHOR } from '../../store/logExport';
import { translator } from '../../../shared/i18n';
import { ExportCancelled, TempFile, tempPathFor } from './output';
import { Pace } from './pace';
import { ZonedClock } from './timeZone';
import { writeHtml, writeHtmlZip } from './writeHtml';
import { writeCsv, writeJsonl, type TextWriteContext } from './writeText';
import { writeXlsx } from './writeXlsx';
import { ZipOutput } from './zipOutput';

export type ExportRequest = {
  filters: ExportFilters;
  format: ExportFormat;
  locale: ExportLocale;
  timeZone: string;
  shopName: string;
  exportedAt: number;
  /** The destination; the file appears there only when complete. */
  path: string;
  overwrite: boolean;
  /** Makes the temporary name unique (the job id). */
  tag: string;
  /** XLSX rows per sheet (default 1,000,000; tests pass a few). */
  sheetRows?: number;
};

export type ExportHooks = {
  signal?: AbortSignal;
  /** Called with 0 once the rows are counted, then a few times a second, then with every row done. */
  onProgress?: (done: number, total: number) => void;
  progressIntervalMs?: number;
};

export type ExportOutcome = { rows: number; bytes: number; path: string };

function transcriptHeader(request: ExportRequest) {
  return { shopName: request.shopName, exportedAt: request.exportedAt, filters: request.filters, timeZone: request.timeZone };
}

/** The contract's filters as instants in the shop's time zone, ready for the store. */
export function resolveFilter(filters: ExportFilters, clock: ZonedClock): LogFilter {
  const { fromMs, toMs } = clock.range(filters.from, filters.to);
  const keyword = filters.keyword?.trim() ?? '';
  return {
    fromMs,
    toMs,
    agents: filters.agents.map((s) => s.trim()),
    customers: filters.customers,
    tags: filters.tags.map((s) => s.trim()),
    groups: filters.groups.map((s) => s.trim()),
    keyword: keyword.length > 0 ? keyword : null,
    directions: filters.directions,
  };
}

/**
 * Runs one export on a read-only connection: counts and streams the rows inside one read snapshot
 * (the count is exact, and the core goes on writing meanwhile), writes the format to a temporary
 * file next to the destination, and renames it there when complete. Cancelled (the signal) or
 * failed, the temporary file is removed and nothing appears at the destination.
 */
export async function runExport(queries: LogExportQueries, request: ExportRequest, hooks: ExportHooks = {}): Promise<ExportOutcome> {
  if (!request.overwrite && fs.existsSync(request.path)) throw new Error(`${request.path} already exists`);
  const clock = new ZonedClock(request.timeZone);
  const filter = resolveFilter(request.filters, clock);
  const file = new TempFile(tempPathFor(request.path, request.tag));
  try {
    let rows: number;
    queries.begin();
    try {
      // The transcripts also say how many conversations; a row per message needs the messages' count alone.
      const transcript = request.format === 'html' || request.format === 'html-zip';
      const count = transcript ? queries.count(filter) : { messages: queries.countMessages(filter), conversations: 0 };
      const pace = new Pace({
        total: count.messages,
        signal: hooks.signal,
        onProgress: hooks.onProgress,
        intervalMs: hooks.progressIntervalMs,
        drain: () => file.flush(),
      });
      hooks.onProgress?.(0, count.messages);
      const ctx: TextWriteContext = {
        queries,
        filter,
        clock,
        locale: request.locale,
        out: file,
        pace,
        agents: withAutomated(queries.agentNicks(), request.locale),
      };
      switch (request.format) {
        case 'csv':
          await writeCsv(ctx);
          break;
        case 'jsonl':
          await writeJsonl(ctx);
          break;
        case 'xlsx':
          await writeXlsx(ctx, { sheetRows: request.sheetRows, exportedAt: request.exportedAt, shopName: request.shopName });
          break;
        case 'html':
          await writeHtml(ctx, transcriptHeader(request), count);
          break;
        case 'html-zip': {
          const zip = new ZipOutput(file);
          try {
            await writeHtmlZip(ctx, transcriptHeader(request), count, zip);
            await zip.finish();
          } catch (error) {
            zip.abort();
            throw error;
          }
          break;
        }
      }
      if (hooks.signal?.aborted) throw new ExportCancelled();
      rows = pace.done;
      pace.end();
    } finally {
      queries.end();
    }
    await file.finish();
    if (hooks.signal?.aborted) throw new ExportCancelled();
    const bytes = await file.commit(request.path, request.overwrite);
    return { rows, bytes, path: request.path };
  } catch (error) {
    await file.discard();
    throw error;
  }
}

/** The agents' nicks, and the app's own name for what it sent itself (自动回复, 自动催付). */
export function withAutomated(agents: Map<string, string>, locale: ExportLocale): Map<string, string> {
  const t = translator(locale);
  agents.set(`${AUTOMATED_AUTHOR}auto_reply`, t('message.automated.auto_reply'));
  agents.set(`${AUTOMATED_AUTHOR}reminder`, t('message.automated.reminder'));
  return agents;
}
