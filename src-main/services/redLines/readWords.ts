import Papa from 'papaparse';
import { RED_LINE_CATEGORIES, type RedLineCategory } from '../../../shared/domain/redLines/defaults';
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FILE_MB } from '../../../shared/domain/phraseRules';
import { decodeText } from '../phrases/files/decodeText';
import { ImportError } from '../phrases/files/errors';
import { formatOf, cellText } from '../phrases/files/readTable';
import { readXlsxSheet } from '../phrases/files/readXlsx';

/**
 * Reads a supervisor's file of red-line words with the phrase import's readers (the same encodings,
 * zip guard and limits): one word a row in the first column, its category in the second (联系方式 /
 * 绝对化 / 退款 / 自定义, or the codes contact / claim / refund / custom; blank = custom), and 例外 /
 * exception there makes the row an exception. A header row naming 词 or word is skipped.
 */

const MAX_ROWS = 5_000;

export type WordRow = { row: number; word: string; category: RedLineCategory | 'exception' | null };

const CATEGORY_NAMES: Record<string, RedLineCategory | 'exception'> = {
  联系方式: 'contact',
  站外联系: 'contact',
  引导站外: 'contact',
  绝对化: 'claim',
  极限词: 'claim',
  绝对化用语: 'claim',
  退款: 'refund',
  站外退款: 'refund',
  私下退款: 'refund',
  自定义: 'custom',
  其他: 'custom',
  例外: 'exception',
  白名单: 'exception',
  exception: 'exception',
};
for (const c of RED_LINE_CATEGORIES) CATEGORY_NAMES[c] = c;

function categoryOf(cell: string | undefined): RedLineCategory | 'exception' | null | undefined {
  const name = (cell ?? '').trim().toLowerCase();
  if (!name) return null;
  return CATEGORY_NAMES[name];
}

const HEADER = /^(红线词|违禁词|敏感词|词|词语|word|words)$/i;

export async function readWords(fileName: string, data: Buffer, encoding?: string): Promise<{ rows: WordRow[]; unknown: number[] }> {
  if (data.length > MAX_IMPORT_FILE_BYTES)
    throw new ImportError('too_large', { sizeMb: Math.ceil(data.length / 1024 / 1024), limitMb: MAX_IMPORT_FILE_MB });
  if (data.length === 0) throw new ImportError('empty');
  const format = formatOf(fileName, data);
  let cells: string[][];
  if (format === 'xlsx') cells = (await readXlsxSheet(data, undefined, MAX_ROWS + 1, cellText)).cells;
  else if (format === 'json') throw new ImportError('bad_json', { detail: 'use CSV, TXT or XLSX' });
  else cells = Papa.parse<string[]>(decodeText(data, encoding).text, { delimitersToGuess: [',', '\t', ';'], skipEmptyLines: true }).data;
  if (cells.length > MAX_ROWS + 1) throw new ImportError('too_many_rows', { rows: cells.length, limit: MAX_ROWS });
  const rows: WordRow[] = [];
  const unknown: number[] = [];
  cells.forEach((line, i) => {
    const word = (line[0] ?? '').replace(/^\uFEFF/, '').trim();
    if (i === 0 && HEADER.test(word)) return;
    const category = categoryOf(line[1]);
    if (category === undefined) unknown.push(i + 1);
    else rows.push({ row: i + 1, word, category });
  });
  return { rows, unknown };
}
