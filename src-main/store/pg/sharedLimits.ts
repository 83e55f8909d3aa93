import pg from 'pg';

/** What @fastify/rate-limit hands a store's `incr`/`read` callback. */
type Counted = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Counted) => void;

/** The store interface of @fastify/rate-limit (its `store` option takes the class). */
export interface RateLimitStore {
  incr(key: string, callback: Callback, timeWindow: number, max: number): void;
  read(key: string, callback: Callback, timeWindow: number, max: number): void;
  child(routeOptions: unknown): RateLimitStore;
}
export type RateLimitStoreClass = new (globalOptions: unknown) => RateLimitStore;

/** Counters older than this many of their windows are removed (the table stays as small as the traffic of a few minutes). */
const PRUNE_EVERY_MS = 60_000;
const KEY_MAX = 300;

/**
 * The hub's side of its PostgreSQL database outside the core (issue 14, several hub processes): a
 * small pool of plain asynchronous connections on the hub's main thread for what every process must
 * share with the others at the network's edge: the rate limits' counters (sign-in, the API, the setup
 * page) and the health check. A counter is one row of `hub_rate_limits`, incremented by one atomic
 * upsert, so N processes behind one address allow what one process would, not N times it.
 */
export class HubDatabaseLink {
  private readonly pool: pg.Pool;
  private lastPrune = 0;
  private closed = false;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 3, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
    // An idle connection's error (the server restarted) is not the hub's failure: the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  /** The rate limits' store class for @fastify/rate-limit's `store` option, on this database. */
  rateLimitStore(): RateLimitStoreClass {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const link = this;
    class SharedStore implements RateLimitStore {
      incr(key: string, callback: Callback, timeWindow: number): void {
        link.hit(key, timeWindow).then(
          (r) => callback(null, r),
          (e: Error) => callback(e),
        );
      }
      read(key: string, callback: Callback, timeWindow: number): void {
        link.peek(key, timeWindow).then(
          (r) => callback(null, r),
          (e: Error) => callback(e),
        );
      }
      child(): RateLimitStore {
        return new SharedStore();
      }
    }
    return SharedStore;
  }

  /** One more hit on `key` in its window (a window over starts again at 1): the count and the window's time left. */
  async hit(key: string, windowMs: number, now = Date.now()): Promise<Counted> {
    const k = `${windowMs}:${key}`.slice(0, KEY_MAX);
    const { rows } = await this.pool.query<{ hits: string; window_start: string }>(
      `INSERT INTO hub_rate_limits AS r (key, hits, window_start) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_start + $3 <= $2 THEN 1 ELSE r.hits + 1 END,
         window_start = CASE WHEN r.window_start + $3 <= $2 THEN $2 ELSE r.window_start END
       RETURNING hits, window_start`,
      [k, now, windowMs],
    );
    this.prune(now);
    const row = rows[0]!;
    return { current: Number(row.hits), ttl: Math.max(0, Number(row.window_start) + windowMs - now) };
  }

  /**
   * One token from the bucket `key` (a burst of `capacity`, refilled at `perSecond`), shared by every
   * process on the database: 0 when taken, else the milliseconds until a token is there. The widget's
   * per-visitor and per-address buckets (hub/widgetSockets.ts). A bucket is kept as its theoretical
   * arrival time (GCRA, the token bucket's equivalent with one number): a row of `hub_rate_limits`
   * under `bucket:` whose `window_start` is that time and `hits` 1 when the last take was allowed, 0
   * when refused; one atomic upsert per take. A bucket whose time is more than an hour past is full,
   * so the counters' prune removes nothing that still counts.
   */
  async take(key: string, limits: { capacity: number; perSecond: number }, now = Date.now()): Promise<number> {
    const k = `bucket:${key}`.slice(0, KEY_MAX);
    const interval = Math.max(1, Math.round(1000 / limits.perSecond));
    const tolerance = interval * limits.capacity;
    const { rows } = await this.pool.query<{ hits: string; window_start: string }>(
      `INSERT INTO hub_rate_limits AS r (key, hits, window_start) VALUES ($1, 1, $2::bigint + $3::bigint)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN greatest(r.window_start, $2::bigint) + $3::bigint - $2::bigint <= $4::bigint THEN 1 ELSE 0 END,
         window_start = CASE WHEN greatest(r.window_start, $2::bigint) + $3::bigint - $2::bigint <= $4::bigint
           THEN greatest(r.window_start, $2::bigint) + $3::bigint ELSE r.window_start END
       RETURNING hits, window_start`,
      [k, now, interval, tolerance],
    );
    this.prune(now);
    const row = rows[0]!;
    if (Number(row.hits) === 1) return 0;
    return Math.max(1, Math.max(Number(row.window_start), now) + interval - tolerance - now);
  }

  private prune(now: number): void {
    if (now - this.lastPrune <= PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    // Any window still running is younger than the longest one in use (an hour at most).
    void this.pool.query('DELETE FROM hub_rate_limits WHERE window_start < $1', [now - 3_600_000]).catch(() => undefined);
  }

  private async peek(key: string, windowMs: number, now = Date.now()): Promise<Counted> {
    const k = `${windowMs}:${key}`.slice(0, KEY_MAX);
    const { rows } = await this.pool.query<{ hits: string; window_start: string }>(
      'SELECT hits, window_start FROM hub_rate_limits WHERE key = $1',
      [k],
    );
    const row = rows[0];
    if (!row || Number(row.window_start) + windowMs <= now) return { current: 0, ttl: 0 };
    return { current: Number(row.hits), ttl: Number(row.window_start) + windowMs - now };
  }

  /**
   * Whether the database answers (within `timeoutMs`) and its schema version: for /api/health. Never
   * the URL, the user or the server's message (they may name hosts and users).
   */
  async health(timeoutMs = 2_000): Promise<{ reachable: boolean; schemaVersion: number | null }> {
    if (this.closed) return { reachable: false, schemaVersion: null };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    try {
      const answer = await Promise.race([
        this.pool.query<{ v: string | null }>('SELECT max(version) AS v FROM schema_migrations').then((r) => r.rows[0]?.v ?? null),
        timeout,
      ]);
      if (answer === 'timeout') return { reachable: false, schemaVersion: null };
      return { reachable: true, schemaVersion: answer === null ? null : Number(answer) };
    } catch {
      return { reachable: false, schemaVersion: null };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end().catch(() => undefined);
  }
}
