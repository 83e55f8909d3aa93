/**
 * The emoji set for the composer's picker: Emojibase's Chinese data (labels and tags, so 赞 finds 👍
 * and 笑 finds the smiling faces), loaded on first use as its own chunk. Pure helpers for search and
 * the data file is the library's, never edited here.
 */

export type Emoji = { unicode: string; label: string; tags: string[]; group: number };

/** Emojibase's groups the picker shows, in its order (components and flags are left out: no use to an agent). */
export const EMOJI_GROUPS = [0, 1, 3, 4, 6, 5, 7, 8] as const;
export type EmojiGroup = (typeof EMOJI_GROUPS)[number];

type Raw = { unicode: string; label: string; tags?: string[]; group?: number; order?: number };

let loading: Promise<Emoji[]> | null = null;

/** The set, once per page (a dynamic import: the ~0.5 MB of names arrive only when the picker opens). */
export function loadEmoji(): Promise<Emoji[]> {
  loading ??= import('emojibase-data/zh/compact.json').then((m) => fromRaw((m as { default: Raw[] }).default));
  return loading;
}

export function fromRaw(raw: readonly Raw[]): Emoji[] {
  const shown = new Set<number>(EMOJI_GROUPS);
  return raw
    .filter((e) => e.group !== undefined && shown.has(e.group))
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((e) => ({ unicode: e.unicode, label: e.label, tags: e.tags ?? [], group: e.group! }));
}

/**
 * Emoji whose label or a tag holds every word of the query, best first: a label or a tag that is the
 * query itself (赞 is 👍's tag), then a label holding it, then a tag holding it (不赞成 holds 赞 too).
 */
export function searchEmoji(all: readonly Emoji[], query: string, limit = 120): Emoji[] {
  const q = query.trim().toLowerCase();
  const words = q.split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const tiers: Emoji[][] = [[], [], [], []];
  for (const e of all) {
    const label = e.label.toLowerCase();
    const tags = e.tags.map((t) => t.toLowerCase());
    if (label === q) tiers[0]!.push(e);
    else if (tags.includes(q)) tiers[1]!.push(e);
    else if (words.every((w) => label.includes(w))) tiers[2]!.push(e);
    else if (words.every((w) => label.includes(w) || tags.some((t) => t.includes(w)))) tiers[3]!.push(e);
  }
  return tiers.flat().slice(0, limit);
}
