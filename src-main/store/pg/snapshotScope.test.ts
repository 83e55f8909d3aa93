import { afterAll, describe, expect, test } from 'vitest';
import { openPgStore } from './index';
import { freshPgDatabase, pgUnavailable, startPgWorkerForTests } from './testing';

const why = pgUnavailable();
if (why) process.stderr.write(`skipping the PostgreSQL snapshot scope tests: ${why}\n`);

/** The snapshot's buyer scopes (issue 18) on a hub's PostgreSQL store: the same answers as on SQLite. */
describe.skipIf(why !== null)('snapshot scopes on PostgreSQL', () => {
  const stores: { close(): void }[] = [];
  afterAll(() => stores.forEach((s) => s.close()));

  test('reads every buyer, the buyers of open conversations, or the named ones', () => {
    const store = openPgStore(freshPgDatabase('scope'), startPgWorkerForTests);
    stores.push(store);
    const now = Date.now();
    store.tx(() => {
      store.customers.insertTag({ id: 't1', name: '回头客', color: '#52c41a', created_at: now });
      for (const [id, status] of [
        ['c1', 'open'],
        ['c2', 'ended'],
        ['c3', 'ended'],
      ] as const) {
        store.customers.insert({ id, nick: `买家${id}`, group_id: null, remark: '', first_seen_at: now, updated_at: now });
        store.customers.addTag(id, 't1', now);
        store.conversations.insert({
          id: `conv-${id}`,
          customer_id: id,
          agent_id: null,
          status,
          last_message_at: now,
          last_message_preview: '',
          unread_count: 0,
          waiting_since: null,
          created_at: now,
          ended_at: status === 'ended' ? now : null,
        });
        store.orders.insert(
          {
            id: `o-${id}`,
            order_no: `no-${id}`,
            customer_id: id,
            status: 'shipped',
            amount_cents: 100,
            address: '',
            logistics_company: null,
            tracking_no: null,
            created_at: now,
            paid_at: now,
            updated_at: now,
          },
          [{ id: `i-${id}`, title: '裤子', sku: 'XL', price_cents: 100, quantity: 1 }],
        );
      }
    });
    const ids = (part: 'customer' | 'customer_tag' | 'order', scope: 'all' | 'open' | string[]) =>
      store.snapshot
        .page(part, null, 100, { agentId: 'a', messagesPerConversation: 50, scope })
        .rows.map((r) => (r.entity === 'customer' ? r.id : (r.row as { customerId: string }).customerId))
        .sort();
    for (const part of ['customer', 'customer_tag', 'order'] as const) {
      expect(ids(part, 'all')).toEqual(['c1', 'c2', 'c3']);
      expect(ids(part, 'open')).toEqual(['c1']);
      expect(ids(part, ['c3', 'nobody'])).toEqual(['c3']);
    }
  });
});
