import type { Message, MessageAutomation, MessageKind, MessageSender } from '../../shared/domain/types';
import type { ChangeQueries } from './changes';
import type { Db } from './connection';
import { registerUnigram, UNIGRAM_FUNCTION, unigramText } from './unigram';
import { onPostgres, pgInsertMany } from './pg/bulkInsert';

export type MessageRow = {
  id: string;
  conversation_id: string;
  sender: MessageSender;
  agent_id: string | null;
  kind: MessageKind;
  text: string;
  order_id: string | null;
  created_at: number;
  /** Migration 0014: NULL (absent) for a person's message. */
  automated?: MessageAutomation | null;
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
    ...(r.automated ? { automated: r.automated } : {}),
  };
}

/** Messages are append-only; the creator's id makes every insert idempotent. */
const MESSAGE_COLUMNS = [
  { name: 'id', type: 'text' },
  { name: 'conversation_id', type: 'text' },
  { name: 'sender', type: 'text' },
  { name: 'agent_id', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'text', type: 'text' },
  { name: 'order_id', type: 'text' },
  { name: 'created_at', type: 'bigint' },
] as const;

export function messageQueries(db: Db, changes: ChangeQueries) {
  registerUnigram(db);
  const pg = onPostgres(db);
  const insert = db.prepare(
    `INSERT INTO messages (id, conversation_id, sender, agent_id, kind, text, order_id, created_at)
     VALUES (@id, @conversation_id, @sender, @agent_id, @kind, @text, @order_id, @created_at)
     ON CONFLICT(id) DO NOTHING`,
  );
  // An automated message (migration 0014) names its column; prepared on first use, so a store opened
  // on an older schema (the migrations' tests) still writes people's messages.
  let insertAutomated: ReturnType<Db['prepare']> | null = null;
  const insertRow = (row: MessageRow) => {
    if (!row.automated) {
      const { automated: _automated, ...plain } = row;
      return insert.run(plain);
    }
    insertAutomated ??= db.prepare(
      `INSERT INTO messages (id, conversation_id, sender, agent_id, kind, text, order_id, created_at, automated)
       VALUES (@id, @conversation_id, @sender, @agent_id, @kind, @text, @order_id, @created_at, @automated)
       ON CONFLICT(id) DO NOTHING`,
    );
    return insertAutomated.run(row);
  };
  // The same insert with positional parameters: binding by name costs about a fifth of a bulk insert.
  const insertPositional = db.prepare(
    `INSERT INTO messages (id, conversation_id, sender, agent_id, kind, text, order_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
  );
  // Search indexing (migration 0003): one row after a single insert, a rowid range after a batch.
  const indexOne = db.prepare('INSERT INTO messages_fts(rowid, text) VALUES (?, ?)');
  const indexAfter = db.prepare('INSERT INTO messages_fts(rowid, text) SELECT rowid, text FROM messages WHERE rowid > ?');
  // The short-term index (migration 0006) the same way: the spacing runs inside SQLite, one statement a batch.
  const indexShortOne = db.prepare('INSERT INTO messages_uni(rowid, text) VALUES (?, ?)');
  const indexShortAfter = db.prepare(
    `INSERT INTO messages_uni(rowid, text) SELECT rowid, ${UNIGRAM_FUNCTION}(text) FROM messages WHERE rowid > ?`,
  );
  // The change rows of a batch, written by SQLite itself in the shape of `toMessage` (one statement, not one call per row).
  const changesAfter = db.prepare(
    `INSERT INTO changes (entity, entity_id, op, row, at)
     SELECT 'message', id, 'upsert', json_object('id', id, 'conversationId', conversation_id, 'sender', sender, 'agentId', agent_id,
       'kind', kind, 'text', text, 'orderId', order_id, 'createdAt', created_at), created_at
     FROM messages WHERE rowid > ? ORDER BY rowid`,
  );
  const maxRowid = db.prepare('SELECT coalesce(max(rowid), 0) FROM messages').pluck();
  const byId = db.prepare('SELECT * FROM messages WHERE id = ?');
  const newest = db.prepare(`SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`);
  const before = db.prepare(
    `SELECT * FROM messages WHERE conversation_id = @conversationId
       AND (created_at < @createdAt OR (created_at = @createdAt AND id < @id))
     ORDER BY created_at DESC, id DESC LIMIT @limit`,
  );

  const newerThan = db.prepare(
    `SELECT * FROM messages WHERE conversation_id = @conversationId
       AND (created_at > @createdAt OR (created_at = @createdAt AND id > @id))
     ORDER BY created_at, id LIMIT @limit`,
  );

  return {
    /** Stores the message unless its id is known; returns whether it was new, and the stored message. */
    insert(row: MessageRow, recordChange = true): { inserted: boolean; message: Message } {
      const result = insertRow(row);
      const inserted = result.changes > 0;
      if (!inserted) return { inserted, message: toMessage(byId.get(row.id) as MessageRow) };
      indexOne.run(result.lastInsertRowid, row.text);
      indexShortOne.run(result.lastInsertRowid, unigramText(row.text));
      const message = toMessage(row);
      if (recordChange) changes.append('message', row.id, 'upsert', message, row.created_at);
      return { inserted, message };
    },
    /**
     * Bulk ingest (first sync, history import, demo seed): stores the rows whose id is new and indexes
     * them for search in one statement. Call inside `store.tx`. Returns the rows that were new.
     */
    insertMany(rows: MessageRow[], recordChange = true): MessageRow[] {
      const before = maxRowid.get() as number;
      const fresh: MessageRow[] = [];
      if (pg) {
        // PostgreSQL: a few multi-row statements, not a bridge round trip per message (issue 14).
        const stored = pgInsertMany(
          db,
          'messages',
          MESSAGE_COLUMNS,
          'id',
          rows.map((r) => [r.id, r.conversation_id, r.sender, r.agent_id, r.kind, r.text, r.order_id, r.created_at]),
        );
        rows.forEach((r, i) => {
          if (stored[i]) fresh.push(r);
        });
      } else {
        for (const row of rows) {
          const { changes: stored } = insertPositional.run(
            row.id,
            row.conversation_id,
            row.sender,
            row.agent_id,
            row.kind,
            row.text,
            row.order_id,
            row.created_at,
          );
          if (stored > 0) fresh.push(row);
        }
      }
      if (fresh.length > 0) {
        indexAfter.run(before);
        indexShortAfter.run(before);
        if (recordChange) changesAfter.run(before);
      }
      return fresh;
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
    /**
     * A message of the conversation with up to `older` messages before it and `newer` after it, in
     * time order (opening a conversation at a search hit); undefined when the message is not there.
     */
    around(conversationId: string, messageId: string, older: number, newer: number) {
      const target = byId.get(messageId) as MessageRow | undefined;
      if (!target || target.conversation_id !== conversationId) return undefined;
      const key = { conversationId, createdAt: target.created_at, id: target.id };
      const before = this.page(conversationId, older, key);
      const after = newerThan.all({ ...key, limit: newer + 1 }) as MessageRow[];
      return {
        messages: [...before.messages, toMessage(target), ...after.slice(0, newer).map(toMessage)],
        hasOlder: before.hasMore,
        hasNewer: after.length > newer,
      };
    },
  };
}
