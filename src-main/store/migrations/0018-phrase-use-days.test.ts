import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from '../index';
import { migrate } from './index';

describe('migration 0018 (phrase use per day)', () => {
  it('adds an empty per-day table to a version-13 shop, which each later use counts into, keeping the all-time count', () => {
    const db = new Database(':memory:');
    migrate(db, 13);
    db.exec(`
      INSERT INTO reply_groups (id, scope, owner, name, sort, created_at) VALUES ('g1', 'team', '', '售前', 0, 0);
      INSERT INTO replies (id, scope, owner, group_id, code, title, content, search_keys, use_count, last_used_at, sort, created_at, updated_at)
        VALUES ('r1', 'team', '', 'g1', 'fh', '发货', '亲，今天发货哦', '', 40, 5, 0, 0, 0);
    `);
    migrate(db, 18);
    expect(db.pragma('user_version', { simple: true })).toBe(18);
    expect(db.prepare('SELECT count(*) FROM phrase_use_days').pluck().get()).toBe(0);

    const store = createStore(db);
    store.tx(() => store.phrases.markUsed('r1', 1_000, 20_000));
    store.tx(() => store.phrases.markUsed('r1', 2_000, 20_000));
    store.tx(() => store.phrases.markUsed('r1', 3_000, 20_001));
    expect(db.prepare('SELECT day, n FROM phrase_use_days ORDER BY day').all()).toEqual([
      { day: 20_000, n: 2 },
      { day: 20_001, n: 1 },
    ]);
    expect(db.prepare("SELECT use_count FROM replies WHERE id = 'r1'").pluck().get()).toBe(43);
    expect(store.reports.periodPhrases(20_001, 20_001, 10).mostUsed).toMatchObject([{ id: 'r1', useCount: 1 }]);
    expect(store.reports.periodPhrases(19_000, 19_999, 10)).toMatchObject({ mostUsed: [], neverUsedCount: 1, teamCount: 1 });
    expect(() => db.prepare("INSERT INTO phrase_use_days (phrase_id, day, n) VALUES ('r1', 1, 0)").run()).toThrow(/CHECK/);
  });
});
