import type { Migration } from './index';

/**
 * What belongs to one agent in a conversation (issue 15): a hold (挂起) or snooze (稍后处理: until a
 * time, or until the buyer writes again) and the reply draft, keyed by agent and conversation, so
 * another agent at the same PC (or the same agent in another browser) gets their own. `hold_since`
 * is when the hold was set (a buyer message after it ends a `buyer` hold); `hold_until` is a timed
 * snooze's time and only that. No foreign keys: a team desk's bootstrap empties and refills the
 * conversations and the roster, and an agent's drafts must outlive that; reads join the open
 * conversations, and the store removes the rows of conversations no longer open when an agent
 * reaches the row limit. A row with neither a hold nor a draft is not kept.
 */
export const m0019PersonalConversations: Migration = {
  version: 19,
  name: 'personal-conversations',
  up(db) {
    db.exec(`
      CREATE TABLE personal_conversations (
        agent_id        TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        hold            TEXT CHECK (hold IN ('held', 'until', 'buyer')),
        hold_since      INTEGER,
        hold_until      INTEGER,
        draft           TEXT NOT NULL DEFAULT '' CHECK (length(draft) <= 4000),
        updated_at      INTEGER NOT NULL,
        PRIMARY KEY (agent_id, conversation_id),
        CHECK ((hold IS NULL) = (hold_since IS NULL)),
        CHECK ((hold IS 'until') = (hold_until IS NOT NULL)),
        CHECK (hold IS NOT NULL OR draft <> '')
      ) WITHOUT ROWID;
    `);
  },
};
