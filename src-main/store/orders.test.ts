import { describe, expect, it } from 'vitest';
import { openStore } from './index';

function storeWithOrder() {
  const store = openStore(':memory:');
  store.customers.insert({ id: 'c1', nick: 'tb_小鹿', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
  store.orders.insert(
    {
      id: 'o1',
      order_no: '2026112400001',
      customer_id: 'c1',
      status: 'to_ship',
      amount_cents: 19900,
      address: '浙江省杭州市',
      logistics_company: null,
      tracking_no: null,
      created_at: 0,
      paid_at: 1,
      updated_at: 1,
    },
    [{ id: 'i1', title: '雪纺连衣裙', sku: '尺码:M', price_cents: 19900, quantity: 1 }],
  );
  return store;
}

describe('order notes', () => {
  it('stores a flag and a memo together and returns them on the order', () => {
    const store = storeWithOrder();
    const order = store.orders.setNote('o1', { flag: 1, memo: '顺丰发货，客户补了差价' }, null, 10, 'h1');
    expect(order).toMatchObject({ flag: 1, memo: '顺丰发货，客户补了差价' });
    expect(store.orders.listByCustomer('c1')[0]).toMatchObject({ flag: 1, items: [{ title: '雪纺连衣裙' }] });
  });

  it('refuses a memo over 1000 GBK bytes instead of cutting it', () => {
    const store = storeWithOrder();
    expect(() => store.orders.setNote('o1', { flag: 0, memo: '备'.repeat(501) }, null, 10, 'h1')).toThrow(/limit is 1000/);
    store.orders.setNote('o1', { flag: 0, memo: '备'.repeat(500) }, null, 10, 'h2');
    expect(store.orders.get('o1')?.memo).toHaveLength(500);
  });

  it('keeps the last 10 memo edits', () => {
    const store = storeWithOrder();
    for (let i = 1; i <= 12; i++) store.orders.setNote('o1', { flag: 2, memo: `第${i}次备注` }, null, i, `h${i}`);
    const history = store.db.prepare('SELECT old_memo FROM order_memo_history WHERE order_id = ? ORDER BY at').pluck().all('o1');
    expect(history).toHaveLength(10);
    expect(history[9]).toBe('第11次备注');
  });

  it('writes every note change to the change feed in the same transaction', () => {
    const store = storeWithOrder();
    const before = store.changes.head();
    store.orders.setNote('o1', { flag: 3, memo: '' }, null, 10, 'h1');
    const feed = store.changes.after(before, 10);
    expect(feed).toHaveLength(1);
    expect(JSON.parse(feed[0]?.row ?? '{}')).toMatchObject({ id: 'o1', flag: 3 });
  });
});
