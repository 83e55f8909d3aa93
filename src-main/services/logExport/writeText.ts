import { LOG, type LogExportQueries, type LogFilter } from '../../store';
import { CSV_BOM, csvField, csvLine, neutralise } from '../csv/csvText';
import type { TempFile } from './output';
import { STEP_MASK, type Pace } from './pace';
import { COLUMN_KEYS, LABELS, toRecord } from './records';
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
 * writer's rules (services/csv/csvText.ts), one line at a time. Each line is what
 * `csvLine(cells(toRecord(row)))` writes (a test compares them byte for byte), built straight from
 * the row: the labels' and agents' cells are quoted once, the times need no quoting (digits and
 * `-:.+T `), and no record or cell array is made per row.
 */
export async function writeCsv(ctx: TextWriteContext): Promise<void> {
  const { out, pace, clock } = ctx;
  const labels = LABELS[ctx.locale];
  out.write(`${CSV_BOM}${csvLine(COLUMN_KEYS.map((k) => labels.columns[k]))}`);
  const direction = quotedLabels(labels.direction);
  const kind = quotedLabels(labels.type);
  const agents = new Map<string, string>();
  const agentCell = (agentId: string): string => {
    let cell = agents.get(agentId);
    if (cell === undefined) {
      cell = csvField(neutralise(ctx.agents.get(agentId) ?? ''));
      agents.set(agentId, cell);
    }
    return cell;
  };
  for (const row of ctx.queries.rows(ctx.filter, ctx.pace.total)) {
    const stamp = clock.stamp(row[LOG.createdAt]);
    const agentId = row[LOG.agentId];
    const orderNo = row[LOG.orderNo];
    out.write(
      `${stamp.iso},${stamp.local},${csvField(row[LOG.conversationId])},${csvField(neutralise(row[LOG.buyerNick]))},` +
        `${agentId === null ? '' : agentCell(agentId)},${direction.get(row[LOG.sender]) ?? ''},${kind.get(row[LOG.kind]) ?? ''},` +
        `${csvField(neutralise(row[LOG.text]))},${orderNo === null ? '' : csvField(neutralise(orderNo))}\r\n`,
    );
    if ((++pace.done & STEP_MASK) === 0) await pace.step();
  }
}

/** A label set's cells, quoted as csvField quotes them (once per export instead of once per row). */
function quotedLabels(labels: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(labels).map(([key, label]) => [key, csvField(label)]));
}

/** JSON Lines: one message object per line with typed fields (see LogRecord); UTF-8, no BOM. */
export async function writeJsonl(ctx: TextWriteContext): Promise<void> {
  const { out, pace, clock } = ctx;
  for (const row of ctx.queries.rows(ctx.filter, ctx.pace.total)) {
    out.write(`${JSON.stringify(toRecord(row, clock, ctx.agents))}\n`);
    if ((++pace.done & STEP_MASK) === 0) await pace.step();
  }
}
