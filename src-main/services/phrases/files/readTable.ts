import type ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FILE_MB } from '../../../../shared/domain/phraseRules';
import { decodeText } from './decodeText';
import { findHeader, mapHeader, type Field, type HeaderMap } from './columns';
import { ImportError } from './errors';
import { readXlsxSheet } from './readXlsx';

export const MAX_ROWS = 50_000;

export type Format = 'xlsx' | 'csv' | 'tsv' | 'txt' | 'json';

export type TableRow = { row: number; values: Partial<Record<Field, string>> };

export type Table = {
  format: Format;
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  header: HeaderMap;
  rows: TableRow[];
  /** Rows are numbered as a spreadsheet shows them ('row') or, for JSON, as array items ('item'). */
  unit: 'row' | 'item';
};

export type ReadOptions = { encoding?: string | undefined; sheet?: string | undefined };

export function formatOf(fileName: string, data: Buffer): Format {
  if (data.length >= 4 && data.readUInt32BE(0) === 0xd0cf11e0) throw new ImportError('legacy_xls');
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (ext === 'xls') throw new ImportError('legacy_xls');
  if (ext === 'xlsx' || ext === 'xlsm') return 'xlsx';
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt' || ext === 'json') return ext;
  if (data.length >= 4 && data.readUInt32LE(0) === 0x04034b50) return 'xlsx';
  throw new ImportError('unknown_format', { ext: ext || '?' });
}

/** Qianniu's export writes a line break inside a phrase as `&#13;` and a comma as `&#44;`. */
export function decodeQianniuEscapes(s: string): string {
  return s
    .replace(/&#13;(&#10;)?/g, '\n')
    .replace(/&#10;/g, '\n')
    .replace(/&#44;/g, ',');
}

/** `cells` may have holes (a sheet's missing rows); row numbers follow the indexes. */
function toRows(cells: (string[] | undefined)[], firstRowNumber: number, escapes: boolean): { header: HeaderMap; rows: TableRow[] } {
  const at = findHeader(cells.slice(0, 10).map((r) => r ?? []));
  if (at < 0)
    throw new ImportError('no_content_column', {
      columns: (cells.find((r) => r?.some((c) => c.trim())) ?? []).filter((c) => c.trim()).join('、') || '—',
    });
  const header = mapHeader(cells[at]!);
  const rows: TableRow[] = [];
  for (let i = at + 1; i < cells.length; i++) {
    const line = cells[i];
    if (!line || line.every((c) => c.trim() === '')) continue; // blank rows are skipped, but keep their numbers
    const values: Partial<Record<Field, string>> = {};
    for (const [col, field] of header.columns) {
      const raw = line[col] ?? '';
      values[field] = escapes ? decodeQianniuEscapes(raw) : raw;
    }
    rows.push({ row: firstRowNumber + i, values });
  }
  if (rows.length > MAX_ROWS) throw new ImportError('too_many_rows', { rows: rows.length, limit: MAX_ROWS });
  return { header, rows };
}

export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? '');
    if ('text' in value) return String((value as { text: unknown }).text ?? '');
    if ('error' in value) return '';
  }
  return String(value);
}

async function readXlsx(data: Buffer, sheetName?: string): Promise<Omit<Table, 'format' | 'unit'>> {
  const { sheet, cells } = await readXlsxSheet(data, sheetName, MAX_ROWS + 20, cellText);
  return { sheet, ...toRows(cells, 1, false) };
}

function readDelimited(data: Buffer, format: 'csv' | 'tsv' | 'txt', encoding?: string): Omit<Table, 'format' | 'unit'> {
  const decoded = decodeText(data, encoding);
  const parsed = Papa.parse<string[]>(decoded.text, {
    delimiter: format === 'tsv' ? '\t' : '',
    delimitersToGuess: [',', '\t', ';'],
    skipEmptyLines: false,
  });
  if (parsed.data.length > MAX_ROWS + 20) throw new ImportError('too_many_rows', { rows: parsed.data.length, limit: MAX_ROWS });
  const delimiter = parsed.meta.delimiter;
  // Qianniu-style files (GBK, no BOM) escape line breaks and commas; files with a BOM (Excel's, and
  // our own export) quote them instead, so their text is taken as written and a round trip loses nothing.
  const escapes = !decoded.encoding.endsWith('-bom') && !decoded.encoding.startsWith('utf-16');
  return { encoding: decoded.encoding, delimiter, ...toRows(parsed.data, 1, escapes) };
}

function readJson(data: Buffer, encoding?: string): Omit<Table, 'format' | 'unit'> {
  const decoded = decodeText(data, encoding);
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded.text);
  } catch (error) {
    throw new ImportError('bad_json', { detail: error instanceof Error ? error.message.slice(0, 120) : '' });
  }
  if (!Array.isArray(parsed)) throw new ImportError('bad_json', { detail: 'not an array' });
  if (parsed.length > MAX_ROWS) throw new ImportError('too_many_rows', { rows: parsed.length, limit: MAX_ROWS });
  const keys: string[] = [];
  for (const item of parsed)
    if (item && typeof item === 'object' && !Array.isArray(item)) for (const k of Object.keys(item)) if (!keys.includes(k)) keys.push(k);
  const header = mapHeader(keys);
  if (![...header.columns.values()].includes('content')) throw new ImportError('no_content_column', { columns: keys.join('、') || '—' });
  const rows: TableRow[] = parsed.map((item: unknown, i) => {
    const values: Partial<Record<Field, string>> = {};
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const record = item as Record<string, unknown>;
      for (const [col, field] of header.columns) {
        const v = record[keys[col]!];
        values[field] =
          v === null || v === undefined
            ? ''
            : typeof v === 'string'
              ? v
              : typeof v === 'number' || typeof v === 'boolean'
                ? String(v)
                : JSON.stringify(v);
      }
    }
    return { row: i + 1, values };
  });
  return { encoding: decoded.encoding, header, rows };
}

/** Reads a supervisor's file into rows of phrase fields, refusing what cannot be read with a reason. */
export async function readTable(fileName: string, data: Buffer, options: ReadOptions = {}): Promise<Table> {
  if (data.length > MAX_IMPORT_FILE_BYTES)
    throw new ImportError('too_large', { sizeMb: Math.ceil(data.length / 1024 / 1024), limitMb: MAX_IMPORT_FILE_MB });
  if (data.length === 0) throw new ImportError('empty');
  const format = formatOf(fileName, data);
  if (format === 'xlsx') return { format, unit: 'row', ...(await readXlsx(data, options.sheet)) };
  if (format === 'json') return { format, unit: 'item', ...readJson(data, options.encoding) };
  return { format, unit: 'row', ...readDelimited(data, format, options.encoding) };
}
