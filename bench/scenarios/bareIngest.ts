import { applyBulkSettings, openDatabase } from '../../src-main/store/connection';
import { registerUnigram, UNIGRAM_FUNCTION } from '../../src-main/store/unigram';

/** One message as the baselines write it (the store's column names). */
export type BareMessage = {
  id: string;
  conversation_id: string;
  sender: string;
  agent_id: string | null;
  kind: string;
  text: string;
  order_id: string | null;
  created_at: number;
};

/**
 * The fair baseline for bulk ingest: the same messages written the plainest fast way into the same
 * schema (the app's migrations: b-tree indexes, the FTS5 trigram and unigram search indexes, the change feed) through a
 * connection opened as the app opens its own (WAL, synchronous=FULL, …), in the same batches. Per batch: one positional
 * INSERT per message, then one INSERT … SELECT into each search index and one into the change feed
 * (the row in the domain shape, by json_object). No duplicate check, no conversation aggregates:
 * what any code storing these messages searchable and synced must at least do.
 * The agents and conversations the rows refer to are written when it opens; `write(from, to)` stores one batch.
 */
export function openBareIngest(
  file: string,
  rows: readonly BareMessage[],
  options: { bulk?: boolean } = {},
): { write(from: number, to: number): void; close(): void } {
  const db = openDatabase(file); // the app's own connection settings and migrations
  // The seed's baseline writes with the seed's bulk settings (page cache, checkpoints, synchronous=NORMAL).
  if (options.bulk) applyBulkSettings(db);
  {
    const conversationIds = [...new Set(rows.map((r) => r.conversation_id))];
    db.transaction(() => {
      const customer = db.prepare("INSERT INTO customers (id, nick, remark, first_seen_at, updated_at) VALUES (?, ?, '', 0, 0)");
      const conversation = db.prepare(
        "INSERT INTO conversations (id, customer_id, status, last_message_at, created_at) VALUES (?, ?, 'ended', 0, 0)",
      );
      const agent = db.prepare("INSERT INTO agents (id, nick, role, created_at) VALUES (?, ?, 'agent', 0)");
      for (const [i, id] of [...new Set(rows.flatMap((r) => (r.agent_id ? [r.agent_id] : [])))].entries()) agent.run(id, `客服${i}`);
      for (const [i, id] of conversationIds.entries()) {
        customer.run(`bare-${i}`, `买家${i}`);
        conversation.run(id, `bare-${i}`);
      }
    })();

    const message = db.prepare(
      'INSERT INTO messages (id, conversation_id, sender, agent_id, kind, text, order_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const maxRowid = db.prepare('SELECT coalesce(max(rowid), 0) FROM messages').pluck();
    const fts = db.prepare('INSERT INTO messages_fts(rowid, text) SELECT rowid, text FROM messages WHERE rowid > ?');
    registerUnigram(db);
    const short = db.prepare(`INSERT INTO messages_uni(rowid, text) SELECT rowid, ${UNIGRAM_FUNCTION}(text) FROM messages WHERE rowid > ?`);
    const changes = db.prepare(
      `INSERT INTO changes (entity, entity_id, op, row, at)
       SELECT 'message', id, 'upsert', json_object('id', id, 'conversationId', conversation_id, 'sender', sender, 'agentId', agent_id,
         'kind', kind, 'text', text, 'orderId', order_id, 'createdAt', created_at), created_at
       FROM messages WHERE rowid > ? ORDER BY rowid`,
    );
    const write = db.transaction((from: number, to: number) => {
      const before = maxRowid.get() as number;
      for (let i = from; i < to; i++) {
        const r = rows[i]!;
        message.run(r.id, r.conversation_id, r.sender, r.agent_id, r.kind, r.text, r.order_id, r.created_at);
      }
      fts.run(before);
      short.run(before);
      changes.run(before);
    });
    return {
      write: (from, to) => write.immediate(from, to),
      close: () => db.close(),
    };
  }
}
