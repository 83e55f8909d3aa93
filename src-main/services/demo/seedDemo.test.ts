import { describe, expect, it } from 'vitest';
import type { Order, OrderStatus, Shop } from '../../../shared/domain/types';
import { ORDER_STATUSES } from '../../../shared/domain/types';
import { openStore, type Store } from '../../store';
import type { ChangeRow } from '../../store/changes';
import { seedDemoShop } from './seedDemo';

const NOW = Date.UTC(2025, 5, 18, 6, 30); // 14:30 in Hangzhou

function counter(): () => string {
  let n = 0;
  return () => `id-${String(++n).padStart(5, '0')}`;
}

function seeded(options: { seed?: number; ids?: () => string } = {}): Store {
  const store = openStore(':memory:');
  seedDemoShop(store, { now: NOW, ...options });
  return store;
}

function feed(store: Store): ChangeRow[] {
  return store.changes.after(0, 100_000);
}

function allOrders(store: Store): Order[] {
  return store.customers.ids().flatMap((id) => store.orders.listByCustomer(id));
}

describe('the demo shop', () => {
  it('names the shop and puts an agent at this desk', () => {
    const store = seeded();
    expect(store.settings.get<Shop | null>('shop', null)?.name).toBe('小桃家女装旗舰店');
    const agent = store.agents.get(store.settings.get('currentAgentId', ''));
    expect(agent).toMatchObject({ nick: '小美', role: 'agent' });
  });

  it('has at least 60 buyers with Chinese nicks, many of them tagged and grouped', () => {
    const store = seeded();
    const customers = store.customers.ids().map((id) => store.customers.get(id)!);
    expect(customers.length).toBeGreaterThanOrEqual(60);
    expect(customers.filter((c) => /\p{Script=Han}/u.test(c.nick)).length).toBeGreaterThan(30);
    expect(customers.filter((c) => c.tags.length >= 2).length).toBeGreaterThan(10);
    expect(customers.filter((c) => c.groupId !== null).length).toBeGreaterThan(40);
    expect(customers[0]?.tags.every((t) => /^#[0-9a-f]{6}$/.test(t.color))).toBe(true);
  });

  it('has at least 200 orders in every status, shipped ones with a carrier and tracking number', () => {
    const orders = allOrders(seeded());
    expect(orders.length).toBeGreaterThanOrEqual(200);
    expect(new Set(orders.map((o) => o.status))).toEqual(new Set<OrderStatus>(ORDER_STATUSES));
    for (const o of orders) {
      expect(o.items.length).toBeGreaterThanOrEqual(1);
      expect(o.items.length).toBeLessThanOrEqual(3);
      expect(o.items[0]?.sku).toMatch(/^颜色:.+;尺码:.+$/);
      expect(o.address).toMatch(/\d\*{4}\d{4}/);
      if (o.status === 'shipped' || o.status === 'completed') {
        expect(o.logisticsCompany).toMatch(/^(中通快递|韵达快递|顺丰速运|圆通速递)$/);
        expect(o.trackingNo).toBeTruthy();
      }
      expect(o.paidAt === null).toBe(o.status === 'pending_payment');
    }
  });

  it('flags some orders with memos, and a few memos were edited more than once', () => {
    const store = seeded();
    const flagged = allOrders(store).filter((o) => o.flag > 0 && o.memo !== '');
    expect(flagged.length).toBeGreaterThan(20);
    const orderChanges = new Map<string, number>();
    for (const c of feed(store).filter((c) => c.entity === 'order'))
      orderChanges.set(c.entity_id, (orderChanges.get(c.entity_id) ?? 0) + 1);
    // One change for the order itself, one per memo edit.
    expect([...orderChanges.values()].filter((n) => n >= 3).length).toBeGreaterThanOrEqual(3);
    expect(store.stats.counts().order_memo_history).toBeGreaterThan(store.stats.counts().order_notes as number);
  });

  it('gives the team at least 40 phrases in 售前 售中 物流 催付 售后, and the desk agent her own', () => {
    const store = seeded();
    const changes = feed(store);
    const groups = changes
      .filter((c) => c.entity === 'phrase_group')
      .map((c) => JSON.parse(c.row!) as { id: string; scope: string; name: string });
    const team = groups.filter((g) => g.scope === 'team');
    expect(team.map((g) => g.name)).toEqual(['售前', '售中', '物流', '催付', '售后']);
    const replies = changes
      .filter((c) => c.entity === 'phrase')
      .map((c) => JSON.parse(c.row!) as { scope: string; groupId: string; content: string });
    const teamIds = new Set(team.map((g) => g.id));
    expect(replies.filter((r) => r.scope === 'team' && teamIds.has(r.groupId)).length).toBeGreaterThanOrEqual(40);
    expect(replies.filter((r) => r.scope === 'personal').length).toBeGreaterThan(0);
    expect(replies.some((r) => r.content.includes('{订单号}'))).toBe(true);
  });

  it('opens 30 conversations, several with a buyer still waiting, and ends 10 more', () => {
    const store = seeded();
    const open = store.conversations.list('open', store.customers.tagsByCustomer());
    expect(open).toHaveLength(30);
    const waiting = open.filter((c) => c.waitingSince !== null);
    expect(waiting.length).toBeGreaterThanOrEqual(5);
    for (const c of waiting) {
      expect(c.unreadCount).toBeGreaterThan(0);
      expect(c.waitingSince).toBeLessThan(NOW);
    }
    expect(store.conversations.list('ended', new Map())).toHaveLength(10);
    for (const c of open) {
      const { messages } = store.messages.page(c.id, 50);
      expect(messages.length).toBeGreaterThanOrEqual(4);
      expect(messages.length).toBeLessThanOrEqual(20);
      expect(messages.at(-1)?.sender).toBe(c.waitingSince === null ? 'agent' : 'buyer');
    }
  });

  it('lets buyers show one of their own orders in a conversation', () => {
    const store = seeded();
    const open = store.conversations.list('open', new Map());
    const cards = open.flatMap((c) =>
      store.messages
        .page(c.id, 50)
        .messages.filter((m) => m.orderId)
        .map((m) => ({ c, m })),
    );
    expect(cards.length).toBeGreaterThan(3);
    for (const { c, m } of cards) {
      const order = store.orders.get(m.orderId!);
      expect(order?.customerId).toBe(c.customerId);
      expect(m.text).toContain(order!.orderNo);
    }
  });

  it('records every seeded row in the change feed, and nothing in it lies in the future', () => {
    const store = seeded();
    const changes = feed(store);
    const counts = store.stats.counts();
    const entities = (name: string) => new Set(changes.filter((c) => c.entity === name).map((c) => c.entity_id)).size;
    expect(entities('customer')).toBe(counts.customers);
    expect(entities('order')).toBe(counts.orders);
    expect(entities('message')).toBe(counts.messages);
    expect(entities('conversation')).toBe(counts.conversations);
    expect(entities('phrase')).toBe(counts.replies);
    expect(changes.every((c) => c.at <= NOW)).toBe(true);
  });

  it('comes out the same for the same seed and differently for another', () => {
    const strip = (rows: ChangeRow[]) => rows.map(({ entity, entity_id, row, at }) => ({ entity, entity_id, row, at }));
    const a = strip(feed(seeded({ seed: 7, ids: counter() })));
    const b = strip(feed(seeded({ seed: 7, ids: counter() })));
    const c = strip(feed(seeded({ seed: 8, ids: counter() })));
    expect(a.length).toBeGreaterThan(500);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('leaves a store that already holds a shop alone', () => {
    const store = seeded();
    const before = store.stats.counts();
    expect(seedDemoShop(store, { now: NOW + 1000 })).toBe(false);
    expect(store.stats.counts()).toEqual(before);
  });
});
