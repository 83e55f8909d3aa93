import type { PickerPhrase } from '../../../../shared/domain/types';

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
 * How well a phrase matches, best first: the shortcut code exactly (muscle memory: `/wl` + Enter is
 * the phrase coded `wl`, however often a longer code is used), code prefix, code contains, title,
 * content, then pinyin (initials "fh" or full "fahuo" find 发货). -1 when it does not match.
 */
export function matchTier(p: IndexedPhrase, q: string): number {
  // The keys hold code, title and content too: one scan rejects most phrases.
  if (!p.keys.includes(q)) return -1;
  if (p.code !== '' && p.code === q) return 0;
  if (p.code !== '' && p.code.startsWith(q)) return 1;
  if (p.code.includes(q)) return 2;
  if (p.title.includes(q)) return 3;
  if (p.content.includes(q)) return 4;
  return 5;
}

const TIERS = 6;

const DAY = 86_400_000;

/** Often and recently used phrases rank higher within a tier. */
export function usageScore(p: PickerPhrase, now: number): number {
  const recency = p.lastUsedAt === null ? 0 : Math.max(0, 7 - (now - p.lastUsedAt) / DAY); // up to a week
  return Math.log2(1 + p.useCount) + recency;
}

export type MatchOptions = { scope?: 'all' | 'team' | 'personal'; groupId?: string | null; limit?: number; now?: number };

type Scored = { phrase: PickerPhrase; score: number };

const better = (a: Scored, b: Scored) => b.score - a.score || a.phrase.sort - b.phrase.sort;

/** The best `k` of `items` in order, without sorting them all (a tier can hold thousands). */
function topK(items: Scored[], k: number): Scored[] {
  if (items.length <= k * 4) return items.sort(better).slice(0, k);
  const best: Scored[] = [];
  for (const item of items) {
    if (best.length === k && better(item, best[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (better(best[mid]!, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}

/**
 * The picker's results for a query, best first: by tier, then by use (often and recently), then by
 * the library's order. An empty query lists by use.
 */
export function matchPhrases(index: IndexedPhrase[], query: string, options: MatchOptions = {}): PickerPhrase[] {
  const q = query.trim().toLowerCase();
  const now = options.now ?? Date.now();
  const limit = options.limit ?? 50;
  const tiers: Scored[][] = Array.from({ length: TIERS }, () => []);
  for (const p of index) {
    if (options.scope && options.scope !== 'all' && p.phrase.scope !== options.scope) continue;
    if (options.groupId && p.phrase.groupId !== options.groupId) continue;
    const tier = q === '' ? 0 : matchTier(p, q);
    if (tier < 0) continue;
    tiers[tier]!.push({ phrase: p.phrase, score: usageScore(p.phrase, now) });
  }
  const out: PickerPhrase[] = [];
  for (const tier of tiers) {
    if (out.length >= limit) break;
    for (const s of topK(tier, limit - out.length)) out.push(s.phrase);
  }
  return out;
}
