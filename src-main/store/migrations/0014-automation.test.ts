import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from '../index';
import { migrate } from './index';

describe('migration 0014 (automation)', () => {
  it('marks no old message as automated, adds the automation tables, and lets a message be an auto-reply or a reminder', () => {
    const db = new Database(':memory:');
    migrate(db, 13);
    db.exec(`
      INSERT INTO customers (id, nick, first_seen_at, updated_at) VALUES ('b1', '买家', 0, 0);
      INSERT INTO conversations (id, customer_id, last_message_at, created_at) VALUES ('c1', 'b1', 0, 0);
      INSERT INTO messages (id, conversation_id, sender, agent_id, text, created_at) VALUES ('m1', 'c1', 'buyer', NULL, '在吗', 1);
    `);
    migrate(db, 14);
    expect(db.pragma('user_version', { simple: true })).toBe(14);
    expect(db.prepare('SELECT automated FROM messages WHERE id = ?').pluck().get('m1')).toBeNull();
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'automation_%' OR name = 'reminder_log') ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['automation_keys', 'automation_rules', 'automation_windows', 'reminder_log']);

    const store = createStore(db);
    const base = { conversation_id: 'c1', sender: 'agent' as const, agent_id: null, kind: 'text' as const, order_id: null };
    store.tx(() => store.messages.insert({ ...base, id: 'm2', text: '欢迎', created_at: 2, automated: 'auto_reply' }));
    expect(store.messages.get('m2')?.automated).toBe('auto_reply');
    expect(store.messages.get('m1')).not.toHaveProperty('automated');
    expect(() => db.prepare("UPDATE messages SET automated = 'robot' WHERE id = 'm1'").run()).toThrow(/CHECK/);
    // A key is claimed once: a second claim of it (or of a set holding it) takes nothing.
    expect(store.tx(() => store.automation.claim(['remind:after_order:o1'], 3))).toBe(true);
    expect(store.tx(() => store.automation.claim(['remind:after_order:o2', 'remind:after_order:o1'], 4))).toBe(false);
    expect(store.automation.hasKey('remind:after_order:o2')).toBe(false);
  });
});
