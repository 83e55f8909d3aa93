import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './index';

function freshV1() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, 1);
  return db;
}

describe('migration 0001 (initial schema)', () => {
  it('creates every table on an empty file and records schema version 1', () => {
    const db = freshV1();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of [
      'agents',
      'customers',
      'customer_groups',
      'tags',
      'customer_tags',
      'reply_groups',
      'replies',
      'conversations',
      'messages',
      'orders',
      'order_items',
      'order_notes',
      'order_memo_history',
      'mutations',
      'changes',
      'settings',
    ]) {
      expect(tables).toContain(t);
    }
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('refuses a flag outside 0–5', () => {
    const db = freshV1();
    db.prepare("INSERT INTO customers VALUES ('c1', 'nick', NULL, '', 0, 0)").run();
    db.prepare(
      "INSERT INTO orders (id, order_no, customer_id, status, amount_cents, created_at, updated_at) VALUES ('o1', 'N1', 'c1', 'to_ship', 100, 0, 0)",
    ).run();
    expect(() => db.prepare("INSERT INTO order_notes (order_id, flag, updated_at) VALUES ('o1', 6, 0)").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO order_notes (order_id, flag, updated_at) VALUES ('o1', 5, 0)").run();
  });

  it('allows at most 100 customer groups', () => {
    const db = freshV1();
    const insert = db.prepare('INSERT INTO customer_groups (id, name, sort, created_at) VALUES (?, ?, 0, 0)');
    for (let i = 0; i < 100; i++) insert.run(`g${i}`, `分组${i}`);
    expect(() => insert.run('g100', '分组100')).toThrow(/customer_group_limit/);
  });

  it('keeps one message per id: a repeated insert is a no-op', () => {
    const db = freshV1();
    db.prepare("INSERT INTO customers VALUES ('c1', 'nick', NULL, '', 0, 0)").run();
    db.prepare("INSERT INTO conversations (id, customer_id, last_message_at, created_at) VALUES ('v1', 'c1', 0, 0)").run();
    const insert = db.prepare(
      "INSERT INTO messages (id, conversation_id, sender, text, created_at) VALUES ('m1', 'v1', 'agent', ?, 0) ON CONFLICT(id) DO NOTHING",
    );
    expect(insert.run('亲，在的').changes).toBe(1);
    expect(insert.run('亲，在的').changes).toBe(0);
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(1);
  });
});
