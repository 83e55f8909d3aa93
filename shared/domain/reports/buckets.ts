/**
 * Response times are kept as counts per time bucket (a histogram per day and agent), so a median or
 * p90 over a year reads a few thousand rows instead of every reply. The buckets are exact to the
 * second below two minutes, where nearly every reply falls, and coarser beyond: 5 s to 10 minutes,
 * 30 s to an hour, 5 minutes to 4 hours, 30 minutes to a day, 6 hours to a week, then one bucket.
 * A bucket stands for its lower edge.
 */

const S = 1000;
/** [up to (exclusive, ms), step (ms)] */
const TIERS: readonly [number, number][] = [
  [120 * S, S],
  [600 * S, 5 * S],
  [3600 * S, 30 * S],
  [4 * 3600 * S, 300 * S],
  [24 * 3600 * S, 1800 * S],
  [7 * 24 * 3600 * S, 6 * 3600 * S],
];

/** Lower edge (ms) of every bucket, in order; the last holds everything from a week on. */
const EDGES: number[] = (() => {
  const edges: number[] = [];
  let at = 0;
  for (const [upTo, step] of TIERS) {
    for (; at < upTo; at += step) edges.push(at);
  }
  edges.push(at);
  return edges;
})();

export const BUCKET_COUNT = EDGES.length;

/** The bucket of a wait in ms. */
export function bucketOf(ms: number): number {
  if (ms <= 0) return 0;
  let lo = 0;
  let hi = EDGES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (EDGES[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** What a bucket stands for: its lower edge, in ms. */
export function bucketMs(bucket: number): number {
  return EDGES[Math.max(0, Math.min(EDGES.length - 1, bucket))]!;
}

/**
 * The p-th percentile (nearest rank: the value at rank ⌈p/100 × n⌉ in ascending order) of a
 * histogram given as bucket → count. Null for an empty one. The median of 1, 2, 3, 4 is 2.
 */
export function percentileOf(histogram: ReadonlyMap<number, number>, p: number): number | null {
  let n = 0;
  for (const c of histogram.values()) n += c;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket)!;
    if (seen >= rank) return bucketMs(bucket);
  }
  return null;
}
