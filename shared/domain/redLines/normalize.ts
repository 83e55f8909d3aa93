/**
 * What the matcher compares: each character folded (NFKC: full-width Ｑ → Q, ① → 1; then lower case)
 * with the characters agents put between the letters of a word to slip it past a filter (spaces,
 * zero-width marks, dots, dashes, stars) left out. Every folded unit remembers the original
 * character it came from, so a match maps back to a range of the text as typed.
 */

// Whitespace, zero-width characters and the punctuation used to split a word apart ("加 微 信",
// "Q.Q", "微-信"). Symbols such as % stay, so a word may hold them.
const GAP = /[\s\u200b-\u200d\u2060\ufeff.·•・,，、。\-_*~|/\\'"`]/u;

export type Folded = {
  /** The folded text without gaps. */
  text: string;
  /** For each unit of `text`, the UTF-16 index in the original where its character starts. */
  from: number[];
  /** For each unit of `text`, the UTF-16 index in the original just past its character. */
  to: number[];
};

export function isGap(ch: string): boolean {
  return GAP.test(ch);
}

export function foldChar(ch: string): string {
  return ch.normalize('NFKC').toLowerCase();
}

/**
 * A character's folded units with gaps left out ('' for a gap), remembered: NFKC per character is the
 * cost of folding, and a shop's texts use a few thousand distinct characters. Bounded: cleared when full.
 */
const unitsOf = new Map<string, string>();
const UNITS_CACHE_MAX = 20_000;

function foldedUnits(ch: string): string {
  let units = unitsOf.get(ch);
  if (units === undefined) {
    units = '';
    if (!isGap(ch)) for (const unit of foldChar(ch)) if (!isGap(unit)) units += unit;
    if (unitsOf.size >= UNITS_CACHE_MAX) unitsOf.clear();
    unitsOf.set(ch, units);
  }
  return units;
}

export function fold(original: string): Folded {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of original) {
    const end = i + ch.length;
    const units = foldedUnits(ch);
    for (let k = 0; k < units.length; k++) {
      from.push(i);
      to.push(end);
    }
    text += units;
    i = end;
  }
  return { text, from, to };
}

/** The key a word is stored and compared by: folded, without gaps. Two words with one key are one word. */
export function wordKey(word: string): string {
  return fold(word).text;
}
