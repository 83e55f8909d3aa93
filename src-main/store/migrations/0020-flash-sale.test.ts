import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from '../index';
import { migrate } from './index';

describe('migration 0020 (flash-sale orders)', () => {
  it('keeps every order of a version-18 file as an ordinary one; a new order may be a flash sale, in the store and its change row', () => {
    const db = new Database(':memory:');
    migrate(db, 18);
    db.exec(`
      INSERT INTO customers (id, nick, first_seen_at, updated_at) VALUES ('b1', '小王', 0, 0);
      INSERT INTO orders (id, order_no, customer_id, status, amount_cents, created_at, updated_at)
        VALUES ('o1', 'NO1', 'b1', 'pending_payment', 100, 0, 0);
    `);
    migrate(db, 20);
    expect(db.pragma('user_version', { simple: true })).toBe(20);
    expect(db.prepare("SELECT flash_sale FROM orders WHERE id = 'o1'").pluck().get()).toBe(0);

    const store = createStore(db);
    expect(store.orders.get('o1')?.flashSale).toBe(false);
    const row = {
      customer_id: 'b1',
      status: 'pending_payment' as const,
      amount_cents: 990,
      address: '',
      logistics_company: null,
      tracking_no: null,
      created_at: 5,
      paid_at: null,
      updated_at: 5,
    };
    store.tx(() => store.orders.insert({ ...row, id: 'o2', order_no: 'NO2', flash_sale: 1 }, []));
    store.tx(() => store.orders.insertMany([{ row: { ...row, id: 'o3', order_no: 'NO3', flash_sale: 1 }, items: [] }]));
    expect(store.orders.get('o2')?.flashSale).toBe(true);
    expect(store.orders.get('o3')?.flashSale).toBe(true);
    // The feed carries it to every desk, from the single insert and the bulk one alike.
    const feed = db.prepare("SELECT entity_id, row FROM changes WHERE entity = 'order' ORDER BY seq").all() as {
      entity_id: string;
      row: string;
    }[];
    expect(feed.map((c) => [c.entity_id, (JSON.parse(c.row) as { flashSale: boolean }).flashSale])).toEqual([
      ['o2', true],
      ['o3', true],
    ]);
    // A desk joining a team gets it in the hub's snapshot too.
    const snapshot = store.snapshot.page('order', null, 10, { agentId: '', messagesPerConversation: 0 });
    expect(snapshot.rows.map((r) => [r.id, (r.row as { flashSale: boolean }).flashSale])).toEqual([
      ['o1', false],
      ['o2', true],
      ['o3', true],
    ]);
    expect(() => db.exec("UPDATE orders SET flash_sale = 2 WHERE id = 'o1'")).toThrow(/CHECK/);
  });
});
