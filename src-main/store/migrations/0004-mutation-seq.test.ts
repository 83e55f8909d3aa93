import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './index';

describe('migration 0004 (mutation seq)', () => {
  it('keeps the mutations a version-3 file recorded and gives new ones a feed position', () => {
    const db = new Database(':memory:');
    migrate(db, 3);
    db.prepare(
      "INSERT INTO mutations (mutation_id, client_id, name, status, result, error, applied_at) VALUES ('m1', 'c1', 'messages.send', 'applied', 'null', NULL, 1)",
    ).run();
    migrate(db, 4);
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(db.prepare('SELECT mutation_id, seq FROM mutations').all()).toEqual([{ mutation_id: 'm1', seq: null }]);
    db.prepare(
      "INSERT INTO mutations (mutation_id, client_id, name, status, result, error, applied_at, seq) VALUES ('m2', 'c1', 'messages.send', 'rejected', NULL, '{}', 2, 7)",
    ).run();
    expect(db.prepare("SELECT seq FROM mutations WHERE mutation_id = 'm2'").pluck().get()).toBe(7);
  });
});
