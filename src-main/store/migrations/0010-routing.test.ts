import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from '../index';
import { migrate } from './index';

describe('migration 0010 (routing)', () => {
  it('gives a version-9 shop’s agents a maximum and presence, and puts each account in the feed as the store writes it', () => {
    const db = new Database(':memory:');
    migrate(db, 9);
    db.prepare(
      "INSERT INTO agents (id, nick, role, state, created_at) VALUES ('a1', '小美', 'agent', 'busy', 1), ('a2', '阿杰', 'agent', 'online', 2)",
    ).run();
    db.prepare("UPDATE agents SET disabled_at = 5 WHERE id = 'a2'").run();
    migrate(db, 10);
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(db.prepare('SELECT id, max_open, present FROM agents ORDER BY id').all()).toEqual([
      { id: 'a1', max_open: 20, present: 0 },
      { id: 'a2', max_open: 20, present: 0 },
    ]);
    expect(() => db.prepare("UPDATE agents SET max_open = 0 WHERE id = 'a1'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE agents SET present = 2 WHERE id = 'a1'").run()).toThrow(/CHECK/);
    // The feed rows written by SQL are the rows the store writes (key for key).
    const store = createStore(db);
    const fed = db.prepare("SELECT entity_id, row FROM changes WHERE entity = 'agent' ORDER BY seq").all() as {
      entity_id: string;
      row: string;
    }[];
    expect(fed.map((r) => r.entity_id)).toEqual(['a1', 'a2']);
    expect(fed.map((r) => r.row)).toEqual([JSON.stringify(store.agents.get('a1')), JSON.stringify(store.agents.get('a2'))]);
    expect(store.agents.get('a2')).toMatchObject({ disabled: true, present: false, maxOpen: 20 });
    expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'conversations_agent_open'").pluck().get()).toBe(1);
  });
});
