import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids';
import { openStore, type Store } from '../../store';
import { matchClause, searchTerm } from '../../store/messageSearch';
import { seedDemoShop } from './seedDemo';
import { seedMessageHistory } from './seedHistory';

const stores: { store: Store; dir: string }[] = [];
function demoStore(): Store {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-history-'));
  const store = openStore(path.join(dir, 'jiedai.sqlite'));
  seedDemoShop(store, { now: Date.UTC(2024, 5, 18) });
  stores.push({ store, dir });
  return store;
}
afterEach(() => {
  for (const { store, dir } of stores.splice(0)) {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('bulk message history', () => {
  it('adds exactly N messages over many ended conversations, in the past, with buyers, orders and system lines', () => {
    const store = demoStore();
    const before = store.stats.counts();
    const now = Date.UTC(2024, 5, 18);
    const result = seedMessageHistory(store, { messages: 5000, now, batch: 1000 });
    const after = store.stats.counts();
    expect(result.messages).toBe(5000);
    expect(after.messages! - before.messages!).toBe(5000);
    expect(after.conversations! - before.conversations!).toBe(result.conversations);
    expect(result.conversations).toBeGreaterThan(300);
    expect(result.customers).toBeGreaterThan(100);
    const db = store.db;
    const senders = db.prepare(`SELECT sender, count(*) AS n FROM messages GROUP BY sender`).all() as { sender: string; n: number }[];
    expect(senders.map((s) => s.sender).sort()).toEqual(['agent', 'buyer', 'system']);
    expect(db.prepare('SELECT max(created_at) FROM messages').pluck().get()).toBeLessThan(now);
    // Every order card shows an order of the conversation's own buyer.
    const wrongCards = db
      .prepare(
        `SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
         LEFT JOIN orders o ON o.id = m.order_id
         WHERE m.kind = 'order_card' AND (o.id IS NULL OR o.customer_id <> c.customer_id OR m.text <> '订单号：' || o.order_no)`,
      )
      .pluck()
      .get();
    expect(wrongCards).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM messages WHERE kind = 'order_card'`).pluck().get()).toBeGreaterThan(50);
    // Chinese text with the placeholders filled in.
    expect(db.prepare(`SELECT count(*) FROM messages WHERE text LIKE '%{%}%'`).pluck().get()).toBe(0);
    // New conversations keep the aggregate a desk would show.
    const stale = db
      .prepare(
        `SELECT count(*) FROM conversations c WHERE status = 'ended' AND last_message_at <> (SELECT max(created_at) FROM messages WHERE conversation_id = c.id)`,
      )
      .pluck()
      .get();
    expect(stale).toBe(0);
  });

  it('keeps the search index and the change feed as single writes do', () => {
    const store = demoStore();
    const changes = store.changes.head();
    const result = seedMessageHistory(store, { messages: 2000, now: Date.UTC(2024, 5, 18), batch: 500 });
    const db = store.db;
    // One change row per new order and conversation, each what a replica would read from the store.
    const byEntity = db.prepare('SELECT entity_id, row FROM changes WHERE seq > ? AND entity = ? ORDER BY seq');
    const feed = (after: number, entity: string) => byEntity.all(after, entity);
    const orders = feed(changes, 'order') as { entity_id: string; row: string }[];
    const conversations = feed(changes, 'conversation') as { entity_id: string; row: string }[];
    expect(orders).toHaveLength(result.orders);
    expect(conversations).toHaveLength(result.conversations);
    for (const o of orders.slice(-20)) expect(JSON.parse(o.row)).toEqual(store.orders.get(o.entity_id));
    for (const c of conversations.slice(-20)) expect(JSON.parse(c.row)).toEqual(store.conversations.get(c.entity_id));
    const indexed = db.prepare(`SELECT count(*) FROM messages_fts WHERE messages_fts MATCH '"有什么可以帮您"'`).pluck().get() as number;
    const scanned = db.prepare(`SELECT count(*) FROM messages WHERE text LIKE '%有什么可以帮您%'`).pluck().get() as number;
    expect(indexed).toBeGreaterThan(0);
    expect(indexed).toBe(scanned);
    expect(db.prepare(`SELECT count(*) FROM changes WHERE seq > ? AND entity = 'message'`).pluck().get(changes)).toBe(2000);
    // A later single write is indexed too.
    const conversationId = db.prepare('SELECT id FROM conversations LIMIT 1').pluck().get() as string;
    store.messages.insert({
      id: newId(),
      conversation_id: conversationId,
      sender: 'buyer',
      agent_id: null,
      kind: 'text',
      text: '独一无二的测试句子',
      order_id: null,
      created_at: 1,
    });
    expect(db.prepare(`SELECT count(*) FROM messages_fts WHERE messages_fts MATCH '"独一无二"'`).pluck().get()).toBe(1);
  });

  it('seeds call after call as the CLI does: nicks and order numbers never repeat, ids unique and in order, indexes whole, settings put back', () => {
    const store = demoStore();
    const db = store.db;
    const before = store.stats.counts();
    const synchronous = db.pragma('synchronous', { simple: true });
    const cache = db.pragma('cache_size', { simple: true });
    const totals = { messages: 0, customers: 0, orders: 0 };
    for (let call = 0; call < 4; call++) {
      const part = seedMessageHistory(store, { messages: 1500, now: Date.UTC(2024, 5, 18), seed: 7 + call, batch: 700 });
      totals.messages += part.messages;
      totals.customers += part.customers;
      totals.orders += part.orders;
    }
    const after = store.stats.counts();
    expect(totals.messages).toBe(6000);
    expect(after.messages! - before.messages!).toBe(6000);
    expect(after.customers! - before.customers!).toBe(totals.customers);
    expect(db.prepare('SELECT count(*) FROM orders').pluck().get()).toBeGreaterThanOrEqual(totals.orders);
    // Later calls saw the earlier calls' buyers and orders (the UNIQUE columns would have refused a repeat).
    const taken = store.seeding.customerNicks();
    const someNick = db.prepare('SELECT nick FROM customers ORDER BY rowid DESC LIMIT 1').pluck().get() as string;
    expect(taken.has(someNick)).toBe(true);
    expect(taken.has('从未用过的昵称')).toBe(false);
    taken.add('从未用过的昵称');
    expect(taken.has('从未用过的昵称')).toBe(true);
    // UUIDv7 ids: unique, and in the order they were written.
    const ids = db.prepare('SELECT id FROM messages ORDER BY rowid').pluck().all() as string[];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, i) => i === 0 || ids[i - 1]! < id)).toBe(true);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    // Both search indexes hold every seeded message, and find seeded words as a scan does.
    expect(db.prepare(`INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)`).run().changes).toBeGreaterThanOrEqual(
      0,
    );
    expect(db.prepare('SELECT count(*) FROM messages_uni_docsize').pluck().get()).toBe(after.messages);
    // A long term through the trigram index, a two-character one through the unigram index.
    for (const word of ['有什么可以帮您', '发货']) {
      const scanned = db.prepare(`SELECT count(*) FROM messages WHERE text LIKE '%' || ? || '%'`).pluck().get(word) as number;
      expect(scanned, word).toBeGreaterThan(0);
      const term = searchTerm(word)!;
      const match = matchClause(term, 'm');
      expect(db.prepare(`SELECT count(*) FROM messages m WHERE ${match.sql}`).pluck().get(match.params), word).toBe(scanned);
    }
    expect(db.prepare(`SELECT count(*) FROM changes WHERE entity = 'message'`).pluck().get()).toBe(after.messages);
    // The bulk settings are this run's only: the connection is as it was.
    expect(db.pragma('synchronous', { simple: true })).toBe(synchronous);
    expect(db.pragma('cache_size', { simple: true })).toBe(cache);
  });

  it('refuses a store without agents', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-history-'));
    const store = openStore(path.join(dir, 'jiedai.sqlite'));
    stores.push({ store, dir });
    expect(() => seedMessageHistory(store, { messages: 10, now: Date.now() })).toThrow(/demo shop first/);
  });
});
