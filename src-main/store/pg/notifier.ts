import pg from 'pg';

/** The channel every commit that moves the change feed notifies on (schema.ts, version 7: a trigger on feed_head). */
export const FEED_CHANNEL = 'jiedai_feed';

/** The session advisory lock the shop's automation leader holds (two keys: the app, automation). */
export const LEADER_LOCK = [0x4a1e, 2] as const;

export type PgNotifierOptions = {
  url: string;
  /**
   * The backend of this process's own store connection (`SELECT pg_backend_pid()`): its commits
   * already poke here through store.onCommit, so their notifications are not news.
   */
  ownBackend: number | null;
  /** Another hub process committed rows to the feed (or the listener reconnected and may have missed some). */
  onFeed: () => void;
  /** Try to become the shop's automation leader (default false). */
  lead?: boolean;
  /** Between reconnects, and between tries for the leader's lock (ms). */
  retryMs?: number;
  log: (message: string, error?: unknown) => void;
};

/**
 * Several hub processes on one PostgreSQL database (issue 14): one plain `pg` connection per process
 * on the core's thread (asynchronous, beside the store's synchronous bridge) that LISTENs on the feed's
 * channel, so a commit by any other process pokes this process's desks and channels as its own
 * commits do, without polling the head. The same connection may hold the shop's automation
 * leadership (a session advisory lock, `leader`): exactly one process runs the 催付 rounds, and when
 * it dies its connection goes and another process takes the lock at its next try. A lost connection
 * is reconnected after `retryMs`; it gives up the leadership and calls `onFeed` once it is back (a
 * notification sent meanwhile is lost, the feed itself is not).
 */
export class PgNotifier {
  private client: pg.Client | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private isLeader = false;
  private readonly retryMs: number;
  /** Resolves once the first connection listens (or failed once). */
  readonly ready: Promise<void>;

  constructor(private readonly options: PgNotifierOptions) {
    this.retryMs = options.retryMs ?? 2_000;
    this.ready = this.connect();
  }

  /** Whether this process holds the shop's automation leadership now. */
  get leader(): boolean {
    return this.isLeader;
  }

  /** Whether the listening connection is up. */
  get listening(): boolean {
    return this.client !== null;
  }

  private later(ms: number, fn: () => void): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      fn();
    }, ms);
    this.timer.unref?.();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.url, keepAlive: true });
    let dropped = false;
    const drop = (error?: unknown) => {
      if (dropped) return;
      dropped = true;
      if (this.client === client) this.client = null;
      this.isLeader = false;
      void client.end().catch(() => undefined);
      if (this.closed) return;
      if (error) this.options.log('the database listener lost its connection; reconnecting', error);
      this.later(this.retryMs, () => void this.connect());
    };
    client.on('error', drop);
    client.on('end', () => drop());
    client.on('notification', (n) => {
      if (n.channel !== FEED_CHANNEL || n.processId === this.options.ownBackend) return;
      this.options.onFeed();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${FEED_CHANNEL}`);
    } catch (error) {
      drop(error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // Whatever was committed while this process was not listening.
    this.options.onFeed();
    if (this.options.lead) await this.tryLead(client);
  }

  /** Tries for the leader's lock now and, while not leader, every `retryMs`; a leader checks its connection as often. */
  private async tryLead(client: pg.Client): Promise<void> {
    if (this.closed || this.client !== client) return;
    try {
      if (this.isLeader) await client.query('SELECT 1');
      else {
        const got = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS got', [...LEADER_LOCK]);
        this.isLeader = got.rows[0]?.got === true && this.client === client;
      }
    } catch {
      // the connection's own error handler reconnects
      return;
    }
    this.later(this.retryMs, () => void this.tryLead(client));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.isLeader = false;
    const client = this.client;
    this.client = null;
    // The lock goes with the session.
    if (client) await client.end().catch(() => undefined);
  }
}
