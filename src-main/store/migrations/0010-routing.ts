import type { Migration } from './index';

/**
 * Assignment and routing (issue 12):
 * - `agents.max_open`: how many open conversations routing gives the agent (a supervisor sets it);
 * - `agents.present`: whether the agent is signed in at a connected desk now, written by the core
 *   that serves the desks (the hub) when desks come and go, so every replica shows who is there;
 * - an index of open conversations by owner (routing counts each agent's load);
 * - every account's row in the change feed, now that the roster is a synced entity (`agent`).
 */
export const m0010Routing: Migration = {
  version: 10,
  name: 'routing',
  up(db) {
    db.exec(`
      ALTER TABLE agents ADD COLUMN max_open INTEGER NOT NULL DEFAULT 20 CHECK (max_open BETWEEN 1 AND 200);
      ALTER TABLE agents ADD COLUMN present INTEGER NOT NULL DEFAULT 0 CHECK (present IN (0, 1));
      CREATE INDEX conversations_agent_open ON conversations(agent_id) WHERE status = 'open';
      INSERT INTO changes (entity, entity_id, op, row, at)
        SELECT 'agent', id, 'upsert',
          json_object('id', id, 'nick', nick, 'role', role, 'state', state, 'present', json('false'), 'maxOpen', max_open,
            'disabled', json(CASE WHEN disabled_at IS NULL THEN 'false' ELSE 'true' END)),
          created_at
        FROM agents ORDER BY created_at, rowid;
    `);
  },
};
