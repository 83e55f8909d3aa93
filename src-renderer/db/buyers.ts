import { planSnapshot } from '../../shared/sync/plan';
import { BUYER_PARTS, SNAPSHOT_SCOPE_IDS_MAX, type Change, type SnapshotPage, type SnapshotRow } from '../../shared/sync/protocol';
import type { EngineContext } from './engineContext';
import { executePlan, rebase } from './rebase';

/**
 * The replica holds the buyers the desk works on, not the shop's whole customer base: the bootstrap
 * reads the buyers' parts for the buyers of open conversations only (scope `open`), and a buyer whose
 * conversation reaches the replica later (an old buyer writing again, one reopened from 历史) is
 * fetched here, with their tags and orders, by name. The feed still carries every buyer's changes.
 * A pulled chunk's new buyers are fetched before the chunk is written and go in with it (`forChunk`),
 * so a conversation never shows (or alerts) without its buyer's name; `fillIfDue` catches any the
 * replica still lacks after a rebuild (a conversation that opened between the snapshot's parts).
 *
 * Rows fetched at the core's head may be newer than the replica's cursor; the changes pulled after it
 * replay in feed order and end at the same rows, as after a snapshot page. A buyer the core does not
 * have is asked for once per engine (no loop on a row that will never come).
 */
export class BuyerFill {
  private readonly asked = new Set<string>();
  private due = false;

  constructor(private readonly ctx: EngineContext) {}

  /** The replica was rebuilt: every buyer it lacks may be asked for again. */
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
   * The rows of the buyers a chunk's conversations belong to that neither the replica nor the chunk
   * holds, to write in the chunk's transaction.
   */
  async forChunk(changes: readonly Change[]): Promise<SnapshotRow[]> {
    const inChunk = new Set(changes.filter((c) => c.entity === 'customer').map((c) => c.id));
    const wanted = [
      ...new Set(
        changes
          .filter((c) => c.entity === 'conversation' && c.op === 'upsert' && !inChunk.has(c.row.customerId))
          .map((c) => (c.entity === 'conversation' ? c.row.customerId : '')),
      ),
    ];
    if (wanted.length === 0) return [];
    const have = await this.ctx.db.customers.bulkGet(wanted);
    const missing = wanted.filter((_, i) => have[i] === undefined);
    const rows: SnapshotRow[] = [];
    for (let at = 0; at < missing.length; at += SNAPSHOT_SCOPE_IDS_MAX)
      rows.push(...(await this.fetch(missing.slice(at, at + SNAPSHOT_SCOPE_IDS_MAX))));
    return rows;
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
