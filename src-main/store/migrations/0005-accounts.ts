import type { Migration } from './index';

/**
 * Real accounts for the team hub (issue 12): an agent may carry a password hash (scrypt, in the
 * self-describing form `scrypt$N$r$p$salt$hash`) and be disabled; sign-ins are `sessions` rows keyed
 * by the sha256 of their token (the token itself is shown once to the client and never stored); and
 * each sync client id belongs to the agent who first pushed with it, so no desk can push as another's.
 */
export const m0005Accounts: Migration = {
  version: 5,
  name: 'accounts',
  up(db) {
    db.exec(`
      ALTER TABLE agents ADD COLUMN password_hash TEXT;
      ALTER TABLE agents ADD COLUMN disabled_at INTEGER;

      CREATE TABLE sessions (
        id           TEXT PRIMARY KEY,
        token_hash   TEXT NOT NULL UNIQUE,
        agent_id     TEXT NOT NULL REFERENCES agents(id),
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        revoked_at   INTEGER
      );
      CREATE INDEX sessions_agent ON sessions(agent_id, revoked_at);

      CREATE TABLE sync_clients (
        client_id     TEXT PRIMARY KEY,
        agent_id      TEXT NOT NULL REFERENCES agents(id),
        first_seen_at INTEGER NOT NULL
      );
    `);
  },
};
