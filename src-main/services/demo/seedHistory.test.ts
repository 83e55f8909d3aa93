import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids';
import { openStore, type Store } from '../../store';
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

  it('refuses a store without agents', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-history-'));
    const store = openStore(path.join(dir, 'jiedai.sqlite'));
    stores.push({ store, dir });
    expect(() => seedMessageHistory(store, { messages: 10, now: Date.now() })).toThrow(/demo shop first/);
  });
});
