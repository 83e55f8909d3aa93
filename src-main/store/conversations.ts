import type { ConversationStatus, ConversationSummary, Tag } from '../../shared/domain/types';
import type { ChangeQueries } from './changes';
import type { Db } from './connection';
import { onPostgres, pgInsertMany } from './pg/bulkInsert';

export type ConversationRow = {
  id: string;
  customer_id: string;
  agent_id: string | null;
  status: ConversationStatus;
  last_message_at: number;
  last_message_preview: string;
  unread_count: number;
  waiting_since: number | null;
  created_at: number;
  ended_at: number | null;
};

/** An ended conversation as the history lists it. */
export type HistoryRow = {
  id: string;
  customer_id: string;
  customer_nick: string;
  agent_id: string | null;
  agent_nick: string | null;
  created_at: number;
  ended_at: number | null;
  last_message_at: number;
  last_message_preview: string;
};

type SummaryRow = ConversationRow & { customer_nick: string; customer_group_id: string | null };

const SUMMARY_SELECT = `SELECT c.*, cu.nick AS customer_nick, cu.group_id AS customer_group_id FROM conversations c JOIN customers cu ON cu.id = c.customer_id`;

/**
 * `toSummary` of conversation `c` (joined with its customer `cu`) as SQLite's JSON, key for key, the
 * tags in the order `customers.get` lists them: change rows written by SQL match those from JS.
 */
const SUMMARY_JSON = `json_object('id', c.id, 'customerId', c.customer_id, 'customerNick', cu.nick,
  'customerTags', (SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'color', t.color) ORDER BY ct.created_at, t.name)
                   FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = c.customer_id),
  'customerGroupId', cu.group_id, 'agentId', c.agent_id, 'status', c.status, 'lastMessageAt', c.last_message_at,
  'lastMessagePreview', c.last_message_preview, 'unreadCount', c.unread_count, 'waitingSince', c.waiting_since)`;

/**
 * A buyer's newest open conversation. `+status` keeps SQLite on the buyer's own few rows: for the
 * ORDER BY … LIMIT 1 it would otherwise walk every open conversation in time order (a hub has
 * thousands open, and every buyer message asks this).
 */
export const OPEN_FOR_CUSTOMER_SQL = `SELECT id FROM conversations WHERE customer_id = ? AND +status = 'open' ORDER BY last_message_at DESC LIMIT 1`;

/** Conversations and the aggregate each keeps (last message, unread count, waiting since). */
const CONVERSATION_COLUMNS = [
  { name: 'id', type: 'text' },
  { name: 'customer_id', type: 'text' },
  { name: 'agent_id', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'last_message_at', type: 'bigint' },
  { name: 'last_message_preview', type: 'text' },
  { name: 'unread_count', type: 'bigint' },
  { name: 'waiting_since', type: 'bigint' },
  { name: 'created_at', type: 'bigint' },
  { name: 'ended_at', type: 'bigint' },
] as const;

export function conversationQueries(db: Db, changes: ChangeQueries, tagsOf: (customerId: string) => Tag[]) {
  const insert = db.prepare(
    `INSERT INTO conversations (id, customer_id, agent_id, status, last_message_at, last_message_preview,
       unread_count, waiting_since, created_at, ended_at)
     VALUES (@id, @customer_id, @agent_id, @status, @last_message_at, @last_message_preview,
       @unread_count, @waiting_since, @created_at, @ended_at) ON CONFLICT(id) DO NOTHING`,
  );
  const insertPositional = db.prepare(
    `INSERT INTO conversations (id, customer_id, agent_id, status, last_message_at, last_message_preview,
       unread_count, waiting_since, created_at, ended_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
  );
  const maxRowid = db.prepare('SELECT coalesce(max(rowid), 0) FROM conversations').pluck();
  // Change rows of many conversations written by SQLite in the shape of `toSummary` (one statement
  // instead of three reads and a JSON.stringify per conversation): after a bulk insert, by rowid; after
  // a bulk ingest, by a JSON list of [id, at] in the order given.
  const changesAfter = db.prepare(
    `INSERT INTO changes (entity, entity_id, op, row, at)
     SELECT 'conversation', c.id, 'upsert', ${SUMMARY_JSON}, c.created_at
     FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE c.rowid > ? ORDER BY c.rowid`,
  );
  const changesFor = db.prepare(
    `INSERT INTO changes (entity, entity_id, op, row, at)
     SELECT 'conversation', c.id, 'upsert', ${SUMMARY_JSON}, j.value ->> 1
     FROM json_each(?) j JOIN conversations c ON c.id = j.value ->> 0 JOIN customers cu ON cu.id = c.customer_id ORDER BY j.key`,
  );
  const byId = db.prepare(`${SUMMARY_SELECT} WHERE c.id = ?`);
  // Buyers with an ended conversation (returning buyers), by the customer index.
  const returning = db.prepare(
    `SELECT DISTINCT customer_id FROM conversations WHERE customer_id IN (SELECT value FROM json_each(?)) AND status = 'ended'`,
  );
  const reopen = db.prepare(
    `UPDATE conversations SET status = 'open', ended_at = NULL, agent_id = @agent WHERE id = @id AND status = 'ended'`,
  );
  // Ended conversations, most recent first, by the (status, last_message_at) index; a page starts after
  // `before`. One buyer's go by the customer index instead (a buyer has few; the shop may have millions).
  const HISTORY_COLUMNS = `SELECT c.id, c.customer_id, cu.nick AS customer_nick, c.agent_id, a.nick AS agent_nick, c.created_at,
            c.ended_at, c.last_message_at, c.last_message_preview
     FROM conversations c JOIN customers cu ON cu.id = c.customer_id LEFT JOIN agents a ON a.id = c.agent_id`;
  const HISTORY_FILTERS = `AND (@agent IS NULL OR c.agent_id = @agent)
       AND (@nick IS NULL OR cu.nick LIKE @nick ESCAPE '\\')
       AND (@beforeAt IS NULL OR c.last_message_at < @beforeAt OR (c.last_message_at = @beforeAt AND c.id < @beforeId))
     ORDER BY c.last_message_at DESC, c.id DESC LIMIT @limit`;
  const history = db.prepare(`${HISTORY_COLUMNS} WHERE c.status = 'ended' ${HISTORY_FILTERS}`);
  const historyOfCustomer = db.prepare(`${HISTORY_COLUMNS} WHERE c.customer_id = @customer AND c.status = 'ended' ${HISTORY_FILTERS}`);
  const listByStatus = db.prepare(`${SUMMARY_SELECT} WHERE c.status = ? ORDER BY c.last_message_at DESC`);
  const listAll = db.prepare(`${SUMMARY_SELECT} ORDER BY c.last_message_at DESC`);
  const openForCustomer = db.prepare(OPEN_FOR_CUSTOMER_SQL).pluck();
  const end = db.prepare(
    `UPDATE conversations SET status = 'ended', ended_at = @at, waiting_since = NULL, unread_count = 0 WHERE id = @id AND status = 'open'`,
  );
  const openForCustomerIds = db.prepare(`SELECT id FROM conversations WHERE customer_id = ? AND status = 'open'`).pluck();
  const applyBatch = db.prepare(
    `UPDATE conversations SET
       unread_count = CASE WHEN @sawAgent THEN @buyerAfterAgent ELSE unread_count + @buyerCount END,
       waiting_since = CASE WHEN @sawAgent THEN @firstBuyerAfterAgent ELSE coalesce(waiting_since, @firstBuyer) END,
       last_message_preview = CASE WHEN @lastAt >= last_message_at THEN @preview ELSE last_message_preview END,
       last_message_at = max(last_message_at, @lastAt)
     WHERE id = @id`,
  );
  const claim = db.prepare('UPDATE conversations SET agent_id = @agent WHERE id = @id AND agent_id IS NULL');
  const assign = db.prepare('UPDATE conversations SET agent_id = @agent WHERE id = @id');
  const markRead = db.prepare('UPDATE conversations SET unread_count = 0 WHERE id = ? AND unread_count > 0');
  const afterBuyerMessage = db.prepare(
    `UPDATE conversations SET last_message_at = max(last_message_at, @at), last_message_preview = @preview,
       unread_count = unread_count + 1, waiting_since = coalesce(waiting_since, @at) WHERE id = @id`,
  );
  const afterAgentMessage = db.prepare(
    `UPDATE conversations SET last_message_at = max(last_message_at, @at), last_message_preview = @preview,
       waiting_since = NULL, unread_count = 0 WHERE id = @id`,
  );
  const afterSystemMessage = db.prepare(
    `UPDATE conversations SET last_message_at = max(last_message_at, @at), last_message_preview = @preview WHERE id = @id`,
  );

  const customersOf = db.prepare('SELECT id, customer_id FROM conversations WHERE id IN (SELECT value FROM json_each(?))');

  function summary(id: string): ConversationSummary | undefined {
    const r = byId.get(id) as SummaryRow | undefined;
    return r && toSummary(r, tagsOf(r.customer_id));
  }

  function recordChange(id: string, at: number): void {
    const s = summary(id);
    if (s) changes.append('conversation', id, 'upsert', s, at);
  }

  return {
    insert(row: ConversationRow): void {
      insert.run(row);
      recordChange(row.id, row.created_at);
    },
    /** A new open conversation with nothing in it yet (a buyer's first message or a reminder opens one). */
    insertOpen(id: string, customerId: string, agentId: string | null, at: number): void {
      insert.run({
        id,
        customer_id: customerId,
        agent_id: agentId,
        status: 'open',
        last_message_at: at,
        last_message_preview: '',
        unread_count: 0,
        waiting_since: null,
        created_at: at,
        ended_at: null,
      } satisfies ConversationRow);
      recordChange(id, at);
    },
    /**
     * Bulk insert (demo history): the rows whose id is new, with their change rows written by one
     * statement, in the shape a single `insert` records. Call inside `store.tx`.
     */
    insertMany(rows: ConversationRow[]): void {
      const before = maxRowid.get() as number;
      let stored = 0;
      if (onPostgres(db)) {
        // PostgreSQL: a few multi-row statements, not a bridge round trip per conversation (issue 14).
        const fresh = pgInsertMany(
          db,
          'conversations',
          CONVERSATION_COLUMNS,
          'id',
          rows.map((r) => [
            r.id,
            r.customer_id,
            r.agent_id,
            r.status,
            r.last_message_at,
            r.last_message_preview,
            r.unread_count,
            r.waiting_since,
            r.created_at,
            r.ended_at,
          ]),
        );
        stored = fresh.filter(Boolean).length;
      } else
        for (const r of rows) {
          stored += insertPositional.run(
            r.id,
            r.customer_id,
            r.agent_id,
            r.status,
            r.last_message_at,
            r.last_message_preview,
            r.unread_count,
            r.waiting_since,
            r.created_at,
            r.ended_at,
          ).changes;
        }
      if (stored > 0) changesAfter.run(before);
    },
    get: summary,
    /** The buyers of these conversations (those that exist), in one statement. */
    customersOf(ids: readonly string[]): Map<string, string> {
      if (ids.length === 0) return new Map();
      const rows = customersOf.all(JSON.stringify(ids)) as { id: string; customer_id: string }[];
      return new Map(rows.map((r) => [r.id, r.customer_id]));
    },
    list(status: ConversationStatus | 'all', tagsByCustomer: Map<string, Tag[]>): ConversationSummary[] {
      const rows = (status === 'all' ? listAll.all() : listByStatus.all(status)) as SummaryRow[];
      return rows.map((r) => toSummary(r, tagsByCustomer.get(r.customer_id) ?? []));
    },
    openForCustomer(customerId: string): string | undefined {
      return openForCustomer.get(customerId) as string | undefined;
    },
    /**
     * Folds a batch of new messages (time order) into the conversation's aggregate with one UPDATE:
     * the same result as applying them one by one, for bulk ingest.
     */
    applyMessages(id: string, messages: { sender: 'buyer' | 'agent' | 'system'; created_at: number; text: string }[], record = true): void {
      if (messages.length === 0) return;
      const sorted = [...messages].sort((a, b) => a.created_at - b.created_at);
      let sawAgent = false;
      let buyerCount = 0;
      let firstBuyer: number | null = null;
      let buyerAfterAgent = 0;
      let firstBuyerAfterAgent: number | null = null;
      for (const m of sorted) {
        if (m.sender === 'agent') {
          sawAgent = true;
          buyerAfterAgent = 0;
          firstBuyerAfterAgent = null;
        } else if (m.sender === 'buyer') {
          buyerCount += 1;
          firstBuyer ??= m.created_at;
          buyerAfterAgent += 1;
          firstBuyerAfterAgent ??= m.created_at;
        }
      }
      const last = sorted[sorted.length - 1]!;
      applyBatch.run({
        id,
        sawAgent: sawAgent ? 1 : 0,
        buyerAfterAgent,
        buyerCount,
        firstBuyer,
        firstBuyerAfterAgent,
        lastAt: last.created_at,
        preview: last.text.slice(0, 120),
      });
      if (record) recordChange(id, last.created_at);
    },
    /** Gives an unassigned conversation to an agent; returns false when it already had one. */
    claim(id: string, agentId: string, at: number): boolean {
      if (claim.run({ id, agent: agentId }).changes === 0) return false;
      recordChange(id, at);
      return true;
    },
    /** Opens an ended conversation again, as the agent's; returns false when it was not ended. */
    reopen(id: string, agentId: string, at: number): boolean {
      if (reopen.run({ id, agent: agentId }).changes === 0) return false;
      recordChange(id, at);
      return true;
    },
    /**
     * A page of ended conversations (历史), most recent first: `agentId` the agent's only, `customerId`
     * one buyer's (by the customer index), `nickLike`
     * a LIKE pattern over the buyer's nick (escaped by the caller), `before` where the last page ended.
     */
    history(q: {
      agentId: string | null;
      customerId: string | null;
      nickLike: string | null;
      before: { lastMessageAt: number; id: string } | null;
      limit: number;
    }) {
      return (q.customerId === null ? history : historyOfCustomer).all({
        agent: q.agentId,
        ...(q.customerId === null ? {} : { customer: q.customerId }),
        nick: q.nickLike,
        beforeAt: q.before?.lastMessageAt ?? null,
        beforeId: q.before?.id ?? null,
        limit: q.limit,
      }) as HistoryRow[];
    },
    /** Which of these buyers have an ended conversation: returning buyers (the list marks them). */
    returning(customerIds: string[]): string[] {
      return returning.pluck().all(JSON.stringify(customerIds)) as string[];
    },
    /** Gives a conversation to an agent, or to nobody (the queue), whoever had it (the routing service checks who may). */
    assign(id: string, agentId: string | null, at: number, record = true): void {
      assign.run({ id, agent: agentId });
      if (record) recordChange(id, at);
    },
    /** Ends an open conversation; returns false when it was not open. */
    end(id: string, at: number): boolean {
      if (end.run({ id, at }).changes === 0) return false;
      recordChange(id, at);
      return true;
    },
    /** Open conversations of a customer (their summaries show the customer's tags). */
    openIdsForCustomer(customerId: string): string[] {
      return openForCustomerIds.all(customerId) as string[];
    },
    /** Returns true when something changed. */
    markRead(id: string, at: number): boolean {
      if (markRead.run(id).changes === 0) return false;
      recordChange(id, at);
      return true;
    },
    /** Keeps the conversation's aggregate in step with a newly stored message (same transaction). */
    applyMessage(id: string, sender: 'buyer' | 'agent' | 'system', at: number, preview: string, record = true): void {
      const stmt = sender === 'buyer' ? afterBuyerMessage : sender === 'agent' ? afterAgentMessage : afterSystemMessage;
      stmt.run({ id, at, preview: preview.slice(0, 120) });
      if (record) recordChange(id, at);
    },
    recordChange,
    /** The change rows of several conversations at once, each at its own time, in the order given. */
    recordChanges(entries: { id: string; at: number }[]): void {
      if (entries.length > 0) changesFor.run(JSON.stringify(entries.map((e) => [e.id, e.at])));
    },
  };
}

function toSummary(r: SummaryRow, tags: Tag[]): ConversationSummary {
  return {
    id: r.id,
    customerId: r.customer_id,
    customerNick: r.customer_nick,
    customerTags: tags,
    customerGroupId: r.customer_group_id,
    agentId: r.agent_id,
    status: r.status,
    lastMessageAt: r.last_message_at,
    lastMessagePreview: r.last_message_preview,
    unreadCount: r.unread_count,
    waitingSince: r.waiting_since,
  };
}
