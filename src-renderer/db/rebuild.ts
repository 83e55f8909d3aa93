import { newId } from '../../shared/domain/ids';
import { needsRebuild } from '../../shared/sync/cursor';
import { conversationsReferenced, planSnapshot } from '../../shared/sync/plan';
import { SNAPSHOT_PARTS, SYNC_PROTOCOL_VERSION, type SnapshotPage } from '../../shared/sync/protocol';
import { REPLICA_TABLES } from '../../shared/sync/replica';
import type { EngineContext } from './engineContext';
import { executePlan, rebase } from './rebase';
import { heldByAnother, holdsLock, readMarker, releaseLock, renewLock } from './rebuildLock';
import { readPosition } from './replicaMeta';

type Progress = { id: string; start: { feedId: string; head: number } | null; part: number; after: string | null };

/**
 * Rebuilds the replica from a snapshot, keeping the outbox: clear, then every part page by page,
 * then the cursor at the head of the first page. Each page is a rebase like a pulled chunk (server
 * values back, the page written, the outbox replayed on top), so the agent's pending actions stay
 * visible throughout. Pulling from the first page's head afterwards brings whatever changed while
 * the pages were read. The buyers' parts hold the buyers of open conversations only (scope `open`);
 * others are fetched when their conversation turns up (buyers.ts). Only one window rebuilds a shared replica at a time (rebuildLock.ts); a
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
      this.progress = { id: took, start: null, part: 0, after: null };
    }
    const state = this.progress;
    const { db, opts } = this.ctx;
    const mine = async () => (await holdsLock(db, state.id)) && !this.ctx.stopped();
    const fetch = (part: number, after: string | null) =>
      this.ctx.call('sync.snapshot', { part: SNAPSHOT_PARTS[part]!, after, limit: opts.snapshotLimit, scope: 'open' });
    // The next page is asked for while this one is written (the core reads while IndexedDB writes).
    let prefetched: Promise<SnapshotPage> | null = null;
    while (state.part < SNAPSHOT_PARTS.length) {
      const page: SnapshotPage = await (prefetched ?? fetch(state.part, state.after));
      prefetched = null;
      const following =
        page.next !== null
          ? { part: state.part, after: page.next }
          : state.part + 1 < SNAPSHOT_PARTS.length
            ? { part: state.part + 1, after: null }
            : null;
      if (following) {
        prefetched = fetch(following.part, following.after);
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
      state.after = page.next;
      if (page.next === null) state.part += 1;
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
