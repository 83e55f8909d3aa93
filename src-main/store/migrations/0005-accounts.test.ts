import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './index';

describe('migration 0005 (accounts)', () => {
  it('keeps a version-4 file’s agents, without passwords and enabled, and adds sessions and sync clients', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 4);
    db.prepare("INSERT INTO agents (id, nick, role, state, created_at) VALUES ('a1', '小美', 'agent', 'online', 1)").run();
    migrate(db, 5);
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    expect(db.prepare('SELECT id, nick, password_hash, disabled_at FROM agents').all()).toEqual([
      { id: 'a1', nick: '小美', password_hash: null, disabled_at: null },
    ]);
    db.prepare("INSERT INTO sessions (id, token_hash, agent_id, created_at, expires_at) VALUES ('s1', 'h1', 'a1', 1, 2)").run();
    expect(() =>
      db.prepare("INSERT INTO sessions (id, token_hash, agent_id, created_at, expires_at) VALUES ('s2', 'h1', 'a1', 1, 2)").run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare("INSERT INTO sessions (id, token_hash, agent_id, created_at, expires_at) VALUES ('s3', 'h3', 'nobody', 1, 2)").run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO sync_clients (client_id, agent_id, first_seen_at) VALUES ('c1', 'a1', 1)").run();
    expect(db.prepare('SELECT agent_id FROM sync_clients WHERE client_id = ?').pluck().get('c1')).toBe('a1');
  });
});
