import { DEFAULT_RED_LINES, DEFAULT_RED_LINE_EXCEPTIONS } from '../../../shared/domain/redLines/defaults';
import { wordKey } from '../../../shared/domain/redLines/normalize';
import type { Migration } from './index';

/**
 * The shop's red lines (issue 16): words keyed by their folded form (QQ and ＱＱ are one word), with
 * how often each was caught, and the exceptions. A shop starts with the list shipped when its file
 * got this migration; supervisors edit it from there.
 */
export const m0008RedLines: Migration = {
  version: 8,
  name: 'red-lines',
  up(db) {
    db.exec(`
      CREATE TABLE red_line_words (
        key TEXT PRIMARY KEY,
        word TEXT NOT NULL,
        category TEXT NOT NULL CHECK (category IN ('contact', 'claim', 'refund', 'custom')),
        caught_sent INTEGER NOT NULL DEFAULT 0,
        caught_stopped INTEGER NOT NULL DEFAULT 0,
        last_caught_at INTEGER,
        sort INTEGER NOT NULL
      );
      CREATE TABLE red_line_exceptions (
        key TEXT PRIMARY KEY,
        phrase TEXT NOT NULL,
        sort INTEGER NOT NULL
      );
    `);
    const word = db.prepare('INSERT OR IGNORE INTO red_line_words (key, word, category, sort) VALUES (?, ?, ?, ?)');
    DEFAULT_RED_LINES.forEach((w, i) => word.run(wordKey(w.word), w.word, w.category, i));
    const exception = db.prepare('INSERT OR IGNORE INTO red_line_exceptions (key, phrase, sort) VALUES (?, ?, ?)');
    DEFAULT_RED_LINE_EXCEPTIONS.forEach((p, i) => exception.run(wordKey(p), p, i));
  },
};
