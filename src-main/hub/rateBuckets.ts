/**
 * Token buckets by key (a visitor, an address), bounded: at most `maxKeys` are kept, the least
 * recently used forgotten first (a forgotten key starts full again, which only ever errs towards
 * letting a returning sender through). `take` answers 0 when allowed, else the milliseconds until a
 * token is there.
 */
export class RateBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limits: { capacity: number; perSecond: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): number {
    const at = this.now();
    const { capacity, perSecond } = this.limits;
    const found = this.buckets.get(key);
    const bucket = found ?? { tokens: capacity, at };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((at - bucket.at) / 1000) * perSecond);
    bucket.at = at;
    // Re-inserted: the Map's order is the recency order.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > (this.limits.maxKeys ?? 50_000)) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000);
  }

  size(): number {
    return this.buckets.size;
  }
}
