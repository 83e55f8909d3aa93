import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { REPORT_EXTENSIONS, type ReportFormat, type ReportSummary } from '../../../shared/contract/reports';
import type { ExportLocale } from '../../../shared/contract/logExport';
import {
  cellNumber,
  cellText,
  REPORT_COLUMNS,
  rowCells,
  SERIES_COLUMNS,
  seriesCells,
  type Cell,
} from '../../../shared/domain/reports/table';
import type { Shop } from '../../../shared/domain/types';
import { translator, type MessageKey } from '../../../shared/i18n';
import { csvLine, CSV_BOM, neutralise } from '../csv/csvText';
import { safeName } from '../logExport/exportService';
import { tempPathFor } from '../logExport/output';
import { xlsxText } from '../logExport/writeXlsx';

/**
 * The report's table as a file, with the chat-log export's writers: CSV through the one CSV writer
 * (UTF-8 with BOM, CRLF, RFC 4180, formula cells neutralised), XLSX with its text rules (illegal XML
 * characters, Excel's cell limit) and the same neutralising. The XLSX holds numbers as numbers with
 * a format; the CSV the text the screen shows (without digit grouping). Written to a hidden part
 * file beside the destination and renamed into place once complete.
 */

export type TableRows = { header: string[]; rows: Cell[][] };

/** The rows the screen shows: the team first, then each agent ('' is nobody). */
export function reportTable(summary: ReportSummary, t: (key: MessageKey) => string): TableRows {
  const nick = new Map(summary.agents.map((a) => [a.id, a.nick]));
  const label = (id: string) => (id === '' ? t('reports.nobody') : (nick.get(id) ?? id));
  return {
    header: REPORT_COLUMNS.map((c) => t(`reports.col.${c}`)),
    rows: [
      rowCells(t('reports.team'), summary.totals.team, summary.reminders),
      ...summary.totals.agents.map((a) => rowCells(label(a.agentId), a.metrics, summary.agentReminders?.[a.agentId])),
    ],
  };
}

function seriesTable(summary: ReportSummary, t: (key: MessageKey) => string): TableRows {
  return {
    header: SERIES_COLUMNS.map((c) => t(c === 'period' ? 'reports.col.period' : `reports.col.${c}`)),
    rows: summary.series.map((s) => seriesCells(s.from === s.to ? s.from : `${s.from}~${s.to}`, s.team)),
  };
}

const DEFINITIONS: MessageKey[] = [
  'reports.def.received',
  'reports.def.asked',
  'reports.def.converted',
  'reports.def.response',
  'reports.def.auto',
  'reports.def.unanswered',
  'reports.def.sales',
  'reports.def.answerRatio',
  'reports.def.reminders',
];

export function reportCsv(table: TableRows): string {
  let text = CSV_BOM + csvLine(table.header);
  for (const row of table.rows) text += csvLine(row.map((c) => (c.kind === 'text' ? neutralise(cellText(c)) : cellText(c))));
  return text;
}

async function reportXlsx(summary: ReportSummary, t: (key: MessageKey) => string, shopName: string): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Jiedai';
  workbook.created = new Date(summary.generatedAt);
  workbook.title = `${shopName} ${t('reports.title')} ${summary.from}~${summary.to}`;
  const sheet = (name: string, table: TableRows, widths: (i: number) => number) => {
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1, topLeftCell: 'B2', activeCell: 'B2' }] });
    ws.columns = table.header.map((_, i) => ({ width: widths(i) }));
    const head = ws.addRow(table.header.map((h) => xlsxText(h)));
    head.font = { bold: true };
    for (const row of table.rows) {
      const added = ws.addRow(row.map((c) => (c.kind === 'text' ? xlsxText(neutralise(cellText(c))) : cellNumber(c).value)));
      row.forEach((c, i) => {
        const fmt = cellNumber(c).numFmt;
        if (fmt) added.getCell(i + 1).numFmt = fmt;
      });
    }
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } };
  };
  sheet(t('reports.sheet.table'), reportTable(summary, t), (i) => (i === 0 ? 16 : 12));
  sheet(t('reports.sheet.series'), seriesTable(summary, t), (i) => (i === 0 ? 24 : 12));
  const defs = workbook.addWorksheet(t('reports.sheet.definitions'));
  defs.columns = [{ width: 120 }];
  defs.addRow([xlsxText(`${shopName} · ${summary.from} ~ ${summary.to} · ${summary.timeZone}`)]).font = { bold: true };
  for (const key of DEFINITIONS) defs.addRow([xlsxText(t(key))]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Writes the table to `destination` (the shell's choice: the desktop's save dialog, the CLI's --out)
 * or, without one, to a new file in `exportsFolder`. Returns the file and its size.
 */
export async function writeReportFile(options: {
  summary: ReportSummary;
  format: ReportFormat;
  locale: ExportLocale;
  shop: Shop | null;
  exportsFolder: string;
  destination?: { path: string; overwrite: boolean } | undefined;
  now: number;
}): Promise<{ path: string; bytes: number }> {
  const { summary, format, locale } = options;
  const t = translator(locale);
  const ext = REPORT_EXTENSIONS[format];
  let file: string;
  if (options.destination) {
    file = options.destination.path;
    if (!path.isAbsolute(file)) throw new AppError('invalid_argument', 'the destination must be an absolute path');
    if (path.extname(file).toLowerCase() !== ext) throw new AppError('invalid_argument', `a ${format} report is a ${ext} file`);
    const dir = path.dirname(file);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new AppError('not_found', `no folder ${dir}`);
    if (fs.existsSync(file) && (fs.statSync(file).isDirectory() || !options.destination.overwrite)) {
      throw new AppError('conflict', `${file} already exists`);
    }
  } else {
    fs.mkdirSync(options.exportsFolder, { recursive: true });
    const stamp = new Date(options.now).toISOString().replace(/[-:]/g, '').slice(0, 15);
    const base = `${safeName(options.shop?.name ?? 'jiedai')}-${t('reports.fileName')}-${summary.from}_${summary.to}-${stamp}`;
    file = path.join(options.exportsFolder, `${base}${ext}`);
    for (let i = 2; fs.existsSync(file); i++) file = path.join(options.exportsFolder, `${base}-${i}${ext}`);
  }
  const data =
    format === 'csv' ? Buffer.from(reportCsv(reportTable(summary, t)), 'utf8') : await reportXlsx(summary, t, options.shop?.name ?? '');
  const part = tempPathFor(file, `${process.pid}-${options.now}`);
  const fd = fs.openSync(part, 'wx');
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(part, file);
  } catch (error) {
    fs.rmSync(part, { force: true });
    throw error;
  }
  return { path: file, bytes: data.length };
}
