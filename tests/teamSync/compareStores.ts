import { MESSAGES_PER_CONVERSATION } from '../../shared/sync/protocol';
import type { Store } from '../../src-main/store';

type Row = Record<string, unknown>;

/**
 * Differences between a drained desk's store and the hub's, for what the shop shares: tags, groups,
 * customers and their tags, orders with their notes, team phrases and the desk agent's own, the
 * red-line list, every
 * conversation the desk holds (and every open one), every message it holds (and the newest page of
 * each open conversation). Empty when they agree.
 */
export function storeDiff(hub: Store, desk: Store, deskAgentId: string): string[] {
  const problems: string[] = [];
  const all = (s: Store, sql: string, ...args: unknown[]) => s.db.prepare(sql).all(...args) as Row[];
  const same = (what: string, sql: string, ...args: unknown[]) => {
    const h = all(hub, sql, ...args).map((r) => JSON.stringify(r));
    const d = all(desk, sql, ...args).map((r) => JSON.stringify(r));
    const hs = new Set(h);
    const ds = new Set(d);
    const onlyHub = h.filter((x) => !ds.has(x));
    const onlyDesk = d.filter((x) => !hs.has(x));
    if (onlyHub.length + onlyDesk.length > 0) {
      problems.push(
        `${what} differ (${onlyHub.length} only on the hub, ${onlyDesk.length} only on the desk):\n  hub  ${onlyHub.slice(0, 3).join(' ')}\n  desk ${onlyDesk.slice(0, 3).join(' ')}`,
      );
    }
  };
  // The roster (presence is left out: the hub writes it when it settles, maybe after the drain).
  same('agents', 'SELECT id, nick, role, state, max_open, disabled_at IS NOT NULL AS disabled FROM agents ORDER BY id');
  same('tags', 'SELECT id, name, color FROM tags ORDER BY id');
  same('customer groups', 'SELECT id, name FROM customer_groups ORDER BY id');
  same('customers', 'SELECT id, nick, group_id, remark, first_seen_at FROM customers ORDER BY id');
  same('customer tags', 'SELECT customer_id, tag_id, created_at FROM customer_tags ORDER BY customer_id, tag_id');
  same(
    'orders',
    `SELECT o.id, o.order_no, o.customer_id, o.status, o.amount_cents, o.address, o.logistics_company, o.tracking_no, o.created_at, o.paid_at,
       coalesce(n.flag, 0) AS flag, coalesce(n.memo, '') AS memo FROM orders o LEFT JOIN order_notes n ON n.order_id = o.id ORDER BY o.id`,
  );
  same('order items', 'SELECT id, order_id, title, sku, price_cents, quantity FROM order_items ORDER BY id');
  same('phrase groups', "SELECT id, scope, name, sort FROM reply_groups WHERE scope = 'team' OR owner = ? ORDER BY id", deskAgentId);
  same(
    'phrases',
    "SELECT id, scope, group_id, code, title, content, search_keys, use_count, last_used_at, sort FROM replies WHERE scope = 'team' OR owner = ? ORDER BY id",
    deskAgentId,
  );
  same('red-line words', 'SELECT key, word, category, sort FROM red_line_words ORDER BY key');
  same('red-line exceptions', 'SELECT key, phrase, sort FROM red_line_exceptions ORDER BY key');

  const conversationSql = `SELECT id, customer_id, agent_id, status, last_message_at, last_message_preview, unread_count, waiting_since FROM conversations WHERE id = ?`;
  const hubConversation = hub.db.prepare(conversationSql);
  for (const r of all(desk, conversationSql.replace('WHERE id = ?', 'ORDER BY id'))) {
    const h = hubConversation.get(r.id);
    if (JSON.stringify(h) !== JSON.stringify(r))
      problems.push(`conversation ${String(r.id)}: hub ${JSON.stringify(h)} desk ${JSON.stringify(r)}`);
  }
  const deskHas = desk.db.prepare('SELECT 1 FROM conversations WHERE id = ?').pluck();
  const open = all(hub, "SELECT id FROM conversations WHERE status = 'open'").map((r) => r.id as string);
  for (const id of open) if (deskHas.get(id) === undefined) problems.push(`open conversation ${id} is not on the desk`);

  const messageSql = 'SELECT id, conversation_id, sender, agent_id, kind, text, order_id, created_at FROM messages WHERE id = ?';
  const hubMessage = hub.db.prepare(messageSql);
  for (const r of all(desk, messageSql.replace('WHERE id = ?', 'ORDER BY id'))) {
    const h = hubMessage.get(r.id);
    if (JSON.stringify(h) !== JSON.stringify(r))
      problems.push(`message ${String(r.id)}: hub ${JSON.stringify(h)} desk ${JSON.stringify(r)}`);
  }
  const newest = hub.db.prepare('SELECT id FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT ?').pluck();
  const deskMessage = desk.db.prepare('SELECT 1 FROM messages WHERE id = ?').pluck();
  for (const id of open) {
    const missing = (newest.all(id, MESSAGES_PER_CONVERSATION) as string[]).filter((m) => deskMessage.get(m) === undefined);
    if (missing.length > 0) problems.push(`conversation ${id}: the desk lacks ${missing.length} of its newest messages`);
  }
  return problems.slice(0, 20);
}
