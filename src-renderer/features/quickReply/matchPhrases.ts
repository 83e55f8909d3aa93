import type { PickerPhrase } from '../../../shared/domain/types';

/** A phrase prepared once for matching (lower-cased fields); never recomputed per keystroke. */
export type IndexedPhrase = {
  phrase: PickerPhrase;
  code: string;
  title: string;
  content: string;
  /** code, title, content, pinyin initials and full pinyin, precomputed by the core when the phrase was written. */
  keys: string;
};

export function indexPhrases(phrases: PickerPhrase[]): IndexedPhrase[] {
  return phrases.map((phrase) => ({
    phrase,
    code: phrase.code.toLowerCase(),
    title: phrase.title.toLowerCase(),
    content: phrase.content.toLowerCase(),
    keys: phrase.searchKeys.toLowerCase(),
  }));
}

/**
 * How well a phrase matches, best first: shortcut code prefix, code contains, title, content, then
 * pinyin (initials "fh" or full "fahuo" find 发货). -1 when it does not match.
 */
export function matchTier(p: IndexedPhrase, q: string): number {
  if (p.code !== '' && p.code.startsWith(q)) return 0;
  if (p.code.includes(q)) return 1;
  if (p.title.includes(q)) return 2;
  if (p.content.includes(q)) return 3;
  if (p.keys.includes(q)) return 4;
  return -1;
}

const DAY = 86_400_000;

/** Often and recently used phrases rank higher within a tier. */
export function usageScore(p: PickerPhrase, now: number): number {
  const recency = p.lastUsedAt === null ? 0 : Math.max(0, 7 - (now - p.lastUsedAt) / DAY); // up to a week
  return Math.log2(1 + p.useCount) + recency;
}

export type MatchOptions = { scope?: 'all' | 'team' | 'personal'; groupId?: string | null; limit?: number; now?: number };

/** The picker's results for a query. An empty query lists by usage. */
export function matchPhrases(index: IndexedPhrase[], query: string, options: MatchOptions = {}): PickerPhrase[] {
  const q = query.trim().toLowerCase();
  const now = options.now ?? Date.now();
  const limit = options.limit ?? 50;
  const scored: { p: IndexedPhrase; tier: number; score: number }[] = [];
  for (const p of index) {
    if (options.scope && options.scope !== 'all' && p.phrase.scope !== options.scope) continue;
    if (options.groupId && p.phrase.groupId !== options.groupId) continue;
    const tier = q === '' ? 0 : matchTier(p, q);
    if (tier < 0) continue;
    scored.push({ p, tier, score: usageScore(p.phrase, now) });
  }
  scored.sort((a, b) => a.tier - b.tier || b.score - a.score || a.p.phrase.sort - b.p.phrase.sort);
  return scored.slice(0, limit).map((s) => s.p.phrase);
}
