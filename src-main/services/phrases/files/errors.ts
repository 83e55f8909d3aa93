/** Why a whole file cannot be imported (as opposed to a row that is refused). */
export type ImportErrorCode =
  | 'too_large'
  | 'too_many_rows'
  | 'too_large_unpacked'
  | 'too_many_cells'
  | 'legacy_xls'
  | 'unknown_format'
  | 'unreadable'
  | 'no_content_column'
  | 'no_sheet'
  | 'bad_json'
  | 'bad_encoding'
  | 'empty';

export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'ImportError';
  }
}
