/** The limits of a quick phrase (快捷短语), the same for the library screen and for imports. */
export const PHRASE_LIMITS = { code: 16, title: 50, contentMin: 1, content: 2000, group: 20 } as const;

/** The largest file a phrase import takes (dialog, contract, core and CLI all check this one). */
export const MAX_IMPORT_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_IMPORT_FILE_MB = MAX_IMPORT_FILE_BYTES / 1024 / 1024;

/** The group a phrase without one goes to. */
export const UNGROUPED = '未分组';

/** What is wrong with a phrase's own fields (the library screen and the import both ask `phraseProblems`). */
export type PhraseFieldProblem =
  | { field: 'code'; rule: 'too_long' | 'has_space' }
  | { field: 'title'; rule: 'too_long' }
  | { field: 'content'; rule: 'empty' | 'too_long' }
  | { field: 'group'; rule: 'too_long' };

/** A field problem, or the store's answer that the code is already taken in its library. */
export type PhraseProblem = PhraseFieldProblem | { field: 'code'; rule: 'taken' };

/** Characters as a person counts them (𠮷 and emoji are one each). */
export const charCount = (s: string): number => Array.from(s).length;

/** What is wrong with a phrase's fields (uniqueness of the code is the store's to check). */
export function phraseProblems(p: { code: string; title: string; content: string; group?: string }): PhraseFieldProblem[] {
  const out: PhraseFieldProblem[] = [];
  if (/\s/.test(p.code)) out.push({ field: 'code', rule: 'has_space' });
  if (charCount(p.code) > PHRASE_LIMITS.code) out.push({ field: 'code', rule: 'too_long' });
  if (charCount(p.title) > PHRASE_LIMITS.title) out.push({ field: 'title', rule: 'too_long' });
  if (p.content.trim() === '') out.push({ field: 'content', rule: 'empty' });
  if (charCount(p.content) > PHRASE_LIMITS.content) out.push({ field: 'content', rule: 'too_long' });
  if (p.group !== undefined && charCount(p.group) > PHRASE_LIMITS.group) out.push({ field: 'group', rule: 'too_long' });
  return out;
}
