import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './index';

describe('migration 0002 (message search)', () => {
  it('indexes the messages a version-1 file already holds, and new ones after it', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    db.prepare("INSERT INTO customers VALUES ('c1', 'nick', NULL, '', 0, 0)").run();
    db.prepare("INSERT INTO conversations (id, customer_id, last_message_at, created_at) VALUES ('v1', 'c1', 0, 0)").run();
    const insert = db.prepare("INSERT INTO messages (id, conversation_id, sender, text, created_at) VALUES (?, 'v1', 'buyer', ?, 0)");
    insert.run('m1', '请问什么时候发货呀');
    migrate(db, 2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    insert.run('m2', '我要申请退款，衣服太大了');
    const search = db
      .prepare('SELECT m.id FROM messages_fts f JOIN messages m ON m.rowid = f.rowid WHERE messages_fts MATCH ? ORDER BY m.id')
      .pluck();
    expect(search.all('"什么时候"')).toEqual(['m1']);
    expect(search.all('"申请退款"')).toEqual(['m2']);
  });
});
