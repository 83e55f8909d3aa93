import ExcelJS from 'exceljs';
import type { Store } from '../../../store';
import { csvDocument, neutralise } from '../../csv/csvText';

export type ExportFormat = 'xlsx' | 'csv' | 'json';

/** The same columns the import reads, so an exported file imports back unchanged. */
export const EXPORT_HEADER = ['分组', '快捷编码', '标题', '快捷短语', '是否加入团队'] as const;

export function exportRows(
  store: Store,
  agentId: string,
): { group: string; code: string; title: string; content: string; scope: 'team' | 'personal' }[] {
  const { groups, phrases } = store.phrases.forPicker(agentId);
  const order = new Map(groups.map((g, i) => [g.id, i]));
  const name = new Map(groups.map((g) => [g.id, g.name]));
  return [...phrases]
    .sort((a, b) => (order.get(a.groupId) ?? 0) - (order.get(b.groupId) ?? 0) || a.sort - b.sort)
    .map((p) => ({ group: name.get(p.groupId) ?? '', code: p.code, title: p.title, content: p.content, scope: p.scope }));
}

/**
 * The phrase library as a file: .xlsx (sheet 快捷短语), .csv or .json. The CSV is the chat-log
 * export's writer (BOM, CRLF, RFC 4180, formula-looking cells neutralised with a leading '), which
 * the import undoes on files with a BOM, so our own file round-trips exactly.
 */
export async function exportPhrases(store: Store, agentId: string, format: ExportFormat): Promise<Buffer> {
  const rows = exportRows(store, agentId);
  const cells = rows.map((r) => [r.group, r.code, r.title, r.content, r.scope === 'team' ? '是' : '否']);
  if (format === 'json') return Buffer.from(`${JSON.stringify(rows, null, 1)}\n`, 'utf8');
  if (format === 'csv') return Buffer.from(csvDocument([[...EXPORT_HEADER], ...cells.map((line) => line.map(neutralise))]), 'utf8');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('快捷短语', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: EXPORT_HEADER[0], width: 12 },
    { header: EXPORT_HEADER[1], width: 12 },
    { header: EXPORT_HEADER[2], width: 18 },
    { header: EXPORT_HEADER[3], width: 60 },
    { header: EXPORT_HEADER[4], width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  // Plain strings stay strings in exceljs (a formula needs {formula}), so a phrase starting with "=" stays a phrase.
  for (const line of cells) sheet.addRow(line);
  sheet.getColumn(4).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
