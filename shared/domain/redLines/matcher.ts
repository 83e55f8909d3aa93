import type { RedLineCategory, RedLineEntry } from './defaults';
import { fold, foldChar, wordKey } from './normalize';

/**
 * The red-line matcher: built once per list (an Aho–Corasick automaton over folded words), then run
 * per keystroke in one pass over the text, whatever the number of words. Pure: no DOM, no Node.
 */

export type RedLineMatch = {
  /** UTF-16 range of the original text, end exclusive (from the word's first character to its last). */
  start: number;
  end: number;
  /** The word as listed. */
  word: string;
  category: RedLineCategory;
};

type Automaton = { next: Map<number, number>[]; fail: number[]; out: number[][] };

function build(keys: readonly string[]): Automaton {
  const next: Map<number, number>[] = [new Map()];
  const out: number[][] = [[]];
  keys.forEach((key, index) => {
    let node = 0;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      let child = next[node]!.get(c);
      if (child === undefined) {
        child = next.length;
        next.push(new Map());
        out.push([]);
        next[node]!.set(c, child);
      }
      node = child;
    }
    out[node]!.push(index);
  });
  const fail = new Array<number>(next.length).fill(0);
  const queue: number[] = [...next[0]!.values()];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    for (const [c, child] of next[node]!) {
      let f = fail[node]!;
      while (f !== 0 && !next[f]!.has(c)) f = fail[f]!;
      const target = next[f]!.get(c);
      fail[child] = target !== undefined && target !== child ? target : 0;
      out[child]!.push(...out[fail[child]!]!);
      queue.push(child);
    }
  }
  return { next, fail, out };
}

/** Every occurrence [start, end) in folded units of every key. */
function scan(a: Automaton, keys: readonly string[], text: string, hit: (index: number, start: number, end: number) => void): void {
  let node = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    while (node !== 0 && !a.next[node]!.has(c)) node = a.fail[node]!;
    node = a.next[node]!.get(c) ?? 0;
    for (const index of a.out[node]!) hit(index, i + 1 - keys[index]!.length, i + 1);
  }
}

const LATIN = /^[a-z0-9]$/;
const isLetter = (ch: string | undefined) => ch !== undefined && /^[a-z]$/.test(foldChar(ch));

export type RedLineMatcher = { find(text: string): RedLineMatch[]; readonly size: number };

/**
 * Builds the matcher. Words fold to keys (case, width and gaps ignored); a word inside an exception
 * (第一 in 第一时间) is not a match. A word that starts or ends with a Latin letter matches only where
 * the text has no letter right beside it, so QQ is caught in "加QQ123" but wx is not in "wxyz".
 */
export function compileRedLines(words: readonly RedLineEntry[], exceptions: readonly string[] = []): RedLineMatcher {
  const entries: RedLineEntry[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const entry of words) {
    const key = wordKey(entry.word);
    if (key.length === 0 || seen.has(key)) continue;
    seen.add(key);
    entries.push(entry);
    keys.push(key);
  }
  const exceptionKeys = [...new Set(exceptions.map(wordKey).filter((k) => k.length > 0))];
  const words$ = build(keys);
  const exceptions$ = build(exceptionKeys);

  function find(text: string): RedLineMatch[] {
    if (keys.length === 0 || text.length === 0) return [];
    const folded = fold(text);
    const excepted: [number, number][] = [];
    if (exceptionKeys.length > 0) scan(exceptions$, exceptionKeys, folded.text, (_i, s, e) => excepted.push([s, e]));
    const found: { index: number; s: number; e: number }[] = [];
    scan(words$, keys, folded.text, (index, s, e) => {
      if (excepted.some(([xs, xe]) => xs <= s && e <= xe)) return;
      const key = keys[index]!;
      const start = folded.from[s]!;
      const end = folded.to[e - 1]!;
      if (LATIN.test(key[0]!) && isLetter(text[start - 1])) return;
      if (LATIN.test(key[key.length - 1]!) && isLetter(text[end])) return;
      found.push({ index, s, e });
    });
    // Longest first at each start; a match inside a kept one (微信 inside 加微信) is the same catch.
    found.sort((x, y) => x.s - y.s || y.e - x.e);
    const kept: RedLineMatch[] = [];
    let reach = -1;
    for (const f of found) {
      if (f.e <= reach) continue;
      reach = Math.max(reach, f.e);
      const entry = entries[f.index]!;
      kept.push({ start: folded.from[f.s]!, end: folded.to[f.e - 1]!, word: entry.word, category: entry.category });
    }
    return kept;
  }

  return { find, size: keys.length };
}

/** The distinct words of some matches, in the order first seen (what a catch counts). */
export function caughtWords(matches: readonly RedLineMatch[]): string[] {
  return [...new Set(matches.map((m) => m.word))];
}
