import { advanceCursor, chunkFits, needsRebuild } from '../../shared/sync/cursor';
import { conversationsReferenced, planChanges, planSnapshot } from '../../shared/sync/plan';
import { MESSAGES_PER_CONVERSATION, SYNC_PROTOCOL_VERSION, type Change } from '../../shared/sync/protocol';
import type { BuyerFill } from './buyers';
import type { EngineContext } from './engineContext';
import { executePlan, rebase, recordLateRefusals, recordOutcomes } from './rebase';
import type { Rebuilder } from './rebuild';
import { readPosition } from './replicaMeta';

/**
 * Pulling: asks the core for changes after the replica's cursor and applies each chunk in one
 * transaction with its cursor, the outbox rebased on top. A replica that has no cursor yet (or one
 * from another shop file or protocol) is rebuilt first.
 */
export class Puller {
  /** Conversations whose newest page is still to fetch (kept across failed attempts). */
  private readonly backfills = new Set<string>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly rebuilder: Rebuilder,
    private readonly onCursor: (cursor: number) => void,
    private readonly buyers: BuyerFill,
  ) {}

  async pullOnce(): Promise<'done' | 'again' | 'retry'> {
    const { db, opts } = this.ctx;
    const position = await readPosition(db);
    if (this.rebuilder.running || needsRebuild(position, SYNC_PROTOCOL_VERSION)) return this.rebuilder.run();
    await this.backfillAll();
    await this.buyers.fillIfDue();
    const from = position.cursor!;
    const page = await this.ctx.call('sync.pull', { cursor: from, limit: opts.pullLimit });
    if (page.kind === 'reset' || page.feedId !== position.feedId) {
      opts.log(`rebuilding the replica (${page.kind === 'reset' ? page.reason : 'another shop file'})`);
      await db.transaction('rw', db.meta, async () => {
        // Only if nobody moved the replica meanwhile (another window of the same replica).
        if ((await db.getMeta<number | null>('cursor', null)) === from) await db.meta.bulkDelete(['cursor', 'ready']);
      });
      return 'again';
    }
    this.ctx.status.setError(null);
    const applied = await this.applyChunk(from, page.feedId, page.changes, page.cursor);
    if (!applied) return 'again';
    return page.cursor < page.head || page.changes.length >= opts.pullLimit ? 'again' : 'done';
  }

  /** One pulled chunk, its cursor and the rebase, in one transaction. False when the replica moved meanwhile. */
  async applyChunk(from: number, feedId: string, changes: Change[], cursor: number): Promise<boolean> {
    const { db } = this.ctx;
    const chunk = await this.buyers.forChunk(changes);
    let committed: number | null = null;
    let entered: string[] = [];
    await db.transaction('rw', db.all(), async () => {
      if (this.ctx.stopped()) return;
      const position = await readPosition(db);
      if (position.cursor === null || !chunkFits(position.cursor, from, feedId, position.feedId)) return;
      const next = advanceCursor(position.cursor, cursor);
      await rebase(
        db,
        async () => {
          // Buyers new to the replica first, so their conversations arrive with their names.
          if (chunk.rows.length > 0)
            await executePlan(
              db,
              planSnapshot(chunk.rows, () => true),
            );
          const held = new Set(
            (await db.conversations.bulkGet(conversationsReferenced(chunk.changes))).filter((c) => c !== undefined).map((c) => c.id),
          );
          // The buyer rows of buyers this replica does not hold are left out (buyers.ts).
          const plan = planChanges(chunk.changes, (id) => held.has(id));
          await executePlan(db, plan);
          // Only this replica's own mutations: an id another client used is never this outbox's answer.
          const clientId = await db.getMeta<string | null>('clientId', null);
          const own = plan.outcomes.filter((o) => o.clientId === clientId);
          // Refused after the core had taken it (tier 2: the team hub said no): failed reply or notice.
          await recordLateRefusals(db, own, this.ctx.opts.now());
          await recordOutcomes(db, own);
          await db.setMeta('cursor', next);
          entered = [...plan.entered];
        },
        next,
      );
      committed = next;
    });
    if (committed === null) return false;
    this.onCursor(committed);
    for (const id of entered) this.backfills.add(id);
    await this.backfillAll();
    return true;
  }

  /**
   * A conversation the replica took in from the feed brings only the messages written after that
   * point; its newest page comes from the core (messages never change, so any copy is right).
   */
  private async backfillAll(): Promise<void> {
    for (const id of [...this.backfills]) {
      await this.backfill(id);
      this.backfills.delete(id);
    }
  }

  private async backfill(conversationId: string): Promise<void> {
    const { db } = this.ctx;
    const page = await this.ctx.call('messages.page', { conversationId, limit: MESSAGES_PER_CONVERSATION });
    await db.transaction('rw', db.all(), async () => {
      if (this.ctx.stopped() || !(await db.conversations.get(conversationId))) return;
      const have = new Set((await db.messages.bulkGet(page.messages.map((m) => m.id))).filter((m) => m !== undefined).map((m) => m.id));
      await db.messages.bulkPut(page.messages.filter((m) => !have.has(m.id)));
    });
  }
}
