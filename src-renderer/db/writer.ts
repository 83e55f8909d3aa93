import { keyOf, keyString, type ReplicaRows, type ReplicaTable, type RowKey } from '../../shared/sync/replica';
import type { ReplicaDb } from './replicaDb';

/** A conversation this desk ended, as it was, with the messages it held: what an undo (reopen) puts back at once. */
export type EndedKeep = { conversation: ReplicaRows['conversations']; messages: ReplicaRows['messages'][] };

/** How many recently ended conversations the desk keeps for an undo (the newest; an older reopen waits for the pull). */
export const ENDED_KEPT = 10;

/**
 * How an optimistic mutation writes to the replica: like a table, except that the first write to a
 * row saves the row's server value as a shadow. Before every rebase the shadows are restored, so the
 * replica goes back to server state, takes the pulled changes, and the pending mutations are played
 * again on top. Use inside a transaction that spans every table.
 */
export class ReplicaWriter {
  private readonly known = new Set<string>();

  constructor(private readonly db: ReplicaDb) {}

  get<T extends ReplicaTable>(table: T, key: RowKey): Promise<ReplicaRows[T] | undefined> {
    return this.db.replica(table).get(key);
  }

  /** Every row of a small table (tags, groups). */
  all<T extends ReplicaTable>(table: T): Promise<ReplicaRows[T][]> {
    return this.db.replica(table).toArray();
  }

  async put<T extends ReplicaTable>(table: T, row: ReplicaRows[T]): Promise<void> {
    await this.shadow(table, keyOf(table, row));
    await this.db.replica(table).put(row);
  }

  async delete(table: ReplicaTable, key: RowKey): Promise<void> {
    await this.shadow(table, key);
    await this.db.replica(table).delete(key);
  }

  /** Changes a row that exists; a missing row stays missing (the server will say what became of it). */
  async update<T extends ReplicaTable>(table: T, key: RowKey, change: (row: ReplicaRows[T]) => ReplicaRows[T]): Promise<void> {
    const row = await this.get(table, key);
    if (row) await this.put(table, change(row));
  }

  /**
   * Keeps a conversation being ended, outside server state (no shadow: the replica's `meta`), so that
   * reopening it can show it again before the core's row arrives. Bounded to the newest ENDED_KEPT.
   */
  async keepEnded(conversationId: string): Promise<void> {
    const conversation = await this.get('conversations', conversationId);
    if (!conversation) return;
    const messages = (await this.db.messages.where('conversationId').equals(conversationId).toArray()).filter((m) => !m.local);
    const kept = (await this.db.getMeta<EndedKeep[]>('ended', [])).filter((k) => k.conversation.id !== conversationId);
    kept.push({ conversation, messages });
    await this.db.setMeta('ended', kept.slice(-ENDED_KEPT));
  }

  /** A conversation kept by `keepEnded`, if it still is. */
  async ended(conversationId: string): Promise<EndedKeep | undefined> {
    return (await this.db.getMeta<EndedKeep[]>('ended', [])).find((k) => k.conversation.id === conversationId);
  }

  private async shadow(table: ReplicaTable, key: RowKey): Promise<void> {
    const id = `${table}|${keyString(key)}`;
    if (this.known.has(id)) return;
    this.known.add(id);
    if (await this.db.shadows.get(id)) return;
    const row = await this.db.replica(table).get(key);
    await this.db.shadows.put({ id, table, key, row: row ?? null });
  }
}

/** Puts every shadowed row back to its server value (inside the rebase's transaction). */
export async function restoreShadows(db: ReplicaDb): Promise<void> {
  const shadows = await db.shadows.toArray();
  for (const s of shadows) {
    const table = db.replica(s.table);
    if (s.row === null) await table.delete(s.key);
    else await table.put(s.row as never);
  }
  await db.shadows.clear();
}
