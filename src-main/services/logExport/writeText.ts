import type { LogExportQueries, LogFilter } from '../../store';
import type { TempFile } from './output';
import { STEP_MASK, type Pace } from './pace';
import { cells, COLUMN_KEYS, LABELS, toRecord } from './records';
import type { ZonedClock } from './timeZone';
import type { ExportLocale } from '../../../shared/contract/exports';

export type TextWriteContext = {
  queries: LogExportQueries;
  filter: LogFilter;
  clock: ZonedClock;
  locale: ExportLocale;
  out: TempFile;
  pace: Pace;
  /** Agent nicks by id, read in the export's snapshot. */
  agents: ReadonlyMap<string, string>;
};

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/** RFC 4180: a field holding a comma, a double quote, CR or LF is quoted, its quotes doubled. */
export function csvField(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(QUOTE, '""')}"` : s;
}

function csvLine(fields: readonly string[]): string {
  let line = csvField(fields[0] ?? '');
  for (let i = 1; i < fields.length; i++) line += `,${csvField(fields[i] ?? '')}`;
  return `${line}\r\n`;
}

/**
 * CSV: UTF-8 with a byte-order mark (so Excel reads Chinese correctly), CRLF line ends, a header row,
 * one row per message, every text cell neutralised against formula injection. (csv-stringify was
 * measured: it leaves a field holding a lone CR unquoted by default and cost five times as much per
 * row as this function.)
 */
export async function writeCsv(ctx: TextWriteContext): Promise<void> {
  const { out, pace, clock } = ctx;
  const labels = LABELS[ctx.locale];
  out.write(`\uFEFF${csvLine(COLUMN_KEYS.map((k) => labels.columns[k]))}`);
  for (const row of ctx.queries.rows(ctx.filter)) {
    out.write(csvLine(cells(toRecord(row, clock, ctx.agents), labels)));
    if ((++pace.done & STEP_MASK) === 0) await pace.step();
  }
}

/** JSON Lines: one message object per line with typed fields (see LogRecord); UTF-8, no BOM. */
export async function writeJsonl(ctx: TextWriteContext): Promise<void> {
  const { out, pace, clock } = ctx;
  for (const row of ctx.queries.rows(ctx.filter)) {
    out.write(`${JSON.stringify(toRecord(row, clock, ctx.agents))}\n`);
    if ((++pace.done & STEP_MASK) === 0) await pace.step();
  }
}
