import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixedOffsetClock } from '../../../shared/domain/reports/clock';
import { createStore } from '../index';
import { migrate } from './index';

describe('migration 0013 (reports)', () => {
  it('adds the rollup tables to a version-9 file, which a rebuild then fills from the history it already has', () => {
    const db = new Database(':memory:');
    migrate(db, 9);
    db.exec(`
      INSERT INTO agents (id, nick, role, created_at) VALUES ('a1', '小美', 'agent', 0);
      INSERT INTO customers (id, nick, first_seen_at, updated_at) VALUES ('b1', '买家', 0, 0);
      INSERT INTO conversations (id, customer_id, agent_id, last_message_at, created_at) VALUES ('c1', 'b1', 'a1', 0, 0);
      INSERT INTO messages (id, conversation_id, sender, agent_id, text, created_at) VALUES
        ('m1', 'c1', 'buyer', NULL, '什么时候发货', 1718589600000),
        ('m2', 'c1', 'agent', 'a1', '今天发', 1718589630000);
    `);
    migrate(db, 13);
    expect(db.pragma('user_version', { simple: true })).toBe(13);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'report_%' ORDER BY name").pluck().all();
    expect(tables).toEqual([
      'report_authors',
      'report_conv_days',
      'report_hist',
      'report_hours',
      'report_orders',
      'report_questions',
      'report_state',
      'report_words',
    ]);
    expect(db.prepare('SELECT count(*) FROM report_conv_days').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(2);

    // No watermark yet: the first step starts the backfill, in batches, from the messages already there.
    const store = createStore(db);
    const config = { clock: fixedOffsetClock(480), workingHours: null, key: 'k' };
    expect(store.reports.behind(config)).toBe(true);
    while (!store.tx(() => store.reports.step(config, 1)));
    expect(store.reports.status().rebuild).toBeNull();
    const day = db.prepare('SELECT * FROM report_conv_days').get() as Record<string, unknown>;
    expect(day).toMatchObject({ conversation_id: 'c1', customer_id: 'b1', agent_id: 'a1', buyer_msgs: 1, inquiry: 1, late: 0 });
    expect(db.prepare('SELECT sum(responses), sum(response_ms) FROM report_authors').raw().get()).toEqual([1, 30_000]);
    expect(store.reports.behind(config)).toBe(false);
  });
});
