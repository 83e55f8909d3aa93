/**
 * A small seeded random source (mulberry32), so the demo shop comes out the same for the same seed and
 * a test can compare two seedings row by row.
 */
export type Random = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
  /** `count` distinct elements of `list` (fewer when the list is shorter), in random order. */
  sample<T>(list: readonly T[], count: number): T[];
  /** A string of `length` decimal digits. */
  digits(length: number): string;
};

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRandom(source: number | (() => number)): Random {
  const next = typeof source === 'number' ? mulberry32(source) : source;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick<T>(list: readonly T[]): T {
      if (list.length === 0) throw new Error('pick from an empty list');
      return list[Math.min(list.length - 1, Math.floor(next() * list.length))] as T;
    },
    sample<T>(list: readonly T[], count: number): T[] {
      const copy = [...list];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy.slice(0, Math.max(0, count));
    },
    digits(length: number): string {
      let s = '';
      for (let i = 0; i < length; i++) s += String(int(0, 9));
      return s;
    },
  };
}

/** Fills `{名字}` placeholders from `values`; unknown names stay as written. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^{}]+)\}/g, (whole, name: string) => values[name] ?? whole);
}
