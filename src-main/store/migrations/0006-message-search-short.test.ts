import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from '../index';
import { searchTerm } from '../messageSearch';
import { migrate } from './index';
import { UNIGRAM_BUILD_BATCH } from './0006-message-search-short';

describe('migration 0006 (short-term search index)', () => {
  it('indexes every message of a version-5 file, past one build batch, so one- and two-character terms find them', () => {
    const db = new Database(':memory:');
    migrate(db, 5);
    db.prepare("INSERT INTO customers VALUES ('c1', 'nick', NULL, '', 0, 0)").run();
    db.prepare("INSERT INTO conversations (id, customer_id, last_message_at, created_at) VALUES ('v1', 'c1', 0, 0)").run();
    const insert = db.prepare("INSERT INTO messages (id, conversation_id, sender, text, created_at) VALUES (?, 'v1', 'buyer', ?, ?)");
    const n = UNIGRAM_BUILD_BATCH + 3;
    db.transaction(() => {
      for (let i = 0; i < n; i++) insert.run(`m${i}`, i % 1000 === 0 ? '尺码偏大吗' : '你好', i);
    })();
    migrate(db, 6);
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    const store = createStore(db);
    const hits = store.search.search(searchTerm('尺码')!, {}, 100);
    expect(hits.rows.length).toBe(Math.floor((n - 1) / 1000) + 1);
    expect(hits.rows[0]!.id).toBe(`m${Math.floor((n - 1) / 1000) * 1000}`);
    // every message is in the index, the ones past the first batch too
    expect(db.prepare('SELECT count(*) FROM messages_uni WHERE messages_uni MATCH \'"你 好"\'').pluck().get()).toBe(n - hits.rows.length);
  });
});
