import type { OrderFlag } from '../../shared/domain/flags';
import type { Message, OrderItem, OrderStatus, PhraseGroup, TeamAgent } from '../../shared/domain/types';
import type { RedLineRow } from '../../shared/domain/redLines/defaults';
import type { SnapshotPart, SnapshotRow, SnapshotScope } from '../../shared/sync/protocol';
import type { Statement } from 'better-sqlite3';
import type { Db } from './connection';
import { toMessage, type MessageRow } from './messages';
import { toPickerPhrase, type PhraseRow } from './phrases';

const SCOPE_WHERE = {
  all: '1 = 1',
  open: "$c IN (SELECT customer_id FROM conversations WHERE status = 'open')",
  ids: '$c IN (SELECT value FROM json_each(?))',
} as const;

/**
 * The replica's bootstrap, read by part and paged by key (keyset pagination: each page is one indexed
 * range scan, however far in). Rows are in the same domain shapes as the change feed's, so a client
 * applies both with one set of rules.
 */
export function snapshotQueries(db: Db) {
  // Prepared on first use, as the red lines below (older schemas lack the routing columns).
  let agentStatement: Statement<unknown[]> | null = null;
  const agents = () =>
    (agentStatement ??= db.prepare<unknown[]>(
      `SELECT id, nick, role, state, present, max_open AS maxOpen, disabled_at IS NOT NULL AS disabled FROM agents WHERE id > ? ORDER BY id LIMIT ?`,
    ));
  const tags = db.prepare('SELECT id, name, color FROM tags WHERE id > ? ORDER BY id LIMIT ?');
  const groups = db.prepare('SELECT id, name FROM customer_groups WHERE id > ? ORDER BY id LIMIT ?');
  // The buyers' parts (customers, their tags, their orders) are read for the whole shop, for the
  // buyers of open conversations (a desk's first screen), or for named buyers (fetched on demand):
  // one statement per part and scope, prepared on first use.
  const scoped = new Map<string, Statement<unknown[]>>();
  const scopedStatement = (part: string, scope: SnapshotScope, sql: (where: string) => string) => {
    const kind = scope === 'all' ? 'all' : scope === 'open' ? 'open' : 'ids';
    const key = `${part}:${kind}`;
    let statement = scoped.get(key);
    if (!statement) {
      statement = db.prepare<unknown[]>(sql(SCOPE_WHERE[kind]));
      scoped.set(key, statement);
    }
    return { statement, params: kind === 'ids' ? [JSON.stringify(scope)] : [] };
  };
  const customers = (scope: SnapshotScope) =>
    scopedStatement(
      'customer',
      scope,
      (where) =>
        `SELECT id, nick, group_id AS groupId, remark, first_seen_at AS firstSeenAt FROM customers
         WHERE ${where.replace('$c', 'id')} AND id > ? ORDER BY id LIMIT ?`,
    );
  const memberships = (scope: SnapshotScope) =>
    scopedStatement(
      'customer_tag',
      scope,
      (where) =>
        `SELECT customer_id AS customerId, tag_id AS tagId, created_at AS at FROM customer_tags
         WHERE ${where.replace('$c', 'customer_id')} AND (customer_id, tag_id) > (?, ?) ORDER BY customer_id, tag_id LIMIT ?`,
    );
  const orders = (scope: SnapshotScope) =>
    scopedStatement(
      'order',
      scope,
      (where) =>
        `SELECT o.id, o.order_no AS orderNo, o.customer_id AS customerId, o.status, o.amount_cents AS amountCents, o.address,
       o.logistics_company AS logisticsCompany, o.tracking_no AS trackingNo, o.created_at AS createdAt, o.paid_at AS paidAt,
       o.flash_sale AS flashSale, coalesce(n.flag, 0) AS flag, coalesce(n.memo, '') AS memo,
       (SELECT json_group_array(json_object('id', i.id, 'title', i.title, 'sku', i.sku, 'priceCents', i.price_cents, 'quantity', i.quantity))
          FROM (SELECT * FROM order_items WHERE order_id = o.id ORDER BY rowid) i) AS items
     FROM orders o LEFT JOIN order_notes n ON n.order_id = o.id
     WHERE ${where.replace('$c', 'o.customer_id')} AND o.id > ? ORDER BY o.id LIMIT ?`,
    );
  const phraseGroups = db.prepare(
    `SELECT id, scope, name, sort FROM reply_groups WHERE (scope = 'team' OR owner = ?) AND id > ? ORDER BY id LIMIT ?`,
  );
  // A phrase's picture rides with it as in the change feed (a desk bootstrapped later sends it too);
  // prepared on first use, as the red lines below (older schemas lack the picture column).
  let replyStatement: Statement<unknown[]> | null = null;
  const replies = () =>
    (replyStatement ??= db.prepare<unknown[]>(`SELECT * FROM replies WHERE (scope = 'team' OR owner = ?) AND id > ? ORDER BY id LIMIT ?`));
  // Prepared on first use: older migrations' tests make a store over files without the red-line tables.
  let redLineStatement: Statement<unknown[]> | null = null;
  const redLines = () =>
    (redLineStatement ??= db.prepare<unknown[]>(
      `SELECT * FROM (SELECT 'w:' || key AS id, 'word' AS kind, word AS text, category, sort FROM red_line_words
       UNION ALL SELECT 'x:' || key AS id, 'exception' AS kind, phrase AS text, NULL AS category, sort FROM red_line_exceptions)
     WHERE id > ? ORDER BY id LIMIT ?`,
    ));
  const conversations = db.prepare(
    `SELECT id, customer_id AS customerId, agent_id AS agentId, status, last_message_at AS lastMessageAt,
       last_message_preview AS lastMessagePreview, unread_count AS unreadCount, waiting_since AS waitingSince
     FROM conversations WHERE status = 'open' AND id > ? ORDER BY id LIMIT ?`,
  );
  const openIds = db.prepare(`SELECT id FROM conversations WHERE status = 'open' AND id > ? ORDER BY id LIMIT ?`).pluck();
  const newest = db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT ?');

  type Page = { rows: SnapshotRow[]; next: string | null };
  const keyed = <E extends SnapshotPart>(entity: E, rows: { id: string }[], limit: number): Page => ({
    rows: rows.map((row) => ({ entity, id: row.id, row }) as SnapshotRow),
    next: rows.length === limit ? rows[rows.length - 1]!.id : null,
  });

  return {
    /**
     * One page of a part after `after` (null: from the start). Messages are the newest
     * `messagesPerConversation` of each open conversation, paged by conversation.
     */
    page(
      part: SnapshotPart,
      after: string | null,
      limit: number,
      opts: { agentId: string; messagesPerConversation: number; scope?: SnapshotScope },
    ): Page {
      const from = after ?? '';
      const scope = opts.scope ?? 'all';
      switch (part) {
        case 'agent': {
          type Raw = Omit<TeamAgent, 'present' | 'disabled'> & { present: number; disabled: number };
          const rows = (agents().all(from, limit) as Raw[]).map((r): TeamAgent => ({
            ...r,
            present: r.present === 1,
            disabled: r.disabled === 1,
          }));
          return keyed(part, rows, limit);
        }
        case 'tag':
          return keyed(part, tags.all(from, limit) as { id: string }[], limit);
        case 'customer_group':
          return keyed(part, groups.all(from, limit) as { id: string }[], limit);
        case 'customer': {
          const { statement, params } = customers(scope);
          return keyed(part, statement.all(...params, from, limit) as { id: string }[], limit);
        }
        case 'customer_tag': {
          const [c, t] = after ? after.split(':') : ['', ''];
          const { statement, params } = memberships(scope);
          const rows = statement.all(...params, c ?? '', t ?? '', limit) as { customerId: string; tagId: string; at: number }[];
          const last = rows[rows.length - 1];
          return {
            rows: rows.map((row) => ({ entity: part, id: `${row.customerId}:${row.tagId}`, row })),
            next: rows.length === limit && last ? `${last.customerId}:${last.tagId}` : null,
          };
        }
        case 'order': {
          type Raw = {
            id: string;
            orderNo: string;
            customerId: string;
            status: OrderStatus;
            amountCents: number;
            address: string;
            logisticsCompany: string | null;
            trackingNo: string | null;
            createdAt: number;
            paidAt: number | null;
            flashSale: 0 | 1 | boolean;
            flag: OrderFlag;
            memo: string;
            items: string;
          };
          const { statement, params } = orders(scope);
          const rows = (statement.all(...params, from, limit) as Raw[]).map((r) => ({
            ...r,
            // 0/1 on SQLite (a boolean through PostgreSQL's driver would be one too): the row's boolean.
            flashSale: r.flashSale === 1 || r.flashSale === true,
            items: JSON.parse(r.items) as OrderItem[],
          }));
          return keyed(part, rows, limit);
        }
        case 'phrase_group':
          return keyed(part, phraseGroups.all(opts.agentId, from, limit) as PhraseGroup[], limit);
        case 'phrase':
          return keyed(part, (replies().all(opts.agentId, from, limit) as PhraseRow[]).map(toPickerPhrase), limit);
        case 'red_line':
          return keyed(part, redLines().all(from, limit) as RedLineRow[], limit);
        case 'conversation':
          return keyed(part, conversations.all(from, limit) as { id: string }[], limit);
        case 'message': {
          const per = opts.messagesPerConversation;
          const ids = openIds.all(from, Math.max(1, Math.floor(limit / per))) as string[];
          const rows: SnapshotRow[] = [];
          for (const id of ids) {
            for (const r of newest.all(id, per) as MessageRow[]) {
              const row: Message = toMessage(r);
              rows.push({ entity: 'message', id: row.id, row });
            }
          }
          return { rows, next: ids.length === Math.max(1, Math.floor(limit / per)) ? ids[ids.length - 1]! : null };
        }
      }
    },
  };
}

export type SnapshotQueries = ReturnType<typeof snapshotQueries>;
