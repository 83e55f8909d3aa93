import { charCount, PHRASE_LIMITS, phraseProblems, UNGROUPED } from '../../../../shared/domain/phraseRules';
import type { PhraseScope } from '../../../../shared/domain/types';
import { scopeOf, type Field } from './columns';
import type { RowRule } from './messages';
import type { TableRow } from './readTable';

export type ValidRow = { row: number; group: string; code: string; title: string; content: string; scope: PhraseScope };
export type RowProblem = { row: number; column: Field; rule: RowRule; params: Record<string, string | number> };

/**
 * Checks every row against the phrase rules. Text is kept exactly as written (emoji, rare characters,
 * zero-width characters, HTML-looking text); only the code, title and group lose outer spaces.
 */
export function validateRows(
  rows: TableRow[],
  defaultScope: PhraseScope,
): { valid: ValidRow[]; problems: RowProblem[]; invalidRows: number } {
  const valid: ValidRow[] = [];
  const problems: RowProblem[] = [];
  const firstOfCode = new Map<string, number>();
  let invalidRows = 0;
  for (const { row, values } of rows) {
    const mine: RowProblem[] = [];
    const add = (column: Field, rule: RowRule, params: Record<string, string | number> = {}) => mine.push({ row, column, rule, params });
    const code = (values.code ?? '').trim();
    const title = (values.title ?? '').trim();
    const content = values.content ?? '';
    const group = (values.group ?? '').trim() || UNGROUPED;
    // U+FFFD is what decoding left of bytes that were not text in the file's encoding.
    for (const [field, value] of Object.entries(values) as [Field, string][]) if (value.includes('\uFFFD')) add(field, 'unreadable_chars');
    const scopeValue = scopeOf(values.scope ?? '');
    if (scopeValue === 'unknown') add('scope', 'bad_scope', { value: (values.scope ?? '').slice(0, 20) });
    const scope: PhraseScope = scopeValue === 'team' || scopeValue === 'personal' ? scopeValue : defaultScope;

    // The same rules as the library screen's form (shared/domain/phraseRules.ts), with the numbers a report names.
    const fields = { code, title, content, group };
    for (const p of phraseProblems(fields)) {
      add(p.field, p.rule, p.rule === 'too_long' ? { limit: PHRASE_LIMITS[p.field], length: charCount(fields[p.field]) } : {});
    }
    if (code !== '' && mine.every((p) => p.column !== 'code')) {
      const key = `${scope}\u0000${code}`;
      const first = firstOfCode.get(key);
      if (first !== undefined) add('code', 'duplicate_in_file', { first });
      else if (mine.length === 0) firstOfCode.set(key, row);
    }
    if (mine.length > 0) {
      invalidRows += 1;
      problems.push(...mine);
    } else valid.push({ row, group, code, title, content, scope });
  }
  return { valid, problems, invalidRows };
}
