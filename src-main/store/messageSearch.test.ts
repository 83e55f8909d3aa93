import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from './index';
import { migrate } from './migrations';
import { searchTerm, TRIGRAM_COUNT_SHOWN } from './messageSearch';

function shop() {
  const db = new Database(':memory:');
  migrate(db);
  const store = createStore(db);
  db.exec(`INSERT INTO agents (id, nick, role, state, created_at) VALUES ('a1', '小美', 'agent', 'online', 0), ('a2', '阿杰', 'agent', 'online', 0);
    INSERT INTO customers VALUES ('c1', '买家甲', NULL, '', 0, 0), ('c2', '买家乙', NULL, '', 0, 0);
    INSERT INTO conversations (id, customer_id, agent_id, last_message_at, created_at) VALUES ('v1', 'c1', 'a1', 0, 0), ('v2', 'c2', 'a2', 0, 0);`);
  const row = (id: string, conversation_id: string, text: string, created_at: number, sender: 'buyer' | 'agent' = 'buyer') => ({
    id,
    conversation_id,
    sender,
    agent_id: sender === 'agent' ? (conversation_id === 'v1' ? 'a1' : 'a2') : null,
    kind: 'text' as const,
    text,
    order_id: null,
    created_at,
  });
  store.tx(() =>
    store.messages.insertMany([
      row('m1', 'v1', '我要申请退款，衣服太大了', 10),
      row('m2', 'v1', '好的亲，退款已经处理', 20, 'agent'),
      row('m3', 'v2', '尺码偏大吗', 30),
      row('m4', 'v2', '退，款都不要了', 40),
      row('m5', 'v2', 'XL码还有吗', 50),
    ]),
  );
  store.messages.insert(row('m6', 'v1', '什么时候发货？退款呢', 60));
  return store;
}

const ids = (store: ReturnType<typeof shop>, q: string, f = {}, limit = 50) =>
  store.search.search(searchTerm(q)!, f, limit).rows.map((r) => r.id);

describe('message search', () => {
  it('finds two-character Chinese terms newest first, written in a batch or one by one, and not split by punctuation', () => {
    const store = shop();
    expect(ids(store, '退款')).toEqual(['m6', 'm2', 'm1']);
    expect(ids(store, '尺码')).toEqual(['m3']);
  });

  it('finds one character, three or more, and Latin letters in any case', () => {
    const store = shop();
    expect(ids(store, '码')).toEqual(['m5', 'm3']);
    expect(ids(store, '什么时候')).toEqual(['m6']);
    expect(ids(store, 'xl')).toEqual(['m5']);
    expect(ids(store, '？')).toEqual(['m6']);
  });

  it('filters by buyer, agent, direction and time, all bound as parameters', () => {
    const store = shop();
    expect(ids(store, '退款', { customerId: 'c1' })).toEqual(['m6', 'm2', 'm1']);
    expect(ids(store, '退款', { customerId: 'c2' })).toEqual([]);
    expect(ids(store, '退款', { direction: 'agent' })).toEqual(['m2']);
    expect(ids(store, '码', { agentId: 'a2' })).toEqual(['m5', 'm3']);
    expect(ids(store, '退款', { fromMs: 15, toMs: 60 })).toEqual(['m2']);
    expect(ids(store, "退款' OR 1=1 --")).toEqual([]);
  });

  it('pages newest first without repeats and counts exactly when the matches are few', () => {
    const store = shop();
    const first = store.search.search(searchTerm('退款')!, {}, 2);
    expect(first.rows.map((r) => r.id)).toEqual(['m6', 'm2']);
    expect(first).toMatchObject({ total: 3, totalBound: 'exact' });
    const second = store.search.search(searchTerm('退款')!, {}, 2, first.next!);
    expect(second.rows.map((r) => r.id)).toEqual(['m1']);
    expect(second.next).toBeNull();
    expect(second.rows[0]).toMatchObject({ customer_nick: '买家甲', agent_nick: '小美' });
  });

  it('forgets a deleted message in both indexes', () => {
    const store = shop();
    store.db.exec("DELETE FROM changes; DELETE FROM messages WHERE id = 'm3'");
    expect(ids(store, '尺码')).toEqual([]);
    expect(ids(store, '尺码偏大')).toEqual([]);
  });
});

describe('a 3+-character term with more than 1,000 matches', () => {
  it('is counted to 1,000 and shown as at least that, pages still newest first', () => {
    const store = shop();
    const row = (i: number) => ({
      id: `k${i}`,
      conversation_id: i % 2 ? 'v1' : 'v2',
      sender: 'buyer' as const,
      agent_id: null,
      kind: 'text' as const,
      text: `请问有货吗 ${i}`,
      order_id: null,
      created_at: 1_000 + i,
    });
    store.tx(() => store.messages.insertMany(Array.from({ length: 1_100 }, (_, i) => row(i))));
    const page = store.search.search(searchTerm('有货吗')!, {}, 3);
    expect(page.rows.map((r) => r.id)).toEqual(['k1099', 'k1098', 'k1097']);
    expect(page).toMatchObject({ total: TRIGRAM_COUNT_SHOWN, totalBound: 'atLeast' });
    // Up to the cap the count is exact.
    store.db.exec("DELETE FROM messages WHERE id LIKE 'k1%' AND length(id) = 5");
    expect(store.search.search(searchTerm('有货吗')!, {}, 3)).toMatchObject({ total: 1_000, totalBound: 'exact' });
  });
});

describe('a very common term', () => {
  it('still pages newest first, with or without filters, and says the count is at least the cap', () => {
    const store = shop();
    const row = (i: number) => ({
      id: `c${i}`,
      conversation_id: i % 2 ? 'v1' : 'v2',
      sender: 'buyer' as const,
      agent_id: null,
      kind: 'text' as const,
      text: `亲，在吗 ${i}`,
      order_id: null,
      created_at: 1_000 + i,
    });
    store.tx(() => store.messages.insertMany(Array.from({ length: 20_010 }, (_, i) => row(i))));
    const page = store.search.search(searchTerm('亲')!, {}, 3);
    expect(page.rows.map((r) => r.id)).toEqual(['c20009', 'c20008', 'c20007']);
    expect(page).toMatchObject({ total: 20_000, totalBound: 'atLeast' });
    const next = store.search.search(searchTerm('亲')!, {}, 2, page.next!);
    expect(next.rows.map((r) => r.id)).toEqual(['c20006', 'c20005']);
    const buyerTwo = store.search.search(searchTerm('亲')!, { customerId: 'c2' }, 2);
    expect(buyerTwo.rows.map((r) => r.id)).toEqual(['c20008', 'c20006']);
    expect(store.search.search(searchTerm('在吗 2000')!, { agentId: 'a1' }, 50).rows.map((r) => r.id)).toEqual([
      'c20009',
      'c20007',
      'c20005',
      'c20003',
      'c20001',
    ]);
  });
});

describe('a filtered search over a long history', () => {
  it('looks at a window of messages per call and hands back a cursor that reaches every match', () => {
    const store = shop();
    const row = (i: number) => ({
      id: `w${i}`,
      conversation_id: 'v1',
      sender: (i === 3 ? 'agent' : 'buyer') as 'agent' | 'buyer',
      agent_id: i === 3 ? 'a1' : null,
      kind: 'text' as const,
      text: `亲 ${i}`,
      order_id: null,
      created_at: 1_000 + i,
    });
    store.tx(() => store.messages.insertMany(Array.from({ length: 120_000 }, (_, i) => row(i))));
    const first = store.search.search(searchTerm('亲')!, { direction: 'agent' }, 50);
    expect(first.rows).toEqual([]);
    expect(first.next).not.toBeNull();
    const second = store.search.search(searchTerm('亲')!, { direction: 'agent' }, 50, first.next!);
    expect(second.rows.map((r) => r.id)).toEqual(['w3', 'm2']);
    expect(second.next).toBeNull();
  });
});
