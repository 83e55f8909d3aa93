import type { Statement } from 'better-sqlite3';
import type { AgentRole } from '../../shared/domain/types';
import type { Db } from './connection';

/** An account as the hub keeps it: the agent row with its password hash and whether it is disabled. */
export type AccountRow = {
  id: string;
  nick: string;
  role: AgentRole;
  state: 'online' | 'busy' | 'offline';
  created_at: number;
  password_hash: string | null;
  disabled_at: number | null;
};

export type SessionRow = {
  id: string;
  token_hash: string;
  agent_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
};

/**
 * Accounts, sign-in sessions and which agent each sync client belongs to (the hub's side of issue 12).
 * Tokens are looked up by their sha256 only; the token itself never reaches this file.
 */
export function accountQueries(db: Db) {
  // Prepared on first use: a store opened over an older schema (a migration's test) never needs them.
  const cache = new Map<string, Statement<unknown[]>>();
  const stmt = (sql: string): Statement<unknown[]> => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare<unknown[]>(sql)));
    return s;
  };
  return {
    get(id: string): AccountRow | undefined {
      return stmt('SELECT * FROM agents WHERE id = ?').get(id) as AccountRow | undefined;
    },
    byNick(nick: string): AccountRow | undefined {
      return stmt('SELECT * FROM agents WHERE nick = ?').get(nick) as AccountRow | undefined;
    },
    list(): AccountRow[] {
      return stmt('SELECT * FROM agents ORDER BY created_at, rowid').all() as AccountRow[];
    },
    /** Whether any owner account can sign in (has a password): the hub's shop has been set up. */
    hasOwner(): boolean {
      return stmt("SELECT 1 FROM agents WHERE role = 'owner' AND password_hash IS NOT NULL LIMIT 1").get() !== undefined;
    },
    /** A new account; false when the id or the nick is taken (nothing written). */
    insert(row: Omit<AccountRow, 'disabled_at'>): boolean {
      const sql = `INSERT INTO agents (id, nick, role, state, created_at, password_hash)
                   VALUES (@id, @nick, @role, @state, @created_at, @password_hash) ON CONFLICT DO NOTHING`;
      return stmt(sql).run(row).changes === 1;
    },
    setPassword(id: string, hash: string): boolean {
      return stmt('UPDATE agents SET password_hash = ? WHERE id = ?').run(hash, id).changes === 1;
    },
    disable(id: string, at: number): boolean {
      return stmt('UPDATE agents SET disabled_at = coalesce(disabled_at, ?) WHERE id = ?').run(at, id).changes === 1;
    },

    addSession(row: Omit<SessionRow, 'revoked_at'>): void {
      stmt(
        'INSERT INTO sessions (id, token_hash, agent_id, created_at, expires_at) VALUES (@id, @token_hash, @agent_id, @created_at, @expires_at)',
      ).run(row);
    },
    sessionByTokenHash(tokenHash: string): SessionRow | undefined {
      return stmt('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as SessionRow | undefined;
    },
    session(id: string): SessionRow | undefined {
      return stmt('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    },
    revokeSession(id: string, at: number): void {
      stmt('UPDATE sessions SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(at, id);
    },
    /** Revokes every live session of the agent but `except`; returns their ids. */
    revokeSessionsOf(agentId: string, at: number, except = ''): string[] {
      const ids = stmt('SELECT id FROM sessions WHERE agent_id = ? AND revoked_at IS NULL AND id <> ?')
        .pluck()
        .all(agentId, except) as string[];
      stmt('UPDATE sessions SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL AND id <> ?').run(at, agentId, except);
      return ids;
    },
    /** Forgets sessions that ended (expired or revoked) before `before`, so the table stays bounded. */
    pruneSessions(before: number): number {
      return stmt('DELETE FROM sessions WHERE expires_at < @before OR revoked_at < @before').run({ before }).changes;
    },

    /** The agent a sync client id belongs to, claiming it for `agentId` on first use. */
    claimClient(clientId: string, agentId: string, at: number): string {
      stmt('INSERT INTO sync_clients (client_id, agent_id, first_seen_at) VALUES (?, ?, ?) ON CONFLICT(client_id) DO NOTHING').run(
        clientId,
        agentId,
        at,
      );
      return stmt('SELECT agent_id FROM sync_clients WHERE client_id = ?').pluck().get(clientId) as string;
    },
  };
}

export type AccountQueries = ReturnType<typeof accountQueries>;
