import { registerUnigram, UNIGRAM_FUNCTION } from '../unigram';
import type { Migration } from './index';

/** Messages indexed per statement while the index is built, so one statement never holds a whole shop. */
export const UNIGRAM_BUILD_BATCH = 50_000;

/**
 * A second search index for terms of one or two characters (退款, 尺码), which the trigram index of
 * 0002 cannot answer: a contentless FTS5 table over the text with a space between every character
 * (see store/unigram.ts). New messages are indexed by store/messages.ts in the same batched way as
 * trigram; a delete trigger keeps it in step. Existing messages are indexed here in rowid batches
 * (1M demo messages: see docs/architecture.md, Bench).
 */
export const m0006MessageSearchShort: Migration = {
  version: 6,
  name: 'message-search-short',
  up(db) {
    registerUnigram(db);
    db.exec(`
      CREATE VIRTUAL TABLE messages_uni USING fts5(
        text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'
      );
      CREATE TRIGGER messages_uni_delete AFTER DELETE ON messages BEGIN
        DELETE FROM messages_uni WHERE rowid = old.rowid;
      END;
    `);
    const last = db.prepare('SELECT coalesce(max(rowid), 0) FROM messages').pluck().get() as number;
    const batch = db.prepare(
      `INSERT INTO messages_uni(rowid, text) SELECT rowid, ${UNIGRAM_FUNCTION}(text) FROM messages WHERE rowid > ? AND rowid <= ?`,
    );
    for (let from = 0; from < last; from += UNIGRAM_BUILD_BATCH) batch.run(from, from + UNIGRAM_BUILD_BATCH);
  },
};
