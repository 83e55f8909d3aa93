import { newId } from '../../shared/domain/ids';
import { needsRebuild } from '../../shared/sync/cursor';
import { conversationsReferenced, planSnapshot } from '../../shared/sync/plan';
import {
  SNAPSHOT_PARTS,
  SNAPSHOT_SCOPE_IDS_MAX,
  SYNC_PROTOCOL_VERSION,
  type SnapshotPage,
  type SnapshotPart,
} from '../../shared/sync/protocol';
import { REPLICA_TABLES } from '../../shared/sync/replica';
import type { EngineContext } from './engineContext';
import { executePlan, rebase } from './rebase';
import { heldByAnother, holdsLock, readMarker, releaseLock, renewLock } from './rebuildLock';
import { readPosition } from './replicaMeta';

/**
 * Where a rebuild is: the part, the batch of buyers (for the parts read per buyer), the key after
 * which the next page starts, and the buyers the customer part brought (their tags and orders are
 * read for exactly them, so a held buyer is whole).
 */
type Progress = {
  id: string;
  start: { feedId: string; head: number } | null;
  part: number;
  batch: number;
  after: string | null;
  buyers: string[];
};

/** The parts read for the buyers the customer part brought, SNAPSHOT_SCOPE_IDS_MAX at a time. */
const PER_BUYER = new Set<SnapshotPart>(['customer_tag', 'order']);

/**
 * Rebuilds the replica from a snapshot, keeping the outbox: clear, then every part page by page,
 * then the cursor at the head of the first page. Each page is a rebase like a pulled chunk (server
 * values back, the page written, the outbox replayed on top), so the agent's pending actions stay
 * visible throughout. Pulling from the first page's head afterwards brings whatever changed while
 * the pages were read. The customer part holds the buyers of open conversations only (scope `open`),
 * the tag and order parts exactly those buyers' rows; others are fetched when their conversation
 * turns up (buyers.ts). Only one window rebuilds a shared replica at a time (rebuildLock.ts); a
 * rebuild that finds the lock not its own stops.
 */
export class Rebuilder {
  private progress: Progress | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly onBuilt: (cursor: number) => void,
  ) {}

  /** A rebuild is under way in this window (it goes on at the next pull). */
  get running(): boolean {
    return this.progress !== null;
  }

  /** Leaves the replica to whoever opens it next, at once rather than after the takeover delay. */
  stop(): void {
    if (this.progress) void releaseLock(this.ctx.db, this.progress.id).catch(() => undefined);
  }

  /** 'again': pull now (built, or start over); 'retry': another window holds the lock, wait. */
  async run(): Promise<'again' | 'retry'> {
    if (!this.progress) {
      const took = await this.take();
      if (took === 'built') return 'again'; // another window finished one meanwhile
      if (took === 'busy') return 'retry';
      this.progress = { id: took, start: null, part: 0, batch: 0, after: null, buyers: [] };
    }
    const state = this.progress;
    const { db, opts } = this.ctx;
    const mine = async () => (await holdsLock(db, state.id)) && !this.ctx.stopped();
    type At = { part: number; batch: number; after: string | null };
    const batches = () => Math.ceil(state.buyers.length / SNAPSHOT_SCOPE_IDS_MAX);
    // A part read per buyer is skipped when the customer part brought none.
    const settle = (at: At): At | null => {
      let { part, batch } = at;
      while (part < SNAPSHOT_PARTS.length && PER_BUYER.has(SNAPSHOT_PARTS[part]!) && batch >= batches()) {
        part += 1;
        batch = 0;
      }
      return part < SNAPSHOT_PARTS.length ? { part, batch, after: part === at.part ? at.after : null } : null;
    };
    const fetch = ({ part, batch, after }: At) => {
      const name = SNAPSHOT_PARTS[part]!;
      const scope = PER_BUYER.has(name) ? state.buyers.slice(batch * SNAPSHOT_SCOPE_IDS_MAX, (batch + 1) * SNAPSHOT_SCOPE_IDS_MAX) : 'open';
      return this.ctx.call('sync.snapshot', { part: name, after, limit: opts.snapshotLimit, scope });
    };
    const nextAt = (at: At, next: string | null): At | null =>
      next !== null
        ? { ...at, after: next }
        : PER_BUYER.has(SNAPSHOT_PARTS[at.part]!) && at.batch + 1 < batches()
          ? { part: at.part, batch: at.batch + 1, after: null }
          : settle({ part: at.part + 1, batch: 0, after: null });
    // The next page is asked for while this one is written (the core reads while IndexedDB writes);
    // not across the customer part's end, whose buyers the next parts are read for.
    let prefetched: Promise<SnapshotPage> | null = null;
    for (;;) {
      const here = settle(state);
      if (!here) break;
      Object.assign(state, here);
      const page: SnapshotPage = await (prefetched ?? fetch(here));
      prefetched = null;
      const following = nextAt(here, page.next);
      if (following && !(SNAPSHOT_PARTS[here.part] === 'customer' && page.next === null)) {
        prefetched = fetch(following);
        prefetched.catch(() => undefined); // a failure surfaces when it is awaited
      }
      if (state.start && page.feedId !== state.start.feedId) {
        // The core's file changed under us: start over.
        this.progress = null;
        await releaseLock(db, state.id);
        return 'again';
      }
      const ok = await db.transaction('rw', db.all(), async () => {
        if (!(await mine())) return false;
        await rebase(db, async () => {
          const held = new Set(
            (await db.conversations.bulkGet(conversationsReferenced(page.rows))).filter((c) => c !== undefined).map((c) => c.id),
          );
          await executePlan(
            db,
            planSnapshot(page.rows, (id) => held.has(id)),
          );
        });
        await renewLock(db, state.id, opts.now());
        return true;
      });
      if (!ok) {
        this.progress = null;
        return 'again';
      }
      state.start ??= { feedId: page.feedId, head: page.head };
      // Noted once the page is in (a page fetched again after a failure is not counted twice).
      if (SNAPSHOT_PARTS[here.part] === 'customer') for (const r of page.rows) state.buyers.push(r.id);
      const moved = nextAt(here, page.next);
      if (!moved) break;
      Object.assign(state, moved);
    }
    const start = state.start!;
    const done = await db.transaction('rw', db.all(), async () => {
      if (!(await mine())) return false;
      await rebase(
        db,
        async () => {
          await db.meta.bulkPut([
            { key: 'cursor', value: start.head },
            { key: 'feedId', value: start.feedId },
            { key: 'protocol', value: SYNC_PROTOCOL_VERSION },
            { key: 'ready', value: true },
          ]);
          await db.meta.delete('rebuild');
        },
        start.head,
      );
      return true;
    });
    this.progress = null;
    if (done) this.onBuilt(start.head);
    return 'again';
  }

  /** Takes the lock and clears the replica (outbox kept), in one transaction; or says why not. */
  private async take(): Promise<string | 'busy' | 'built'> {
    const { db, opts } = this.ctx;
    const id = newId();
    return db.transaction('rw', db.all(), async () => {
      if (heldByAnother(await readMarker(db), id, opts.now())) return 'busy';
      const position = await readPosition(db);
      if (!needsRebuild(position, SYNC_PROTOCOL_VERSION)) return 'built';
      for (const t of REPLICA_TABLES) await db.replica(t).clear();
      await db.shadows.clear();
      await db.meta.bulkDelete(['cursor', 'feedId', 'protocol', 'ready']);
      await renewLock(db, id, opts.now());
      return id;
    });
  }
}
