import { PassThrough, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import { ImportError } from './errors';
import { openZip, type BoundedZip } from './zipGuard';

/** Past this many cells kept, a sheet is refused while it is read (50,000 phrases in six columns). */
export const MAX_CELLS = 300_000;

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|\w+);/g, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : (XML_ENTITIES[e] ?? m),
  );

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
async function sheetsOf(zip: BoundedZip): Promise<{ workbook: Buffer; sheets: { name: string; path: string }[] }> {
  const workbook = await zip.read('xl/workbook.xml');
  const rels = (await zip.read('xl/_rels/workbook.xml.rels'))?.toString('utf8');
  if (!workbook || rels === undefined) throw new ImportError('unreadable', { detail: 'xlsx: no workbook' });
  const targets = new Map(tags(rels, 'Relationship').map((r) => [r.Id ?? '', r.Target ?? '']));
  const sheets = tags(workbook.toString('utf8'), 'sheet').flatMap((s) => {
    const id = Object.entries(s).find(([k]) => k === 'id' || k.endsWith(':id'))?.[1] ?? '';
    const target = targets.get(id);
    if (!target || s.name === undefined) return [];
    return [{ name: s.name, path: target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}` }];
  });
  return { workbook, sheets };
}

/** What readXlsxSheet calls on exceljs's streaming reader besides its public constructor (exceljs 4.4). */
type ReaderParts = {
  workbookRels: unknown[];
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
};

/**
 * A part as a stream of strings cut at character boundaries. exceljs's streaming parser decodes each
 * chunk it is given on its own (`TextDecoder.decode(chunk)`), so a byte stream breaks any character
 * that straddles two chunks into U+FFFD; handed strings, it passes them through untouched.
 */
function textOf(part: Buffer): Readable {
  return Readable.from(
    (function* () {
      const decoder = new StringDecoder('utf8');
      for (let at = 0; at < part.length; at += 64 * 1024) yield decoder.write(part.subarray(at, at + 64 * 1024));
      yield decoder.end();
    })(),
  );
}

/**
 * One sheet's cells as text, read with exceljs's streaming reader so that memory follows the rows
 * kept, not exceljs's model of the whole workbook (a few hundred bytes a cell). The reader is given
 * the parts unpacked under the budget, as text: it never sees the file's zip or its headers.
 */
export async function readXlsxSheet(
  data: Buffer,
  sheetName: string | undefined,
  maxRows: number,
  cellText: (v: ExcelJS.CellValue) => string,
): Promise<{ sheet: string; cells: string[][] }> {
  const zip = openZip(data);
  const { workbook, sheets } = await sheetsOf(zip);
  const chosen = sheetName === undefined ? sheets[0] : sheets.find((s) => s.name === sheetName);
  if (!chosen) throw new ImportError('no_sheet', { sheet: sheetName ?? '', sheets: sheets.map((s) => s.name).join('、') || '—' });
  const sheetXml = await zip.read(chosen.path);
  if (!sheetXml) throw new ImportError('unreadable', { detail: `xlsx: no ${chosen.path}` });
  const styles = await zip.read('xl/styles.xml');
  const strings = await zip.read('xl/sharedStrings.xml');

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(new PassThrough(), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as ReaderParts;
  // Holes where the sheet has no row; past a limit rows are only counted, so the refusal can say how many.
  const cells: string[][] = [];
  let rows = 0;
  let kept = 0;
  try {
    await reader._parseWorkbook(textOf(workbook));
    // Names and targets are already known (sheetsOf); empty relations leave the reader's own lookup out.
    reader.workbookRels = [];
    if (styles) await reader._parseStyles(textOf(styles));
    if (strings) for await (const _ of reader._parseSharedStrings(textOf(strings)));
    else (reader as unknown as { sharedStrings: unknown[] }).sharedStrings = [];
    for (const { value: worksheet } of reader._parseWorksheet(textOf(sheetXml), '1')) {
      for await (const row of worksheet) {
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
  }
  if (rows > maxRows) throw new ImportError('too_many_rows', { rows, limit: maxRows - 20 });
  if (kept > MAX_CELLS) throw new ImportError('too_many_cells', { cells: kept, limit: MAX_CELLS });
  return { sheet: chosen.name, cells };
}
