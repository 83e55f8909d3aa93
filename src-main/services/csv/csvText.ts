/**
 * The one CSV writer for every export (chat logs, the phrase library): UTF-8 with a byte-order mark
 * (so Excel reads Chinese), CRLF line ends, RFC 4180 quoting, and text cells neutralised against
 * formula injection. csv-stringify was measured and not used: by default it leaves a field holding
 * a lone CR (or, with CRLF records, a lone LF) unquoted, and it cost five times as much per row.
 */

/** Written once at the start of a file. */
export const CSV_BOM = '\uFEFF';

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/** RFC 4180: a field holding a comma, a double quote, CR or LF is quoted, its quotes doubled. */
export function csvField(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(QUOTE, '""')}"` : s;
}

/** One record with its CRLF. */
export function csvLine(fields: readonly string[]): string {
  let line = csvField(fields[0] ?? '');
  for (let i = 1; i < fields.length; i++) line += `,${csvField(fields[i] ?? '')}`;
  return `${line}\r\n`;
}

/** A whole small file (header and rows) as text, BOM first. Large exports stream csvLine instead. */
export function csvDocument(rows: readonly (readonly string[])[]): string {
  let text = CSV_BOM;
  for (const row of rows) text += csvLine(row);
  return text;
}

/**
 * A cell a spreadsheet could take for a formula or a command starts with = + - @, a tab or a CR.
 * Also caught: the same behind apostrophes, so that a text which already starts with `'=` gets one
 * more and `unneutralise` can give every text back exactly (the mapping is one-to-one).
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

/**
 * Against formula injection (CSV and XLSX): such a cell gets a leading apostrophe, which Excel,
 * LibreOffice and Google Sheets read as "this is text". Applied to every text cell.
 */
export function neutralise(s: string): string {
  // Most cells start with none of ' = + - @ tab CR: one look at the first character settles them.
  const first = s.charCodeAt(0);
  if (first !== 39 && first !== 61 && first !== 43 && first !== 45 && first !== 64 && first !== 9 && first !== 13) return s;
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** The inverse of `neutralise`, for reading our own files back: removes exactly the apostrophe it added. */
export function unneutralise(s: string): string {
  return NEUTRALISED.test(s) ? s.slice(1) : s;
}
