import type { Lang } from '../../../../shared/domain/lang';
import { translate, type Vars } from '../../../../shared/i18n';
import type { Field } from './columns';
import type { ImportErrorCode } from './errors';

export type { Lang };
/** `red_line` is a warning, not a refusal: the row is imported (an import is a lead's, who may keep such a phrase knowingly). */
export type RowRule = 'empty' | 'too_long' | 'has_space' | 'duplicate_in_file' | 'bad_scope' | 'unreadable_chars' | 'red_line';

// The report's sentences are the dictionaries' `importReport.*` (shared/i18n), one home for the
// desk, the CLI and the core; this file only names which one a rule or a refusal says.

export const columnName = (lang: Lang, field: Field) => translate(lang, `importReport.column.${field}`);

/** "快捷编码超过 16 个字符（现有 20 个）": the column, then what is wrong with it. */
export function rowMessage(lang: Lang, field: Field, rule: RowRule, params: Vars): string {
  return translate(lang, `importReport.row.${rule}`, { ...params, column: columnName(lang, field) });
}

export function fileMessage(lang: Lang, code: ImportErrorCode, params: Vars): string {
  return translate(lang, `importReport.file.${code}`, params);
}
