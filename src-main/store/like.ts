/** A LIKE pattern (with `ESCAPE '\'`) that finds `term` anywhere: its own `%`, `_` and `\` match only themselves. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
