import type { MessageKind, MessageSender, OrderStatus } from '../../shared/domain/types';
import type { Db } from './connection';
import { matchClause, searchTerm } from './messageSearch';

/**
 * The SQL of the conversation-log export. It runs on the export worker's own read-only connection
 * (and the preview on the export reader's), never on the core's. Rows stream from a cursor
 * (`iterate`), so memory stays flat whatever the size.
 */

/** Filters resolved to instants: messages with fromMs <= created_at < toMs. */
export type LogFilter = {
  fromMs: number;
  toMs: number;
  /** Agent ids or nicks. */
  agents: readonly string[];
  /** Buyer nicks. */
  customers: readonly string[];
  /** Tag ids or names. */
  tags: readonly string[];
  /** Customer group ids or names. */
  groups: readonly string[];
  keyword: string | null;
  directions: readonly MessageSender[];
};

/**
 * One exported message. Rows come as arrays (at a million rows, a third cheaper than objects); the
 * tuple's labels name the columns and LOG indexes them.
 * agentId: the message's agent: who wrote it, or for buyer and system messages the conversation's
 * agent (nicks come from `agentNicks`, read once, instead of a join per row).
 */
export type LogRow = [
  id: string,
  conversationId: string,
  sender: MessageSender,
  kind: MessageKind,
  text: string,
  createdAt: number,
  agentId: string | null,
  buyerNick: string,
  orderId: string | null,
  orderNo: string | null,
];

/** A transcript row: the message, the conversation's agent, and order details for order cards. */
export type TranscriptRow = [
  ...LogRow,
  conversationAgentId: string | null,
  orderStatus: OrderStatus | null,
  orderAmountCents: number | null,
  /** JSON array of {title, sku, priceCents, quantity}, on order cards only. */
  orderItems: string | null,
];

export const LOG = {
  id: 0,
  conversationId: 1,
  sender: 2,
  kind: 3,
  text: 4,
  createdAt: 5,
  agentId: 6,
  buyerNick: 7,
  orderId: 8,
  orderNo: 9,
  conversationAgentId: 10,
  orderStatus: 11,
  orderAmountCents: 12,
  orderItems: 13,
} as const;

export type LogConversationRow = {
  conversation_id: string;
  buyer_nick: string;
  agent_nick: string | null;
  first_at: number;
  last_at: number;
  messages: number;
};

/**
 * The WHERE clause for the filter. Clause texts are fixed here; values are bound (lists as JSON
 * arrays read with json_each), so nothing from the caller ever becomes SQL.
 */
function whereOf(f: LogFilter): { sql: string; params: Record<string, unknown>; needsConversation: boolean } {
  const clauses = ['m.created_at >= @fromMs', 'm.created_at < @toMs'];
  const params: Record<string, unknown> = { fromMs: f.fromMs, toMs: f.toMs };
  let needsConversation = false;
  const json = (key: string, values: readonly string[]) => {
    params[key] = JSON.stringify(values);
    return `(SELECT value FROM json_each(@${key}))`;
  };
  if (f.directions.length > 0) clauses.push(`m.sender IN ${json('directions', f.directions)}`);
  if (f.agents.length > 0) {
    needsConversation = true;
    const agents = json('agents', f.agents);
    clauses.push(`coalesce(m.agent_id, c.agent_id) IN (SELECT id FROM agents WHERE id IN ${agents} OR nick IN ${agents})`);
  }
  if (f.customers.length > 0) {
    needsConversation = true;
    clauses.push(`c.customer_id IN (SELECT id FROM customers WHERE nick IN ${json('customers', f.customers)})`);
  }
  if (f.tags.length > 0) {
    needsConversation = true;
    const tags = json('tags', f.tags);
    clauses.push(
      `c.customer_id IN (SELECT ct.customer_id FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
         WHERE t.id IN ${tags} OR t.name IN ${tags})`,
    );
  }
  if (f.groups.length > 0) {
    needsConversation = true;
    const groups = json('groups', f.groups);
    clauses.push(
      `c.customer_id IN (SELECT cu2.id FROM customers cu2 JOIN customer_groups g ON g.id = cu2.group_id
         WHERE g.id IN ${groups} OR g.name IN ${groups})`,
    );
  }
  const term = f.keyword ? searchTerm(f.keyword) : null;
  if (term) {
    // The search path of messageSearch.ts: trigram for 3+ characters, the unigram index for 1–2.
    const match = matchClause(term, 'k');
    Object.assign(params, match.params);
    clauses.push(
      `m.conversation_id IN (SELECT k.conversation_id FROM messages k
         WHERE ${match.sql} AND k.created_at >= @fromMs AND k.created_at < @toMs)`,
    );
  }
  return { sql: clauses.join('\n AND '), params, needsConversation };
}

/** An automated message's author in the export (migration 0014): `auto:auto_reply` or `auto:reminder`, named by the export. */
export const AUTOMATED_AUTHOR = 'auto:';

/**
 * The row formats' query reads the messages alone (and the conversation only when a filter needs
 * it); the buyer's nick, the conversation's agent and the order number come from `RowNames`, read
 * once per export. The columns sit where LogRow has them: the agent is the author (or the automated
 * name) and stays null when the conversation's agent is to be filled in; the nick and the order
 * number are NULL placeholders filled by `rows`.
 */
const MESSAGE_COLUMNS = `m.id, m.conversation_id, m.sender, m.kind, m.text, m.created_at,
  CASE WHEN m.automated IS NULL THEN m.agent_id ELSE '${AUTOMATED_AUTHOR}' || m.automated END,
  NULL, m.order_id, NULL`;

/** The same LogRow with the names joined per row: a small export's query, and the transcripts'. */
const JOINED_COLUMNS = `m.id, m.conversation_id, m.sender, m.kind, m.text, m.created_at,
  CASE WHEN m.automated IS NULL THEN coalesce(m.agent_id, c.agent_id) ELSE '${AUTOMATED_AUTHOR}' || m.automated END,
  cu.nick, m.order_id, o.order_no`;

const NAME_JOINS = `JOIN conversations c ON c.id = m.conversation_id
  JOIN customers cu ON cu.id = c.customer_id
  LEFT JOIN orders o ON o.id = m.order_id`;

/**
 * What a row's names are resolved from, read in the export's snapshot with one statement each:
 * every conversation's buyer nick and agent id, and every order's number. Bounded by the shop, not
 * the export: at 1M messages the demo shop has ~100k conversations and ~58k orders (~46 MB of
 * peak extra RSS measured, against the export's 200 MB bound).
 */
type RowNames = {
  /** Conversation id → [buyer nick, the conversation's agent id]. Only conversations whose customer exists (the old inner join). */
  conversations: Map<string, [nick: string, agentId: string | null]>;
  /** Order id → order number. */
  orders: Map<string, string>;
};

export function logExportQueries(db: Db) {
  const rowNames = (): RowNames => {
    const conversations = new Map<string, [string, string | null]>();
    const convRows = db
      .prepare('SELECT c.id, cu.nick, c.agent_id FROM conversations c JOIN customers cu ON cu.id = c.customer_id')
      .raw()
      .iterate() as IterableIterator<[string, string, string | null]>;
    for (const [id, nick, agentId] of convRows) conversations.set(id, [nick, agentId]);
    const orders = new Map(db.prepare('SELECT id, order_no FROM orders').raw().all() as [string, string][]);
    return { conversations, orders };
  };
  /** How many rows the maps would hold: the shop's conversations and orders. */
  const shopNames = (): number =>
    db.prepare('SELECT (SELECT count(*) FROM conversations) + (SELECT count(*) FROM orders)').pluck().get() as number;
  return {
    /** Opens one read snapshot: the count and the rows of an export then agree exactly. */
    begin(): void {
      db.exec('BEGIN');
    },
    end(): void {
      if (db.inTransaction) db.exec('COMMIT');
    },

    /** Every agent's nick by id (a shop has a handful; cheaper than a join per row). */
    agentNicks(): Map<string, string> {
      const rows = db.prepare('SELECT id, nick FROM agents').raw().all() as [string, string][];
      return new Map(rows);
    },

    count(f: LogFilter): { messages: number; conversations: number } {
      const w = whereOf(f);
      const join = w.needsConversation ? 'JOIN conversations c ON c.id = m.conversation_id' : '';
      return db
        .prepare(`SELECT count(*) AS messages, count(DISTINCT m.conversation_id) AS conversations FROM messages m ${join} WHERE ${w.sql}`)
        .get(w.params) as { messages: number; conversations: number };
    },

    /** The number of matching messages alone: what a row-per-message format needs (no distinct conversations to gather). */
    countMessages(f: LogFilter): number {
      const w = whereOf(f);
      const join = w.needsConversation ? 'JOIN conversations c ON c.id = m.conversation_id' : '';
      return db.prepare(`SELECT count(*) FROM messages m ${join} WHERE ${w.sql}`).pluck().get(w.params) as number;
    },

    /**
     * Every matching message, oldest first (ties in the order they were stored). `expected` (the
     * export's count) picks how the names are found: an export of at least as many messages as the
     * shop has conversations and orders (twice that when a filter joins the conversation anyway)
     * reads the messages alone and names them from maps read once (`RowNames`: ~0.35 s to read at
     * 1M, and the whole CSV export's CPU fell from 4.7 to 4.0 s against the joins); a smaller one (or
     * `via: 'joins'`) joins per row, cheaper than reading every conversation for a day's export.
     * Both give the same rows.
     */
    rows(f: LogFilter, expected?: number, via?: 'maps' | 'joins'): IterableIterator<LogRow> {
      const w = whereOf(f);
      // A filter that joins the conversation anyway saves less per row: there the maps pay from twice the size.
      const maps = via !== undefined ? via === 'maps' : expected === undefined || expected >= shopNames() * (w.needsConversation ? 2 : 1);
      if (!maps)
        return db
          .prepare(`SELECT ${JOINED_COLUMNS} FROM messages m ${NAME_JOINS} WHERE ${w.sql} ORDER BY m.created_at, m.rowid`)
          .raw()
          .iterate(w.params) as IterableIterator<LogRow>;
      const names = rowNames();
      const join = w.needsConversation ? 'JOIN conversations c ON c.id = m.conversation_id' : '';
      const cursor = db
        .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages m ${join} WHERE ${w.sql} ORDER BY m.created_at, m.rowid`)
        .raw()
        .iterate(w.params) as IterableIterator<LogRow>;
      return namedRows(cursor, names);
    },

    /** The conversations of the export, in transcript order (by their first exported message). */
    conversations(f: LogFilter): IterableIterator<LogConversationRow> {
      const w = whereOf(f);
      return db
        .prepare(
          `SELECT m.conversation_id, cu.nick AS buyer_nick, ca.nick AS agent_nick,
             min(m.created_at) AS first_at, max(m.created_at) AS last_at, count(*) AS messages
           FROM messages m JOIN conversations c ON c.id = m.conversation_id
             JOIN customers cu ON cu.id = c.customer_id LEFT JOIN agents ca ON ca.id = c.agent_id
           WHERE ${w.sql}
           GROUP BY m.conversation_id ORDER BY first_at, m.conversation_id`,
        )
        .iterate(w.params) as IterableIterator<LogConversationRow>;
    },

    /** Messages grouped by conversation, in the order of `conversations`, with order details for cards. */
    transcriptRows(f: LogFilter): IterableIterator<TranscriptRow> {
      const w = whereOf(f);
      return db
        .prepare(
          `WITH firsts AS (
             SELECT m.conversation_id, min(m.created_at) AS first_at
             FROM messages m ${w.needsConversation ? 'JOIN conversations c ON c.id = m.conversation_id' : ''}
             WHERE ${w.sql} GROUP BY m.conversation_id)
           SELECT ${JOINED_COLUMNS}, c.agent_id, o.status, o.amount_cents,
             CASE WHEN m.kind = 'order_card' AND o.id IS NOT NULL THEN (
               SELECT json_group_array(json_object('title', i.title, 'sku', i.sku, 'priceCents', i.price_cents, 'quantity', i.quantity))
               FROM order_items i WHERE i.order_id = o.id) END
           FROM messages m JOIN firsts ON firsts.conversation_id = m.conversation_id ${NAME_JOINS}
           WHERE ${w.sql}
           ORDER BY firsts.first_at, m.conversation_id, m.created_at, m.rowid`,
        )
        .raw()
        .iterate(w.params) as IterableIterator<TranscriptRow>;
    },

    /** The benchmark's baseline: the message columns, oldest first, with no joins or filters. */
    bareRows(): IterableIterator<unknown[]> {
      return db
        .prepare('SELECT id, conversation_id, sender, kind, text, order_id, created_at FROM messages ORDER BY created_at, rowid')
        .raw()
        .iterate() as IterableIterator<unknown[]>;
    },
  };
}

export type LogExportQueries = ReturnType<typeof logExportQueries>;

/**
 * The cursor's rows with their names filled in place (LOG.agentId when the message has no author of
 * its own, LOG.buyerNick, LOG.orderNo): what the joins gave before. A message whose conversation (or
 * its customer) is missing is left out, as the inner joins left it out. Ending early (a break, a
 * throw, a cancel) closes the cursor.
 */
function namedRows(cursor: IterableIterator<LogRow>, names: RowNames): IterableIterator<LogRow> {
  const { conversations, orders } = names;
  const rows: IterableIterator<LogRow> = {
    next(): IteratorResult<LogRow> {
      for (;;) {
        const step = cursor.next();
        if (step.done) return step;
        const row = step.value;
        const conversation = conversations.get(row[LOG.conversationId]);
        if (conversation === undefined) continue;
        if (row[LOG.agentId] === null) row[LOG.agentId] = conversation[1];
        row[LOG.buyerNick] = conversation[0];
        const orderId = row[LOG.orderId];
        if (orderId !== null) row[LOG.orderNo] = orders.get(orderId) ?? null;
        return step;
      }
    },
    return(value?: unknown): IteratorResult<LogRow> {
      cursor.return?.(value);
      return { done: true, value: undefined };
    },
    [Symbol.iterator]() {
      return rows;
    },
  };
  return rows;
}
