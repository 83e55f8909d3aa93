import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './index';

describe('migration 0009 (hub outbox)', () => {
  it('adds the tier-2 outbox, shadows and staging to a version-8 file and keeps its data', () => {
    const db = new Database(':memory:');
    migrate(db, 8);
    db.prepare("INSERT INTO settings (key, value) VALUES ('shop', '{}')").run();
    migrate(db, 9);
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'shop'").pluck().get()).toBe('{}');
    db.prepare(
      "INSERT INTO hub_outbox (mutation_id, name, args, agent_id, client_id, created_at) VALUES ('m1', 'messages.send', '{}', 'a', 'c', 1)",
    ).run();
    expect(() =>
      db
        .prepare("INSERT INTO hub_outbox (mutation_id, name, args, agent_id, client_id, created_at) VALUES ('m1', 'x', '{}', 'a', 'c', 2)")
        .run(),
    ).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO hub_shadows (entity, entity_id, row) VALUES ('message', 'x', NULL)").run();
    db.prepare("INSERT INTO hub_staging (part, entity_id, row) VALUES ('tag', 't', '{}')").run();
    expect(db.prepare('SELECT count(*) FROM hub_shadows').pluck().get()).toBe(1);
  });
});
