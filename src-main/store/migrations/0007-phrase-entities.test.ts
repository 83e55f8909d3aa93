import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './index';

describe('migration 0007 (phrase entities)', () => {
  it('renames the feed rows of phrases and phrase groups and leaves every other row as it was', () => {
    const db = new Database(':memory:');
    migrate(db, 6);
    const add = db.prepare("INSERT INTO changes (entity, entity_id, op, row, at) VALUES (?, ?, 'upsert', '{}', 1)");
    for (const [entity, id] of [
      ['reply', 'p1'],
      ['reply_group', 'g1'],
      ['customer_group', 'cg1'],
      ['message', 'm1'],
    ])
      add.run(entity, id);
    migrate(db, 7);
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    expect(db.prepare('SELECT seq, entity, entity_id FROM changes ORDER BY seq').all()).toEqual([
      { seq: 1, entity: 'phrase', entity_id: 'p1' },
      { seq: 2, entity: 'phrase_group', entity_id: 'g1' },
      { seq: 3, entity: 'customer_group', entity_id: 'cg1' },
      { seq: 4, entity: 'message', entity_id: 'm1' },
    ]);
  });
});
