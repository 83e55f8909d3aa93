import { planSnapshot } from '../../shared/sync/plan';
import { BUYER_PARTS, SNAPSHOT_SCOPE_IDS_MAX, type Change, type SnapshotPage, type SnapshotRow } from '../../shared/sync/protocol';
import type { EngineContext } from './engineContext';
import { executePlan, rebase } from './rebase';

/**
 * The replica holds the buyers the desk works on, not the shop's whole customer base (issue 18). A
 * buyer is *held* when the replica has their customer row; for a held buyer it has every tag and
 * order too, and applies every change of theirs the feed brings. Others' buyer rows are left out.
 *
 * - The bootstrap reads the customers of open conversations (scope `open`), then the tags and orders
 *   of exactly those customers (rebuild.ts).
 * - A pulled chunk's open conversations whose buyers the replica does not hold fetch those buyers
 *   first (`sync.snapshot` scoped to their ids: customer, tags, orders), written in the chunk's
 *   transaction, so a conversation never shows (or alerts) without its buyer's name (`forChunk`).
 * - After a rebuild, the buyers of conversations that opened between the snapshot's parts are
 *   fetched once (`fillIfDue`).
 *
 * Rows fetched at the core's head may be newer than the replica's cursor; the changes pulled after it
 * replay in feed order and end at the same rows, as after a snapshot page.
 */
export class BuyerFill {
  private readonly asked = new Set<string>();
  private due = false;

  constructor(private readonly ctx: EngineContext) {}

  /** The replica was rebuilt: look for buyers it lacks at the next chance. */
  rebuilt(): void {
    this.asked.clear();
    this.due = true;
  }

  /** Fetches the buyers of the replica's conversations that it lacks, if a look is due. */
  async fillIfDue(): Promise<void> {
    if (!this.due) return;
    this.due = false;
    try {
      await this.fill();
    } catch (error) {
      this.due = true; // tried again at the next pull
      throw error;
    }
  }

  /**
   * For a pulled chunk: the rows of buyers its open conversations bring that the replica does not
   * hold (to write first, in the chunk's transaction), and the chunk without the buyer rows of
   * buyers the replica will not hold.
   */
  async forChunk(changes: readonly Change[]): Promise<{ rows: SnapshotRow[]; changes: Change[] }> {
    const arriving = new Set<string>();
    const mentioned = new Set<string>();
    for (const c of changes) {
      if (c.entity === 'conversation' && c.op === 'upsert' && c.row.status === 'open') arriving.add(c.row.customerId);
      const buyer = buyerOf(c);
      if (buyer !== null) mentioned.add(buyer);
    }
    const ids = [...new Set([...arriving, ...mentioned])];
    if (ids.length === 0) return { rows: [], changes: [...changes] };
    const have = await this.ctx.db.customers.bulkGet(ids);
    const held = new Set(ids.filter((_, i) => have[i] !== undefined));
    const missing = [...arriving].filter((id) => !held.has(id));
    const rows: SnapshotRow[] = [];
    for (let at = 0; at < missing.length; at += SNAPSHOT_SCOPE_IDS_MAX) {
      rows.push(...(await this.fetch(missing.slice(at, at + SNAPSHOT_SCOPE_IDS_MAX))));
    }
    const keep = (c: Change) => {
      const buyer = buyerOf(c);
      return buyer === null || c.op === 'delete' || held.has(buyer) || arriving.has(buyer);
    };
    return { rows, changes: changes.filter(keep) };
  }

  private async fill(): Promise<void> {
    const { db } = this.ctx;
    const wanted = [...new Set((await db.conversations.toArray()).map((c) => c.customerId))];
    const have = await db.customers.bulkGet(wanted);
    const missing = wanted.filter((id, i) => have[i] === undefined && !this.asked.has(id));
    for (let at = 0; at < missing.length; at += SNAPSHOT_SCOPE_IDS_MAX) {
      const ids = missing.slice(at, at + SNAPSHOT_SCOPE_IDS_MAX);
      const rows = await this.fetch(ids);
      await db.transaction('rw', db.all(), async () => {
        if (this.ctx.stopped()) return;
        await rebase(db, () =>
          executePlan(
            db,
            planSnapshot(rows, () => true),
          ),
        );
      });
      for (const id of ids) this.asked.add(id);
    }
  }

  /** The named buyers' rows of every buyers' part, page by page. */
  private async fetch(ids: string[]): Promise<SnapshotRow[]> {
    const rows: SnapshotRow[] = [];
    for (const part of BUYER_PARTS) {
      let after: string | null = null;
      do {
        const page: SnapshotPage = await this.ctx.call('sync.snapshot', { part, after, limit: this.ctx.opts.snapshotLimit, scope: ids });
        rows.push(...page.rows);
        after = page.next;
      } while (after !== null);
    }
    return rows;
  }
}

/** The buyer a change of the buyers' entities belongs to (null: another entity). */
function buyerOf(c: Change): string | null {
  if (c.entity === 'customer') return c.id;
  if (c.entity === 'customer_tag' || c.entity === 'order') return c.row.customerId;
  return null;
}
