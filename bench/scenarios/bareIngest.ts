import Database from 'better-sqlite3';
import { migrate } from '../../src-main/store/migrations';

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
 * The fair baseline for bulk ingest: the same messages written the plainest way into the same schema
 * (the app's migrations: b-tree indexes, the FTS5 trigram index, the change feed), with the app's
 * connection settings (WAL, synchronous=FULL), in the same batches. Per row: one positional INSERT,
 * one FTS insert, one change row (JSON.stringify in the domain shape). No duplicate check, no
 * conversation aggregates: what any code storing these messages must at least do.
 * Returns the seconds the batches took (the conversations they belong to are written first, untimed).
 */
export function bareIngest(file: string, rows: readonly BareMessage[], batch: number): number {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    const conversationIds = [...new Set(rows.map((r) => r.conversation_id))];
    db.transaction(() => {
      const customer = db.prepare("INSERT INTO customers (id, nick, remark, first_seen_at, updated_at) VALUES (?, ?, '', 0, 0)");
      const conversation = db.prepare("INSERT INTO conversations (id, customer_id, status, last_message_at, created_at) VALUES (?, ?, 'ended', 0, 0)");
      for (const [i, id] of conversationIds.entries()) {
        customer.run(`bare-${i}`, `买家${i}`);
        conversation.run(id, `bare-${i}`);
      }
    })();

    const message = db.prepare('INSERT INTO messages (id, conversation_id, sender, agent_id, kind, text, order_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const fts = db.prepare('INSERT INTO messages_fts(rowid, text) VALUES (?, ?)');
    const change = db.prepare("INSERT INTO changes (entity, entity_id, op, row, at) VALUES ('message', ?, 'upsert', ?, ?)");
    const write = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const r = rows[i]!;
        const { lastInsertRowid } = message.run(r.id, r.conversation_id, r.sender, r.agent_id, r.kind, r.text, r.order_id, r.created_at);
        fts.run(lastInsertRowid, r.text);
        const row = { id: r.id, conversationId: r.conversation_id, sender: r.sender, agentId: r.agent_id, kind: r.kind, text: r.text, orderId: r.order_id, createdAt: r.created_at };
        change.run(r.id, JSON.stringify(row), r.created_at);
      }
    });
    const start = performance.now();
    for (let i = 0; i < rows.length; i += batch) write.immediate(i, Math.min(rows.length, i + batch));
    return (performance.now() - start) / 1000;
  } finally {
    db.close();
  }
}
