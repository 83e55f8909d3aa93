import { afterAll, describe, expect, test } from 'vitest';
import { seedDemoShop } from '../../services/demo/seedDemo';
import { seedMessageHistory } from '../../services/demo/seedHistory';
import { createStore, openStore, type Store } from '../index';
import { openDatabase } from '../connection';
import { searchTerm } from '../messageSearch';
import type { ConversationRow } from '../conversations';
import type { MessageRow } from '../messages';
import type { OrderItemRow, OrderRow } from '../orders';
import { PG_BULK_ROWS } from './bulkInsert';
import { openPgStore } from './index';
import { freshPgDatabase, pgUnavailable, startPgWorkerForTests } from './testing';

const why = pgUnavailable();
if (why) process.stderr.write(`skipping the PostgreSQL bulk ingest tests: ${why}\n`);

const stores: Store[] = [];
afterAll(() => stores.forEach((s) => s.close()));

const TEXTS = [
  '退款申请已提交',
  '我要退货',
  '亲，在吗',
  'ABC refund please',
  '100%满意',
  '"引号"里的字 \\ 反斜杠',
  '😀好评',
  "it's 'quoted'",
  '',
];

const conversation = (id: string, customer: string, at: number): ConversationRow => ({
  id,
  customer_id: customer,
  agent_id: null,
  status: 'ended',
  last_message_at: at + 1000,
  last_message_preview: `预览 ${id}`,
  unread_count: 0,
  waiting_since: null,
  created_at: at,
  ended_at: at + 2000,
});

const order = (id: string, customer: string): { row: OrderRow; items: Omit<OrderItemRow, 'order_id'>[] } => ({
  row: {
    id,
    order_no: `2026${id}`,
    customer_id: customer,
    status: 'shipped',
    amount_cents: 19900,
    address: '浙江省杭州市 "文三路" 1号\n3单元',
    logistics_company: id.endsWith('1') ? null : '中通快递',
    tracking_no: null,
    created_at: 1_718_000_000_000,
    paid_at: null,
    updated_at: 1_718_000_100_000,
  },
  items: [
    { id: `${id}-b`, title: '雪纺连衣裙👗', sku: '颜色:白;尺码:M', price_cents: 19900, quantity: 1 },
    { id: `${id}-a`, title: '腰带', sku: '', price_cents: 0, quantity: 2 },
  ],
});

/** More messages than one multi-row statement takes, a repeated id inside the batch and across its statements. */
function messages(): MessageRow[] {
  const rows: MessageRow[] = [];
  const n = PG_BULK_ROWS + 700;
  for (let i = 0; i < n; i++)
    rows.push({
      id: `m${String(i).padStart(5, '0')}`,
      conversation_id: i % 3 === 0 ? 'v1' : 'v2',
      sender: i % 2 === 0 ? 'buyer' : 'system',
      agent_id: null,
      kind: i % 7 === 0 ? 'order_card' : 'text',
      text: TEXTS[i % TEXTS.length]!,
      order_id: i % 7 === 0 ? 'o1' : null,
      created_at: 1_718_000_000_000 + i * 1000,
    });
  rows.splice(5, 0, { ...rows[3]!, text: 'a repeat is not stored' });
  rows.splice(30, 0, { ...rows[25]!, text: 'a repeat of a new row in the same statement' });
  rows.splice(PG_BULK_ROWS + 10, 0, { ...rows[20]!, text: 'nor in the next statement' });
  return rows;
}

/** The same writes on a store: one row stored before, then the bulk inserts in one transaction. */
function ingest(store: Store) {
  store.tx(() => {
    store.customers.insert({ id: 'c1', nick: 'tb_小鹿', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
    store.customers.insert({ id: 'c2', nick: '阿花', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
    store.conversations.insertMany([conversation('v1', 'c1', 1_718_000_000_000)]);
    store.messages.insertMany([{ ...messages()[3]!, text: 'stored before the batch' }]);
  });
  let fresh: string[] = [];
  store.tx(() => {
    store.orders.insertMany([order('o1', 'c1'), order('o2', 'c2'), order('o1', 'c2')]);
    store.conversations.insertMany([conversation('v1', 'c1', 1), conversation('v2', 'c2', 1_718_000_500_000)]);
    fresh = store.messages.insertMany(messages()).map((m) => m.id);
  });
  return fresh;
}

const rows = (store: Store, sql: string) => store.db.prepare(sql).all() as Record<string, unknown>[];

function state(store: Store) {
  const feed = rows(store, 'SELECT seq, entity, entity_id, op, row, at FROM changes ORDER BY seq');
  const first = feed[0]?.seq as number;
  return {
    messages: rows(store, 'SELECT id, conversation_id, sender, agent_id, kind, text, order_id, created_at FROM messages ORDER BY rowid'),
    conversations: rows(store, 'SELECT * FROM conversations ORDER BY rowid'),
    orders: rows(store, 'SELECT * FROM orders ORDER BY rowid'),
    items: rows(store, 'SELECT id, order_id, title, sku, price_cents, quantity FROM order_items ORDER BY rowid'),
    // Seqs counted from the first: gap-free on both, whatever each backend's first seq is.
    feed: feed.map((c) => ({
      seq: (c.seq as number) - first,
      entity: c.entity as string,
      entityId: c.entity_id as string,
      op: c.op as string,
      row: c.row === null ? null : (JSON.parse(c.row as string) as unknown),
      at: c.at as number,
    })),
    head: store.changes.head() - first,
    search: ['退款申请', '退', '在吗', 'refund', '100%', '引号', '\\', "'quoted'", '😀'].map((q) => {
      const page = store.search.search(searchTerm(q)!, {}, 30);
      return { q, ids: page.rows.map((r) => r.id), total: page.total };
    }),
  };
}

describe.skipIf(why !== null)('bulk ingest on PostgreSQL in few statements (issue 14)', () => {
  test('stores, indexes and feeds exactly what SQLite stores one row at a time', { timeout: 120_000 }, () => {
    const sqlite = createStore(openDatabase(':memory:'));
    const pg = openPgStore(freshPgDatabase('bulk'), startPgWorkerForTests);
    stores.push(sqlite, pg);
    const freshSqlite = ingest(sqlite);
    const freshPg = ingest(pg);
    expect(freshPg).toEqual(freshSqlite);
    expect(freshPg).toHaveLength(PG_BULK_ROWS + 700 - 1);
    expect(freshPg).not.toContain('m00003');
    const a = state(sqlite);
    const b = state(pg);
    expect(b.messages).toEqual(a.messages);
    expect(b.conversations).toEqual(a.conversations);
    expect(b.orders).toEqual(a.orders);
    expect(b.items).toEqual(a.items);
    expect(b.feed).toEqual(a.feed);
    expect(b.feed.map((c) => c.seq)).toEqual(b.feed.map((_, i) => i));
    expect(b.head).toBe(b.feed.length - 1);
    expect(b.search).toEqual(a.search);
    expect(a.search[0]!.total).toBeGreaterThan(0);
    // A single row's change after the bulk ones takes the next seq (the trigger, from the same head).
    pg.tx(() => pg.changes.append('test', 'after', 'upsert', {}, 1));
    expect(pg.changes.page(pg.changes.head() - 2, 5).map((c) => c.id)).toEqual([a.feed[a.feed.length - 1]!.entityId, 'after']);
    // A batch with nothing new moves no seq.
    const head = pg.changes.head();
    pg.tx(() => pg.messages.insertMany(messages().slice(0, 50)));
    expect(pg.changes.head()).toBe(head);
  });

  test('a failing row fails its whole batch: nothing of it stored, no seq taken', { timeout: 60_000 }, () => {
    const sqlite = openStore(':memory:');
    const pg = openPgStore(freshPgDatabase('bulkfail'), startPgWorkerForTests);
    stores.push(sqlite, pg);
    for (const store of [sqlite, pg]) {
      store.tx(() => {
        store.customers.insert({ id: 'c1', nick: 'tb_小鹿', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
        store.conversations.insertMany([conversation('v1', 'c1', 1)]);
      });
      const head = store.changes.head();
      const count = () => store.db.prepare('SELECT count(*) FROM messages').pluck().get();
      const batch = messages()
        .slice(31, 71)
        .map((m) => ({ ...m, conversation_id: 'v1', order_id: null }));
      // A conversation that does not exist, in the middle of the batch (a foreign key).
      batch[20] = { ...batch[20]!, conversation_id: 'nowhere' };
      let code: unknown;
      try {
        store.tx(() => store.messages.insertMany(batch));
      } catch (error) {
        code = (error as { code?: string }).code;
      }
      expect(code, store === pg ? 'pg' : 'sqlite').toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
      expect(count()).toBe(0);
      expect(store.changes.head()).toBe(head);
      // The same batch without the bad row goes in whole, its feed right after the head.
      store.tx(() => store.messages.insertMany(batch.filter((_, i) => i !== 20)));
      expect(count()).toBe(39);
      expect(store.changes.head()).toBe(head + 39);
      expect(store.changes.page(head, 100).map((c) => c.seq)).toEqual(Array.from({ length: 39 }, (_, i) => head + 1 + i));
    }
  });
});

describe.skipIf(why !== null)('new buyers of a bulk seed on PostgreSQL in few statements (issue 14)', () => {
  const buyers = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      row: {
        id: `c${String(i).padStart(5, '0')}`,
        nick: `买家"${i}"\\😀`,
        group_id: i % 3 === 0 ? 'g1' : null,
        remark: '',
        first_seen_at: 1_000 + i,
        updated_at: 2_000 + i,
      },
      tags:
        i % 4 === 0
          ? []
          : [
              { tagId: 't1', at: 3_000 + i },
              ...(i % 5 === 0
                ? [
                    { tagId: 't2', at: 4_000 + i },
                    { tagId: 't2', at: 4_000 + i },
                  ]
                : []),
            ],
    }));
  const prepare = (store: Store) =>
    store.tx(() => {
      store.customers.insertGroup({ id: 'g1', name: '老客', sort: 0, created_at: 0 });
      store.customers.insertTag({ id: 't1', name: '高价值', color: 'red', created_at: 0 });
      store.customers.insertTag({ id: 't2', name: '爱砍价', color: 'blue', created_at: 0 });
      store.customers.insert({ id: 'c00002', nick: '已经在的买家', group_id: null, remark: '备注', first_seen_at: 5, updated_at: 5 });
    });
  const snapshot = (store: Store) => {
    const feed = rows(store, 'SELECT seq, entity, entity_id, op, row, at FROM changes ORDER BY seq');
    const first = feed[0]?.seq as number;
    return {
      customers: rows(store, 'SELECT id, nick, group_id, remark, first_seen_at, updated_at FROM customers ORDER BY rowid'),
      tags: rows(store, 'SELECT customer_id, tag_id, created_at FROM customer_tags ORDER BY customer_id, tag_id'),
      feed: feed.map((c) => ({
        ...c,
        seq: (c.seq as number) - first,
        row: c.row === null ? null : (JSON.parse(c.row as string) as unknown),
      })),
    };
  };

  test('stores and feeds what SQLite stores one buyer at a time; one already stored is skipped with her tags', { timeout: 120_000 }, () => {
    const batch = buyers(PG_BULK_ROWS + 300);
    const one = createStore(openDatabase(':memory:'));
    const sqlite = createStore(openDatabase(':memory:'));
    const pg = openPgStore(freshPgDatabase('bulkbuyers'), startPgWorkerForTests);
    stores.push(one, sqlite, pg);
    for (const s of [one, sqlite, pg]) prepare(s);
    // One at a time, in the bulk insert's order: the new buyers, then their tags.
    one.tx(() => {
      const fresh = batch.filter(({ row }) => !one.customers.get(row.id));
      for (const { row } of fresh) one.customers.insert(row);
      for (const { row, tags } of fresh) for (const t of tags) one.customers.addTag(row.id, t.tagId, t.at);
    });
    sqlite.tx(() => sqlite.customers.insertMany(batch));
    pg.tx(() => pg.customers.insertMany(batch));
    const expected = snapshot(one);
    expect(snapshot(sqlite)).toEqual(expected);
    expect(snapshot(pg)).toEqual(expected);
    expect(pg.customers.get('c00002')).toMatchObject({ nick: '已经在的买家', remark: '备注', tags: [] });
    expect(pg.customers.get('c00005')?.tags.map((t) => t.id)).toEqual(['t1', 't2']);
    // Gap-free seqs, the next single change right after them.
    const feed = snapshot(pg).feed;
    expect(feed.map((c) => c.seq)).toEqual(feed.map((_, i) => i));
    const head = pg.changes.head();
    pg.tx(() => pg.customers.insertMany(batch.slice(0, 10)));
    expect(pg.changes.head()).toBe(head);
  });

  test("a seed's bulk settings hold for its run only, and leave no pending GIN entries behind", { timeout: 60_000 }, () => {
    const pg = openPgStore(freshPgDatabase('bulksettings'), startPgWorkerForTests);
    stores.push(pg);
    const setting = (name: string) => pg.db.prepare(`SELECT current_setting('${name}')`).pluck().get();
    // Pages of the text indexes' pending lists merged by this call (so it also empties them).
    const pending = () =>
      Number(
        pg.db
          .prepare(
            "SELECT gin_clean_pending_list('messages_text_trgm'::regclass) + gin_clean_pending_list('messages_text_chars'::regclass)",
          )
          .pluck()
          .get(),
      );
    const outside = [setting('synchronous_commit'), setting('gin_pending_list_limit'), setting('work_mem')];
    let inside: unknown[] = [];
    let pendingInside = 0;
    pg.bulk(() => {
      inside = [setting('synchronous_commit'), setting('gin_pending_list_limit'), setting('work_mem')];
      pg.tx(() => {
        pg.customers.insert({ id: 'c1', nick: 'tb_小鹿', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
        pg.conversations.insertMany([conversation('v1', 'c1', 1)]);
        pg.messages.insertMany(messages().map((m) => ({ ...m, conversation_id: 'v1', order_id: null, kind: 'text' as const })));
      });
      pendingInside = pending();
    });
    expect(inside).toEqual(['off', '64MB', '64MB']);
    expect(pendingInside).toBeGreaterThan(0);
    expect([setting('synchronous_commit'), setting('gin_pending_list_limit'), setting('work_mem')]).toEqual(outside);
    expect(pending()).toBe(0);
    expect(pg.search.search(searchTerm('退款申请')!, {}, 5).total).toBeGreaterThan(0);
  });
});

describe.skipIf(why !== null)('a history seed on PostgreSQL (issue 14)', () => {
  test('writes the history SQLite writes from the same seed, over several calls', { timeout: 180_000 }, () => {
    const now = Date.UTC(2024, 5, 18);
    const sqlite = createStore(openDatabase(':memory:'));
    const pg = openPgStore(freshPgDatabase('seedhistory'), startPgWorkerForTests);
    stores.push(sqlite, pg);
    const seed = (store: Store) => {
      expect(seedDemoShop(store, { now, seed: 11 })).toBe(true);
      // Two calls: the second must see the first's buyers and order numbers (UNIQUE columns).
      for (const call of [1, 2]) seedMessageHistory(store, { messages: 3000, now, seed: 5 + call, batch: 1000 });
      const list = (sql: string) => store.db.prepare(sql).pluck().all();
      return {
        nicks: list('SELECT nick FROM customers ORDER BY nick'),
        orderNos: list('SELECT order_no FROM orders ORDER BY order_no'),
        texts: list('SELECT text FROM messages ORDER BY created_at, text'),
        tags: list('SELECT count(*) FROM customer_tags'),
        feed: rows(store, 'SELECT entity, count(*) AS n FROM changes GROUP BY entity ORDER BY entity'),
      };
    };
    const a = seed(sqlite);
    const b = seed(pg);
    expect(b).toEqual(a);
    expect(a.texts.length).toBeGreaterThan(6000);
  });
});
