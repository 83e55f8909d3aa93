import type { LogExportQueries, LogFilter } from '../../store';
import { CSV_BOM, csvLine } from '../csv/csvText';
import type { TempFile } from './output';
import { STEP_MASK, type Pace } from './pace';
import { cells, COLUMN_KEYS, LABELS, toRecord } from './records';
import type { ZonedClock } from './timeZone';
import type { ExportLocale } from '../../../shared/contract/logExport';

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

/**
 * CSV: UTF-8 with a byte-order mark (so Excel reads Chinese correctly), CRLF line ends, a header row,
 * one row per message, every text cell neutralised against formula injection: the shared CSV
 * writer (services/csv/csvText.ts), one line at a time.
 */
export async function writeCsv(ctx: TextWriteContext): Promise<void> {
  const { out, pace, clock } = ctx;
  const labels = LABELS[ctx.locale];
  out.write(`${CSV_BOM}${csvLine(COLUMN_KEYS.map((k) => labels.columns[k]))}`);
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
