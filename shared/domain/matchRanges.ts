import type { MatchRange } from '../contract/search';

/** Folds Latin case the way LIKE and the search indexes do, keeping every offset where it was. */
function fold(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Where the term occurs in the text (non-overlapping, left to right), as [start, end) offsets. */
export function matchRanges(text: string, term: string, max = 50): MatchRange[] {
  if (term === '') return [];
  const hay = fold(text);
  const needle = fold(term);
  const out: MatchRange[] = [];
  for (let at = hay.indexOf(needle); at >= 0 && out.length < max; at = hay.indexOf(needle, at + needle.length)) {
    out.push([at, at + needle.length]);
  }
  return out;
}

export type Snippet = { text: string; ranges: MatchRange[]; clippedStart: boolean; clippedEnd: boolean };

/** A long text cut to `width` code units around its first match (ranges moved with it). */
export function snippetOf(text: string, ranges: MatchRange[], width = 200, lead = 40): Snippet {
  if (text.length <= width) return { text, ranges, clippedStart: false, clippedEnd: false };
  let start = Math.max(0, Math.min((ranges[0]?.[0] ?? 0) - lead, text.length - width));
  // Never cut a surrogate pair in half.
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start] ?? '')) start -= 1;
  let end = Math.min(text.length, start + width);
  if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end -= 1;
  const inside = ranges.filter(([a, b]) => a >= start && b <= end).map(([a, b]): MatchRange => [a - start, b - start]);
  return { text: text.slice(start, end), ranges: inside, clippedStart: start > 0, clippedEnd: end < text.length };
}
