import type { RedLineEntry } from '../../../../shared/domain/redLines/defaults';
import { caughtWords, compileRedLines } from '../../../../shared/domain/redLines/matcher';
import type { PhraseScope } from '../../../../shared/domain/types';
import { unneutralise } from '../../csv/csvText';
import { phraseSearchKeys } from '../searchKeys';
import { readTable, type Format, type Table, type TableRow } from './readTable';
import { validateRows, type RowProblem, type ValidRow } from './validate';

/** A valid row with the pinyin keys it will be stored with (the costly part of an import). */
export type KeyedRow = ValidRow & { searchKeys: string };

/**
 * What reading and checking a file gives, before the library is looked at: plain data, so it crosses
 * from the parse thread (parseWorker.ts) by structured clone.
 */
export type ParsedFile = {
  format: Format;
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  unit: Table['unit'];
  rows: number;
  unknownColumns: string[];
  valid: KeyedRow[];
  problems: RowProblem[];
  invalidRows: number;
};

export type ParseOptions = {
  encoding?: string | undefined;
  sheet?: string | undefined;
  scope: PhraseScope;
  /** The shop's red lines: a valid row holding one gets a warning (it is still imported). */
  redLines?: { words: RedLineEntry[]; exceptions: string[] } | undefined;
};

/** Reads and checks a file; an `ImportError` says why a whole file cannot be read (where it runs, it is rebuilt as one). */
export type ParsePhraseFile = (fileName: string, data: Buffer, options: ParseOptions) => Promise<ParsedFile>;

/**
 * A delimited file with a UTF-8 BOM may be our own export, whose writer put an apostrophe before
 * formula-looking cells (`'=SUM(A1)`). That apostrophe is taken off again, exactly the one added
 * (Excel itself never writes a leading apostrophe into CSV: it is a display prefix there), so our own
 * file round-trips. Files without a BOM (Qianniu's GBK exports) are taken as written.
 */
function undoNeutralising(table: Table): Table {
  if (table.format === 'xlsx' || table.format === 'json' || table.encoding !== 'utf-8-bom') return table;
  const rows = table.rows.map((r) => ({
    ...r,
    values: Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, v === undefined ? v : unneutralise(v)])) as TableRow['values'],
  }));
  return { ...table, rows };
}

/** Rows whose title or content holds one of the shop's red-line words: reported, still imported. */
function redLineWarnings(redLines: ParseOptions['redLines'], rows: ValidRow[]): RowProblem[] {
  if (!redLines || redLines.words.length === 0) return [];
  const matcher = compileRedLines(redLines.words, redLines.exceptions);
  const out: RowProblem[] = [];
  for (const r of rows) {
    for (const column of ['title', 'content'] as const) {
      const words = caughtWords(matcher.find(r[column]));
      if (words.length > 0) out.push({ row: r.row, column, rule: 'red_line', params: { words: words.join('、') } });
    }
  }
  return out.sort((a, b) => a.row - b.row);
}

/** read → validate → red lines → pinyin keys, on whichever thread calls it (the parse thread in the app; tests inline). */
export const parsePhraseFile: ParsePhraseFile = async (fileName, data, options) => {
  const table = undoNeutralising(await readTable(fileName, data, { encoding: options.encoding, sheet: options.sheet }));
  const { valid, problems, invalidRows } = validateRows(table.rows, options.scope);
  return {
    format: table.format,
    encoding: table.encoding ?? null,
    delimiter: table.delimiter ?? null,
    sheet: table.sheet ?? null,
    unit: table.unit,
    rows: table.rows.length,
    unknownColumns: table.header.unknown,
    valid: valid.map((row) => ({ ...row, searchKeys: phraseSearchKeys(row) })),
    problems: [...problems, ...redLineWarnings(options.redLines, valid)],
    invalidRows,
  };
};
