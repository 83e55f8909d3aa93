import type { Metrics } from './summarize';

/**
 * The report's table, one definition for the screen and the files: which columns, in which order,
 * and how each cell is written. The screen shows exactly the text the CSV holds (counts with digit
 * grouping there), and the XLSX holds the same numbers as numbers with a format, so what an owner
 * exports is what they saw.
 */

export const REPORT_COLUMNS = [
  'agent',
  'received',
  'asked',
  'ordered',
  'paid',
  'orderRate',
  'payRate',
  'firstMedian',
  'firstP90',
  'firstMean',
  'responseMedian',
  'responseP90',
  'responseMean',
  'buyerMessages',
  'agentMessages',
  'autoMessages',
  'answerRatio',
  'sales',
  'paidOrders',
  'avgOrder',
  'unanswered',
  'remindersSent',
  'remindersPaid',
  'remindersRecovered',
] as const;
export type ReportColumn = (typeof REPORT_COLUMNS)[number];
/** The 催付 columns: from the reminder log, not the rollups (see `ReminderFigures`). */
export type ReminderColumn = 'remindersSent' | 'remindersPaid' | 'remindersRecovered';
export type MetricColumn = Exclude<ReportColumn, 'agent' | ReminderColumn>;

/**
 * 催付 of the team or of one agent over a period, counted from the reminder log (issue 16): reminders
 * sent in it, the orders they covered that were paid after them (each once), and those orders'
 * amount. An agent's are the reminders they clicked on 待付款 and the automatic ones sent into a
 * conversation they were serving at the time; '' holds those of conversations no agent served.
 */
export type ReminderFigures = { sent: number; paidAfter: number; recoveredCents: number };

export const NO_REMINDERS: ReminderFigures = { sent: 0, paidAfter: 0, recoveredCents: 0 };

/** The series (one row per day or week) as a table. */
export const SERIES_COLUMNS = [
  'period',
  'received',
  'asked',
  'ordered',
  'paid',
  'orderRate',
  'firstMedian',
  'responseMedian',
  'sales',
  'unanswered',
] as const;
export type SeriesColumn = (typeof SERIES_COLUMNS)[number];

export type CellKind = 'text' | 'count' | 'rate' | 'seconds' | 'ratio' | 'money';
export type Cell = { kind: CellKind; value: number | string | null };

const seconds = (ms: number | null): Cell => ({ kind: 'seconds', value: ms });

/** A metric's cell by column (not `agent` / `period`, which are labels). */
export function metricCell(m: Metrics, column: MetricColumn): Cell {
  switch (column) {
    case 'received':
    case 'asked':
    case 'ordered':
    case 'paid':
    case 'buyerMessages':
    case 'agentMessages':
    case 'autoMessages':
    case 'paidOrders':
    case 'unanswered':
      return { kind: 'count', value: m[column] };
    case 'orderRate':
    case 'payRate':
      return { kind: 'rate', value: m[column] };
    case 'firstMedian':
      return seconds(m.firstResponse.medianMs);
    case 'firstP90':
      return seconds(m.firstResponse.p90Ms);
    case 'firstMean':
      return seconds(m.firstResponse.meanMs);
    case 'responseMedian':
      return seconds(m.response.medianMs);
    case 'responseP90':
      return seconds(m.response.p90Ms);
    case 'responseMean':
      return seconds(m.response.meanMs);
    case 'answerRatio':
      return { kind: 'ratio', value: m.answerRatio };
    case 'sales':
      return { kind: 'money', value: m.salesCents };
    case 'avgOrder':
      return { kind: 'money', value: m.avgOrderCents };
  }
}

export function reminderCell(r: ReminderFigures, column: ReminderColumn): Cell {
  switch (column) {
    case 'remindersSent':
      return { kind: 'count', value: r.sent };
    case 'remindersPaid':
      return { kind: 'count', value: r.paidAfter };
    case 'remindersRecovered':
      return { kind: 'money', value: r.recoveredCents };
  }
}

const isReminderColumn = (c: ReportColumn): c is ReminderColumn =>
  c === 'remindersSent' || c === 'remindersPaid' || c === 'remindersRecovered';

/** One row of the table: the label first, then the metrics in column order, the 催付 figures last. */
export function rowCells(label: string, m: Metrics, reminders: ReminderFigures = NO_REMINDERS): Cell[] {
  return REPORT_COLUMNS.map((c) =>
    c === 'agent' ? { kind: 'text', value: label } : isReminderColumn(c) ? reminderCell(reminders, c) : metricCell(m, c),
  );
}

export function seriesCells(period: string, m: Metrics): Cell[] {
  return SERIES_COLUMNS.map((c) => (c === 'period' ? { kind: 'text', value: period } : metricCell(m, c)));
}

const grouped = new Intl.NumberFormat('en-US');

/**
 * A cell as text: counts as integers (`grouping`: 1,234), rates in percent with one decimal, times in
 * seconds with one decimal, 答问比 with two, money in yuan with two; no value is `empty`.
 */
export function cellText(c: Cell, options: { grouping?: boolean; empty?: string } = {}): string {
  if (c.value === null) return options.empty ?? '';
  if (typeof c.value === 'string') return c.value;
  const v = c.value;
  switch (c.kind) {
    case 'count':
      return options.grouping ? grouped.format(v) : String(v);
    case 'rate':
      return `${(v * 100).toFixed(1)}%`;
    case 'seconds':
      return (v / 1000).toFixed(1);
    case 'ratio':
      return v.toFixed(2);
    case 'money':
      return (v / 100).toFixed(2);
    case 'text':
      return String(v);
  }
}

/** A cell as a spreadsheet number (rates as fractions, seconds, yuan), with the number format to show it in. */
export function cellNumber(c: Cell): { value: number | string | null; numFmt?: string } {
  if (c.value === null || typeof c.value === 'string') return { value: c.value };
  switch (c.kind) {
    case 'count':
      return { value: c.value, numFmt: '0' };
    case 'rate':
      return { value: c.value, numFmt: '0.0%' };
    case 'seconds':
      return { value: Math.round(c.value / 100) / 10, numFmt: '0.0' };
    case 'ratio':
      return { value: Math.round(c.value * 100) / 100, numFmt: '0.00' };
    case 'money':
      return { value: c.value / 100, numFmt: '0.00' };
    case 'text':
      return { value: c.value };
  }
}

/** The change from the period before, as a fraction (0.25 = +25 %); null when there is nothing to compare. */
export function changeOf(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / previous;
}
