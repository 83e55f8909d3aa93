import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { ImportError } from './errors';
import { openZip, type BoundedZip } from './zipGuard';

/** Past this many cells kept, a sheet is refused while it is read (50,000 phrases in six columns). */
export const MAX_CELLS = 300_000;

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|\w+);/g, (m, e: string) => (e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : (XML_ENTITIES[e] ?? m)));

/** The attributes of every `<tag …>` in a small XML part (workbook.xml and its rels are a few KB). */
function tags(xml: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of xml.matchAll(new RegExp(`<(?:[\\w.-]+:)?${tag}\\b([^>]*)>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = unescapeXml(a[2] ?? a[3] ?? '');
    out.push(attrs);
  }
  return out;
}

/** The workbook's sheets in its own order, each with the zip entry that holds it. */
async function sheetsOf(zip: BoundedZip): Promise<{ name: string; path: string }[]> {
  const workbook = (await zip.read('xl/workbook.xml'))?.toString('utf8');
  const rels = (await zip.read('xl/_rels/workbook.xml.rels'))?.toString('utf8');
  if (workbook === undefined || rels === undefined) throw new ImportError('unreadable', { detail: 'xlsx: no workbook' });
  const targets = new Map(tags(rels, 'Relationship').map((r) => [r.Id ?? '', r.Target ?? '']));
  return tags(workbook, 'sheet').flatMap((s) => {
    const id = Object.entries(s).find(([k]) => k === 'id' || k.endsWith(':id'))?.[1] ?? '';
    const target = targets.get(id);
    if (!target || s.name === undefined) return [];
    return [{ name: s.name, path: target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}` }];
  });
}

/**
 * One sheet's cells as text, read with exceljs's streaming reader so that memory follows the rows
 * kept, not exceljs's model of the whole workbook (a few hundred bytes a cell). The reader gets a
 * zip rebuilt, stored, from parts unpacked under the budget: it never sees the file's own headers.
 */
export async function readXlsxSheet(data: Buffer, sheetName: string | undefined, maxRows: number, cellText: (v: ExcelJS.CellValue) => string): Promise<{ sheet: string; cells: string[][] }> {
  const zip = openZip(data);
  const sheets = await sheetsOf(zip);
  const chosen = sheetName === undefined ? sheets[0] : sheets.find((s) => s.name === sheetName);
  if (!chosen) throw new ImportError('no_sheet', { sheet: sheetName ?? '', sheets: sheets.map((s) => s.name).join('、') || '—' });
  const sheetXml = await zip.read(chosen.path);
  if (!sheetXml) throw new ImportError('unreadable', { detail: `xlsx: no ${chosen.path}` });

  // The order the streaming reader needs: relations and strings before the sheet, or it spills the
  // sheet to a temporary file. The relations are left empty: the names are already known.
  const clean = new JSZip();
  clean.file('xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>');
  clean.file('xl/workbook.xml', (await zip.read('xl/workbook.xml'))!);
  const styles = await zip.read('xl/styles.xml');
  if (styles) clean.file('xl/styles.xml', styles);
  clean.file('xl/sharedStrings.xml', (await zip.read('xl/sharedStrings.xml')) ?? '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>');
  clean.file('xl/worksheets/sheet1.xml', sheetXml);
  // JSZip's stream comes from its own copy of readable-stream; exceljs wants node's.
  const stream = new PassThrough();
  clean.generateNodeStream({ compression: 'STORE', streamFiles: false }).pipe(stream);

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  // Holes where the sheet has no row; past a limit rows are only counted, so the refusal can say how many.
  const cells: string[][] = [];
  let rows = 0;
  let kept = 0;
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as ExcelJS.CellValue[];
        rows += 1;
        kept += Math.max(0, values.length - 1);
        if (rows > maxRows || kept > MAX_CELLS) continue;
        const line: string[] = [];
        for (let c = 1; c < values.length; c++) line.push(cellText(values[c]));
        cells[row.number - 1] = line;
      }
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError('unreadable', { detail: error instanceof Error ? error.message.slice(0, 200) : 'xlsx' });
  } finally {
    stream.destroy();
  }
  if (rows > maxRows) throw new ImportError('too_many_rows', { rows, limit: maxRows - 20 });
  if (kept > MAX_CELLS) throw new ImportError('too_many_cells', { cells: kept, limit: MAX_CELLS });
  return { sheet: chosen.name, cells };
}
