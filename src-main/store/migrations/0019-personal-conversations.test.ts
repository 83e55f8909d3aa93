import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from '../index';
import { migrate } from './index';

describe('migration 0019 (an agent’s holds, snoozes and drafts)', () => {
  it('adds the per-agent table to a version-18 shop; the store keeps rows per agent and refuses inconsistent ones', () => {
    const db = new Database(':memory:');
    migrate(db, 18);
    db.exec(`
      INSERT INTO customers (id, nick, remark, first_seen_at, updated_at) VALUES ('c1', '买家', '', 0, 0);
      INSERT INTO conversations (id, customer_id, status, last_message_at, created_at) VALUES ('v1', 'c1', 'open', 0, 0);
    `);
    migrate(db, 19);
    expect(db.pragma('user_version', { simple: true })).toBe(19);
    const insert = db.prepare(
      'INSERT INTO personal_conversations (agent_id, conversation_id, hold, hold_since, hold_until, draft, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0)',
    );
    expect(() => insert.run('a3', 'v1', 'until', 1, null, '')).toThrow(/CHECK/); // a timed snooze without its time
    expect(() => insert.run('a3', 'v1', 'held', 1, 9, '')).toThrow(/CHECK/); // a time on a hold without end
    expect(() => insert.run('a3', 'v1', null, null, null, '')).toThrow(/CHECK/); // an empty row
    expect(() => insert.run('a3', 'v1', null, null, null, 'x'.repeat(4001))).toThrow(/CHECK/);
    expect(() => insert.run('a3', 'v1', 'snooze', 1, null, '')).toThrow(/CHECK/);
    // The store reads the newest schema (0021 adds the write times).
    migrate(db);
    const store = createStore(db);
    store.tx(() => {
      store.personal.setDraft('a1', 'v1', '草稿', 5);
      store.personal.setHold('a2', 'v1', { kind: 'until', until: 100, since: 5 }, 5);
    });
    expect(store.personal.list('a1')).toEqual([{ conversationId: 'v1', hold: null, draft: '草稿', updatedAt: 5, buyerAfter: null }]);
    expect(store.personal.list('a2')[0]?.hold).toEqual({ kind: 'until', until: 100, since: 5 });
    store.tx(() => store.personal.setDraft('a1', 'v1', '', 6));
    expect(store.personal.list('a1')).toEqual([]);
  });
});
