import { describe, expect, it } from 'vitest';
import { openStore } from './index';
import type { OrderItemRow, OrderRow } from './orders';

type Item = Omit<OrderItemRow, 'order_id'>;
const order = (id: string, extra: Partial<OrderRow> = {}): OrderRow => ({
  id,
  order_no: `20261124${id}`,
  customer_id: 'c1',
  status: 'shipped',
  amount_cents: 39800,
  address: '浙江省杭州市西湖区 "文三路" 1号\n3单元',
  logistics_company: '中通快递',
  tracking_no: '7312345678901',
  created_at: 1_718_000_000_000,
  paid_at: 1_718_000_060_000,
  updated_at: 1_718_000_100_000,
  ...extra,
});
const items = (id: string): Item[] => [
  { id: `${id}-b`, title: '雪纺连衣裙👗', sku: '颜色:白;尺码:M', price_cents: 19900, quantity: 1 },
  { id: `${id}-a`, title: '腰带', sku: '', price_cents: 9950, quantity: 2 },
];

function store() {
  const s = openStore(':memory:');
  s.customers.insert({ id: 'c1', nick: 'tb_小鹿', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
  return s;
}

describe('a batch of orders in the change feed', () => {
  it('records each new order once, byte for byte as a single insert does, items in the order given', () => {
    const one = store();
    const many = store();
    const batch = [
      { row: order('o1'), items: items('o1') },
      { row: order('o2', { status: 'pending_payment', logistics_company: null, tracking_no: null, paid_at: null }), items: [] },
    ];
    for (const o of batch) one.tx(() => one.orders.insert(o.row, o.items));
    many.tx(() => many.orders.insertMany(batch));
    many.tx(() => many.orders.insertMany([{ row: order('o1', { amount_cents: 1 }), items: [] }])); // a repeat: nothing
    const feed = (s: ReturnType<typeof store>) =>
      s.db.prepare("SELECT entity_id, row, at FROM changes WHERE entity = 'order' ORDER BY seq").all();
    expect(feed(many)).toEqual(feed(one));
    expect(feed(many)).toHaveLength(2);
    expect(many.orders.get('o1')).toEqual(one.orders.get('o1'));
    expect(many.orders.get('o1')?.items.map((i) => i.id)).toEqual(['o1-b', 'o1-a']);
  });
});
