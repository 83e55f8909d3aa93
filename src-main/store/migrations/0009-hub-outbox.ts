import type { Migration } from './index';

/**
 * Tier 2 (a desk core in team mode, a replica of the shop on the hub):
 * - `hub_outbox`: the desk's actions waiting for the hub, in the order the desk applied them, with
 *   the renderer's own mutation id, name and arguments; `done_seq` is where the hub recorded it
 *   (from its push answer or its feed), `outcome` what it decided.
 * - `hub_shadows`: the hub's value of each row a pending action changed here (NULL: the hub has no
 *   such row), put back before a pulled chunk lands so the chunk applies to hub state.
 * - `hub_staging`: snapshot pages of a bootstrap, kept until every part has arrived and swapped in
 *   at once (a restart in between resumes; the desk keeps its old store meanwhile).
 */
export const m0009HubOutbox: Migration = {
  version: 9,
  name: 'hub-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE hub_outbox (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        mutation_id TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL,
        args        TEXT NOT NULL,
        -- The agent who did it here and the renderer client it came from (for a late refusal's notice).
        agent_id    TEXT NOT NULL,
        client_id   TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        done_seq    INTEGER,
        outcome     TEXT CHECK (outcome IN ('applied', 'rejected')),
        error       TEXT
      );

      CREATE TABLE hub_shadows (
        entity    TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        row       TEXT,
        PRIMARY KEY (entity, entity_id)
      ) WITHOUT ROWID;

      CREATE TABLE hub_staging (
        part      TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        row       TEXT NOT NULL,
        PRIMARY KEY (part, entity_id)
      ) WITHOUT ROWID;
    `);
  },
};
