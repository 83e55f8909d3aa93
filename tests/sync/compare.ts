import { MESSAGES_PER_CONVERSATION } from '../../shared/sync/protocol';
import type { Store } from '../../src-main/store';
import type { ReplicaDb } from '../../src-renderer/db/replicaDb';

const sortBy = <T>(rows: T[], key: (r: T) => string) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/**
 * Differences between what a drained replica holds and what the core's store says it should: every
 * replica table against the same rows read from SQLite. Empty when they agree.
 */
export async function replicaDiff(store: Store, db: ReplicaDb, agentId: string): Promise<string[]> {
  const problems: string[] = [];
  const q = (sql: string, ...args: unknown[]) => store.db.prepare(sql).all(...args) as Record<string, unknown>[];
  const same = (what: string, expected: unknown[], actual: unknown[]) => {
    const e = expected.map((r) => JSON.stringify(r));
    const a = actual.map((r) => JSON.stringify(r));
    const onlyCore = e.filter((x) => !a.includes(x));
    const onlyReplica = a.filter((x) => !e.includes(x));
    if (onlyCore.length + onlyReplica.length > 0) {
      problems.push(
        `${what} differ:\n  only in the core    ${onlyCore.slice(0, 4).join(' ')}\n  only in the replica ${onlyReplica.slice(0, 4).join(' ')}`,
      );
    }
  };

  same(
    'conversations',
    q(`SELECT id, customer_id AS customerId, agent_id AS agentId, status, last_message_at AS lastMessageAt, last_message_preview AS lastMessagePreview,
         unread_count AS unreadCount, waiting_since AS waitingSince FROM conversations WHERE status = 'open' ORDER BY id`),
    sortBy(await db.conversations.toArray(), (r) => r.id),
  );
  // Buyers (issue 18): the replica holds some of the shop's buyers, at least those of its open
  // conversations; for each one it holds, its customer row, every tag and every order as the core
  // has them; of any other buyer, nothing.
  const heldBuyers = new Set((await db.customers.toArray()).map((c) => c.id));
  for (const c of await db.conversations.toArray())
    if (!heldBuyers.has(c.customerId)) problems.push(`conversation ${c.id}: the replica lacks its buyer ${c.customerId}`);
  const held = <T>(rows: T[], buyer: (r: T) => unknown) => rows.filter((r) => heldBuyers.has(buyer(r) as string));
  const orderBuyer = new Map(q('SELECT id, customer_id AS customerId FROM orders').map((r) => [r.id as string, r.customerId as string]));
  same(
    'customers',
    held(q('SELECT id, nick, group_id AS groupId, remark, first_seen_at AS firstSeenAt FROM customers ORDER BY id'), (r) => r.id),
    sortBy(await db.customers.toArray(), (r) => r.id),
  );
  same(
    'tags',
    q('SELECT id, name, color FROM tags ORDER BY id'),
    sortBy(await db.tags.toArray(), (r) => r.id),
  );
  same(
    'customerGroups',
    q('SELECT id, name FROM customer_groups ORDER BY id'),
    sortBy(await db.customerGroups.toArray(), (r) => r.id),
  );
  same(
    'memberships',
    held(
      q('SELECT customer_id AS customerId, tag_id AS tagId, created_at AS at FROM customer_tags ORDER BY customer_id, tag_id'),
      (r) => r.customerId,
    ),
    sortBy(await db.memberships.toArray(), (r) => `${r.customerId}:${r.tagId}`),
  );
  same(
    'order notes',
    held(
      q(
        `SELECT o.id AS orderId, coalesce(n.flag, 0) AS flag, coalesce(n.memo, '') AS memo FROM orders o LEFT JOIN order_notes n ON n.order_id = o.id ORDER BY o.id`,
      ),
      (r) => orderBuyer.get(r.orderId as string),
    ),
    sortBy(await db.orderNotes.toArray(), (r) => r.orderId),
  );
  same(
    'orders',
    held(q('SELECT id, customer_id AS customerId FROM orders ORDER BY id'), (r) => r.customerId).map((r) => r.id),
    sortBy(await db.orders.toArray(), (r) => r.id).map((r) => r.id),
  );
  same(
    'phrases',
    q(
      `SELECT id, use_count AS useCount, last_used_at AS lastUsedAt, sort, group_id AS groupId FROM replies WHERE scope = 'team' OR owner = ? ORDER BY id`,
      agentId,
    ),
    sortBy(await db.phrases.toArray(), (r) => r.id).map((p) => ({
      id: p.id,
      useCount: p.useCount,
      lastUsedAt: p.lastUsedAt,
      sort: p.sort,
      groupId: p.groupId,
    })),
  );
  same(
    'red lines',
    q(`SELECT 'w:' || key AS id, 'word' AS kind, word AS text, category, sort FROM red_line_words
       UNION ALL SELECT 'x:' || key AS id, 'exception' AS kind, phrase AS text, NULL AS category, sort FROM red_line_exceptions ORDER BY id`),
    sortBy(await db.redLines.toArray(), (r) => r.id),
  );

  // Messages: the replica holds at least the newest page of each open conversation, each row as stored.
  // A reply the core refused stays on the desk as failed (with its retry): it is not the core's.
  const all = await db.messages.toArray();
  const refused = new Set((await db.outbox.toArray()).filter((e) => e.status === 'rejected').map((e) => (e.args as { id: string }).id));
  const local = all.filter((m) => m.local && !(m.local.status === 'failed' && refused.has(m.id)));
  if (local.length > 0) problems.push(`${local.length} messages still marked ${local.map((m) => m.local!.status).join(', ')}`);
  const replicaMessages = all.filter((m) => !m.local);
  const open = new Set(q(`SELECT id FROM conversations WHERE status = 'open'`).map((r) => r.id as string));
  const byConversation = new Map<string, Set<string>>();
  const stored = store.db.prepare(
    'SELECT id, conversation_id AS conversationId, sender, agent_id AS agentId, kind, text, order_id AS orderId, created_at AS createdAt FROM messages WHERE id = ?',
  );
  for (const m of replicaMessages) {
    if (!open.has(m.conversationId)) problems.push(`message ${m.id} of a conversation the replica should not hold`);
    const row = stored.get(m.id);
    const { local: _local, ...plain } = m;
    if (JSON.stringify(row) !== JSON.stringify(plain))
      problems.push(`message ${m.id}: core ${JSON.stringify(row)} replica ${JSON.stringify(plain)}`);
    const set = byConversation.get(m.conversationId) ?? new Set<string>();
    set.add(m.id);
    byConversation.set(m.conversationId, set);
  }
  const newest = store.db.prepare('SELECT id FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT ?').pluck();
  for (const id of open) {
    const held = byConversation.get(id) ?? new Set();
    const missing = (newest.all(id, MESSAGES_PER_CONVERSATION) as string[]).filter((m) => !held.has(m));
    if (missing.length > 0)
      problems.push(`conversation ${id}: the replica lacks ${missing.length} of its newest messages (holds ${held.size})`);
  }
  return problems;
}
