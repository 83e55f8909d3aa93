import type { Message, MessageKind, MessageSender } from '../../shared/domain/types';
import type { ChangeQueries } from './changes';
import type { Db } from './connection';

export type MessageRow = {
  id: string;
  conversation_id: string;
  sender: MessageSender;
  agent_id: string | null;
  kind: MessageKind;
  text: string;
  order_id: string | null;
  created_at: number;
};

export function toMessage(r: MessageRow): Message {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    sender: r.sender,
    agentId: r.agent_id,
    kind: r.kind,
    text: r.text,
    orderId: r.order_id,
    createdAt: r.created_at,
  };
}

/** Messages are append-only; the creator's id makes every insert idempotent. */
export function messageQueries(db: Db, changes: ChangeQueries) {
  const insert = db.prepare(
    `INSERT INTO messages (id, conversation_id, sender, agent_id, kind, text, order_id, created_at)
     VALUES (@id, @conversation_id, @sender, @agent_id, @kind, @text, @order_id, @created_at)
     ON CONFLICT(id) DO NOTHING`,
  );
  const byId = db.prepare('SELECT * FROM messages WHERE id = ?');
  const newest = db.prepare(
    `SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
  );
  const before = db.prepare(
    `SELECT * FROM messages WHERE conversation_id = @conversationId
       AND (created_at < @createdAt OR (created_at = @createdAt AND id < @id))
     ORDER BY created_at DESC, id DESC LIMIT @limit`,
  );

  const searchTrigger = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'messages_fts_insert'`).pluck();
  // Prepared on first use: the search table exists from migration 0002 on.
  let indexOne: { run(rowid: number | bigint, text: string): unknown } | undefined;

  return {
    /**
     * Stores many messages at once (bulk history: the demo seeder, benchmarks), inside the caller's
     * transaction. Same rows, change-feed entries and search index as `insert` one by one, about 2.5×
     * faster: the search-index trigger costs more per row than indexing each row directly, so it is
     * dropped and re-created (from its own stored SQL) within the transaction; no other connection
     * ever sees the schema without it. Returns how many were new.
     */
    insertMany(rows: readonly MessageRow[], recordChanges = true): number {
      if (!db.inTransaction) throw new Error('insertMany runs inside a transaction');
      const trigger = searchTrigger.get() as string | undefined;
      if (trigger) db.exec('DROP TRIGGER messages_fts_insert');
      indexOne ??= db.prepare<[number | bigint, string]>('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)');
      let added = 0;
      try {
        for (const row of rows) {
          const result = insert.run(row);
          if (result.changes === 0) continue;
          added++;
          if (trigger) indexOne.run(result.lastInsertRowid, row.text);
          if (recordChanges) changes.append('message', row.id, 'upsert', toMessage(row), row.created_at);
        }
      } finally {
        if (trigger) db.exec(trigger);
      }
      return added;
    },
    /** Stores the message unless its id is known; returns whether it was new, and the stored message. */
    insert(row: MessageRow, recordChange = true): { inserted: boolean; message: Message } {
      const inserted = insert.run(row).changes > 0;
      if (!inserted) return { inserted, message: toMessage(byId.get(row.id) as MessageRow) };
      const message = toMessage(row);
      if (recordChange) changes.append('message', row.id, 'upsert', message, row.created_at);
      return { inserted, message };
    },
    get(id: string): Message | undefined {
      const r = byId.get(id) as MessageRow | undefined;
      return r && toMessage(r);
    },
    /** The newest `limit` messages before the cursor (or the newest overall), oldest first. */
    page(conversationId: string, limit: number, cursor?: { createdAt: number; id: string }): { messages: Message[]; hasMore: boolean } {
      const rows = (
        cursor
          ? before.all({ conversationId, createdAt: cursor.createdAt, id: cursor.id, limit: limit + 1 })
          : newest.all(conversationId, limit + 1)
      ) as MessageRow[];
      const hasMore = rows.length > limit;
      return { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore };
    },
  };
}
