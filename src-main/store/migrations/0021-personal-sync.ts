import type { Migration } from './index';

/**
 * An agent's holds and drafts follow them to another PC of the team (issue 15). Each of a row's two
 * contents keeps the time it was written (`hold_at`, `draft_at`): on the hub the newest write of each
 * wins by that time, so an old draft typed offline on one PC never overwrites a newer one typed on
 * another. A cleared row is kept empty (a tombstone with its times) so that an older write reaching
 * the hub later does not bring it back; reads skip empty rows, and the rows of conversations no
 * longer open still go first when an agent reaches the row limit. `personal_outbox` is a team desk's
 * queue of personal writes the hub has not taken yet: one entry per agent, conversation and content
 * (a newer write replaces the older, which the newer one would beat anyway), sent in `seq` order.
 */
export const m0021PersonalSync: Migration = {
  version: 21,
  name: 'personal-sync',
  up(db) {
    db.exec(`
      CREATE TABLE personal_conversations_new (
        agent_id        TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        hold            TEXT CHECK (hold IN ('held', 'until', 'buyer')),
        hold_since      INTEGER,
        hold_until      INTEGER,
        draft           TEXT NOT NULL DEFAULT '' CHECK (length(draft) <= 4000),
        updated_at      INTEGER NOT NULL,
        hold_at         INTEGER NOT NULL DEFAULT 0,
        draft_at        INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (agent_id, conversation_id),
        CHECK ((hold IS NULL) = (hold_since IS NULL)),
        CHECK ((hold IS 'until') = (hold_until IS NOT NULL))
      ) WITHOUT ROWID;
      INSERT INTO personal_conversations_new
        (agent_id, conversation_id, hold, hold_since, hold_until, draft, updated_at, hold_at, draft_at)
        SELECT agent_id, conversation_id, hold, hold_since, hold_until, draft, updated_at, updated_at, updated_at
        FROM personal_conversations;
      DROP TABLE personal_conversations;
      ALTER TABLE personal_conversations_new RENAME TO personal_conversations;

      CREATE TABLE personal_outbox (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        agent_id        TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        field           TEXT NOT NULL CHECK (field IN ('hold', 'draft')),
        hold            TEXT CHECK (hold IN ('held', 'until', 'buyer')),
        hold_until      INTEGER,
        draft           TEXT CHECK (length(draft) <= 4000),
        at              INTEGER NOT NULL,
        UNIQUE (agent_id, conversation_id, field),
        CHECK (field = 'hold' OR (hold IS NULL AND draft IS NOT NULL)),
        CHECK ((hold IS 'until') = (hold_until IS NOT NULL))
      );
    `);
  },
};
