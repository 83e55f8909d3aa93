import type { Migration } from './index';

/**
 * Phrase use per day (issue 17: "the phrases used most and the phrases never used" over a report's
 * period, not only since each phrase was written). One row per phrase and shop-local day (days since
 * 1970-01-01 as the shop's clock read them when the phrase was used), counted as the picker marks a
 * use, on the desk and, in team mode, on the hub that applies the same mutation. Uses from before
 * this migration are only in `replies.use_count`: a period before it shows none. A deleted phrase's
 * rows stay and are never shown (reads join `replies`). Keyed by phrase (is it unused in a period?)
 * and indexed by day (which were used most in it?).
 */
export const m0018PhraseUseDays: Migration = {
  version: 18,
  name: 'phrase-use-days',
  up(db) {
    db.exec(`
      CREATE TABLE phrase_use_days (
        day       INTEGER NOT NULL,
        phrase_id TEXT NOT NULL,
        n         INTEGER NOT NULL CHECK (n > 0),
        PRIMARY KEY (phrase_id, day)
      ) WITHOUT ROWID;
      CREATE INDEX phrase_use_days_by_day ON phrase_use_days (day, phrase_id, n);
    `);
  },
};
