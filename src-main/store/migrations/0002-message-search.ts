import type { Migration } from './index';

/**
 * Full-text search over message text. FTS5's trigram tokenizer finds any substring of three or more
 * characters (Chinese has no spaces to split words on); shorter queries use a bounded LIKE instead.
 * An external-content table keeps one copy of the text; triggers keep it in step with `messages`.
 */
export const m0002MessageSearch: Migration = {
  version: 2,
  name: 'message-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, content='messages', content_rowid='rowid', tokenize='trigram'
      );
      INSERT INTO messages_fts(rowid, text) SELECT rowid, text FROM messages;
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, text) VALUES (new.rowid, new.text);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
      END;
    `);
  },
};
