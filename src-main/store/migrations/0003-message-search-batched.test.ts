import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from '../index';
import { migrate } from './index';

describe('migration 0003 (batched message indexing)', () => {
  it('keeps messages of a version-2 file searchable, and indexes new ones written one by one or in a batch', () => {
    const db = new Database(':memory:');
    migrate(db, 2);
    db.prepare("INSERT INTO customers VALUES ('c1', 'nick', NULL, '', 0, 0)").run();
    db.prepare("INSERT INTO conversations (id, customer_id, last_message_at, created_at) VALUES ('v1', 'c1', 0, 0)").run();
    db.prepare(
      "INSERT INTO messages (id, conversation_id, sender, text, created_at) VALUES ('m1', 'v1', 'buyer', '请问什么时候发货呀', 0)",
    ).run();
    migrate(db, 3);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    // Today's store queries write later indexes too (0005), so the file is brought up to date first.
    migrate(db);
    const store = createStore(db);
    const row = { conversation_id: 'v1', sender: 'buyer' as const, agent_id: null, kind: 'text' as const, order_id: null, created_at: 1 };
    store.messages.insert({ ...row, id: 'm2', text: '我要申请退款，衣服太大了' });
    store.tx(() =>
      store.messages.insertMany([
        { ...row, id: 'm3', text: '能开发票吗' },
        { ...row, id: 'm2', text: '重复的 id 不会再写一次' },
        { ...row, id: 'm4', text: '顺丰可以到付吗' },
      ]),
    );
    const search = db
      .prepare('SELECT m.id FROM messages_fts f JOIN messages m ON m.rowid = f.rowid WHERE messages_fts MATCH ? ORDER BY m.id')
      .pluck();
    expect(search.all('"什么时候"')).toEqual(['m1']);
    expect(search.all('"申请退款"')).toEqual(['m2']);
    expect(search.all('"开发票"')).toEqual(['m3']);
    expect(search.all('"可以到付"')).toEqual(['m4']);
    expect(search.all('"不会再写"')).toEqual([]);
    // the FTS index agrees with the table
    expect(() => db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  });
});

describe('a batch of messages in the change feed', () => {
  it('records each new message once, in the same shape as a single insert does', () => {
    const db = new Database(':memory:');
    migrate(db);
    const store = createStore(db);
    db.prepare("INSERT INTO customers VALUES ('c1', 'nick', NULL, '', 0, 0)").run();
    db.prepare("INSERT INTO conversations (id, customer_id, last_message_at, created_at) VALUES ('v1', 'c1', 0, 0)").run();
    const row = { conversation_id: 'v1', sender: 'buyer' as const, agent_id: null, kind: 'text' as const, order_id: null };
    store.messages.insert({ ...row, id: 'single', text: '单条 "引号" \\ 😀', created_at: 5 });
    store.tx(() =>
      store.messages.insertMany([
        { ...row, id: 'batch', text: '单条 "引号" \\ 😀', created_at: 5 },
        { ...row, id: 'single', text: 'x', created_at: 6 },
      ]),
    );
    const feed = db.prepare("SELECT entity_id, row FROM changes WHERE entity = 'message' ORDER BY seq").all() as {
      entity_id: string;
      row: string;
    }[];
    expect(feed.map((f) => f.entity_id)).toEqual(['single', 'batch']);
    const [single, batch] = feed.map((f) => JSON.parse(f.row) as Record<string, unknown>);
    expect(batch).toEqual({ ...single, id: 'batch' });
    expect(feed[1]!.row).toBe(feed[0]!.row.replace('"single"', '"batch"'));
  });
});
