import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from '../index';
import { migrate } from './index';

describe('migration 0021 (personal rows with write times, kept empty, and a desk’s queue for the hub)', () => {
  it('keeps a version-20 shop’s rows with their time as both write times; then the newest write of each content wins', () => {
    const db = new Database(':memory:');
    migrate(db, 20);
    db.exec(`
      INSERT INTO customers (id, nick, remark, first_seen_at, updated_at) VALUES ('c1', '买家', '', 0, 0);
      INSERT INTO conversations (id, customer_id, status, last_message_at, created_at) VALUES ('v1', 'c1', 'open', 0, 0);
      INSERT INTO personal_conversations (agent_id, conversation_id, hold, hold_since, hold_until, draft, updated_at)
        VALUES ('a1', 'v1', 'held', 3, NULL, '旧草稿', 7);
    `);
    migrate(db, 21);
    expect(db.pragma('user_version', { simple: true })).toBe(21);
    expect(db.prepare('SELECT hold, draft, updated_at, hold_at, draft_at FROM personal_conversations').get()).toEqual({
      hold: 'held',
      draft: '旧草稿',
      updated_at: 7,
      hold_at: 7,
      draft_at: 7,
    });
    const store = createStore(db);
    // An older draft write changes nothing; a newer one wins; the hold keeps its own time.
    expect(store.personal.setDraft('a1', 'v1', '更旧的', 6)).toBe(false);
    expect(store.personal.setDraft('a1', 'v1', '新草稿', 9)).toBe(true);
    expect(store.personal.setHold('a1', 'v1', null, 5)).toBe(false);
    expect(store.personal.list('a1')).toMatchObject([{ draft: '新草稿', hold: { kind: 'held', since: 3 }, updatedAt: 9 }]);
    // Cleared: the row stays empty with its times (never listed or counted), so an older write cannot bring it back.
    store.personal.setDraft('a1', 'v1', '', 10);
    store.personal.setHold('a1', 'v1', null, 10);
    expect(store.personal.list('a1')).toEqual([]);
    expect(store.personal.count('a1')).toBe(0);
    expect(store.personal.setDraft('a1', 'v1', '离线时的旧草稿', 8)).toBe(false);
    expect(store.personal.list('a1')).toEqual([]);
    expect(store.personal.syncRows('a1')).toEqual([{ conversationId: 'v1', hold: null, holdAt: 10, draft: '', draftAt: 10 }]);
  });

  it('queues one write per agent, conversation and content, in the order made, and refuses inconsistent entries', () => {
    const db = new Database(':memory:');
    migrate(db);
    const store = createStore(db);
    store.personal.enqueue('a1', 'v1', { draft: '一' }, 1);
    store.personal.enqueue('a1', 'v2', { hold: { kind: 'until', until: 50, since: 2 } }, 2);
    store.personal.enqueue('a1', 'v1', { draft: '二' }, 3);
    store.personal.enqueue('a2', 'v1', { draft: '别人的' }, 4);
    expect(store.personal.outboxCount()).toBe(3);
    const batch = store.personal.outboxBatch('a1', 10);
    expect(batch.map((e) => [e.conversationId, e.field, e.at])).toEqual([
      ['v2', 'hold', 2],
      ['v1', 'draft', 3],
    ]);
    expect(batch[0]).toMatchObject({ hold: { kind: 'until', until: 50, since: 2 } });
    // Another agent's entries are not this desk's account's: dropped, never sent.
    expect(store.personal.outboxCount()).toBe(2);
    store.personal.outboxDone([batch[0]!.seq]);
    expect(store.personal.outboxPending('a1')).toEqual(new Set(['v1']));
    const insert = db.prepare(
      'INSERT INTO personal_outbox (agent_id, conversation_id, field, hold, hold_until, draft, at) VALUES (?, ?, ?, ?, ?, ?, 0)',
    );
    expect(() => insert.run('a1', 'v3', 'draft', 'held', null, 'x')).toThrow(/CHECK/);
    expect(() => insert.run('a1', 'v3', 'hold', 'until', null, null)).toThrow(/CHECK/);
    expect(() => insert.run('a1', 'v3', 'note', null, null, 'x')).toThrow(/CHECK/);
    expect(() => insert.run('a1', 'v3', 'draft', null, null, 'x'.repeat(4001))).toThrow(/CHECK/);
  });
});
