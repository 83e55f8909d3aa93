import type { AgentRole, AgentState, TeamAgent } from '../../shared/domain/types';
import { MAX_OPEN_DEFAULT } from '../../shared/domain/routing';
import type { ChangeQueries } from './changes';
import type { Db } from './connection';

export type AgentRow = { id: string; nick: string; role: AgentRole; state: AgentState; created_at: number; max_open?: number };

type StoredAgent = AgentRow & { max_open: number; present: number; disabled_at: number | null };

function toAgent(r: StoredAgent): TeamAgent {
  return {
    id: r.id,
    nick: r.nick,
    role: r.role,
    state: r.state,
    present: r.present === 1,
    maxOpen: r.max_open ?? MAX_OPEN_DEFAULT,
    disabled: r.disabled_at !== null && r.disabled_at !== undefined,
  };
}

/**
 * The shop's accounts as the team sees them (the roster). Every change of a row the team sees (state,
 * presence, maximum, a new or disabled account) appends an `agent` row to the change feed, so every
 * desk's replica knows who is online and how loaded, live.
 */
export function agentQueries(db: Db, changes: ChangeQueries) {
  // Prepared on first use: a store opened over an older schema (a migration's test) lacks the routing columns.
  let prepared: ReturnType<typeof prepare> | undefined;
  const s = () => (prepared ??= prepare());
  const prepare = () => ({
    insert: db.prepare(
      `INSERT INTO agents (id, nick, role, state, created_at, max_open) VALUES (@id, @nick, @role, @state, @created_at, @max_open)
       ON CONFLICT(id) DO NOTHING`,
    ),
    byId: db.prepare('SELECT * FROM agents WHERE id = ?'),
    setState: db.prepare('UPDATE agents SET state = ? WHERE id = ? AND state <> ?'),
    setPresent: db.prepare('UPDATE agents SET present = ? WHERE id = ? AND present <> ?'),
    setMaxOpen: db.prepare('UPDATE agents SET max_open = ? WHERE id = ? AND max_open <> ?'),
    presentIds: db.prepare('SELECT id FROM agents WHERE present = 1').pluck(),
    ids: db.prepare('SELECT id FROM agents').pluck(),
    roster: db.prepare('SELECT id, state, max_open, disabled_at FROM agents ORDER BY created_at, rowid').raw(),
    all: db.prepare('SELECT * FROM agents ORDER BY created_at, rowid'),
    openCountOf: db.prepare(`SELECT count(*) FROM conversations WHERE agent_id = ? AND status = 'open'`).pluck(),
    routingCheck: db
      .prepare(
        `SELECT state, max_open, disabled_at, (SELECT count(*) FROM conversations c WHERE c.agent_id = a.id AND c.status = 'open')
         FROM agents a WHERE a.id = ?`,
      )
      .raw(),
  });

  function get(id: string): TeamAgent | undefined {
    const r = s().byId.get(id) as StoredAgent | undefined;
    return r && toAgent(r);
  }

  /** Appends the agent's row as it is now to the feed (call inside the write's transaction). */
  function record(id: string, at: number): void {
    const agent = get(id);
    if (agent) changes.append('agent', id, 'upsert', agent, at);
  }

  return {
    list(): TeamAgent[] {
      return (s().all.all() as StoredAgent[]).map(toAgent);
    },
    get,
    /** Every account's id, in one statement (presence asks at each buyer message). */
    ids(): Set<string> {
      return new Set(s().ids.all() as string[]);
    },
    record,
    /** The agent's chosen state; returns true when it changed (and was recorded). */
    setState(id: string, state: AgentState, at: number): boolean {
      if (s().setState.run(state, id, state).changes === 0) return false;
      record(id, at);
      return true;
    },
    /**
     * Marks exactly these agents as signed in at a connected desk (every other one as not), recording
     * each row that changed. Returns how many did.
     */
    setPresent(present: ReadonlySet<string>, at: number): number {
      const was = new Set(s().presentIds.all() as string[]);
      let changed = 0;
      for (const id of [...new Set([...was, ...present])].sort()) {
        const now = present.has(id) ? 1 : 0;
        if (s().setPresent.run(now, id, now).changes > 0) {
          record(id, at);
          changed += 1;
        }
      }
      return changed;
    },
    /** Routing's maximum of open conversations for these agents (ids that name nobody change nothing). */
    setMaxOpen(ids: readonly string[], maxOpen: number, at: number): void {
      for (const id of new Set(ids)) if (s().setMaxOpen.run(maxOpen, id, maxOpen).changes > 0) record(id, at);
    },
    /** What routing reads of the roster at each new buyer, in its order: only the columns it needs, as arrays (no row objects). */
    routingRoster(): { id: string; state: AgentState; maxOpen: number; disabled: boolean }[] {
      return (s().roster.all() as [string, AgentState, number | null, number | null][]).map(([id, state, maxOpen, disabledAt]) => ({
        id,
        state,
        maxOpen: maxOpen ?? MAX_OPEN_DEFAULT,
        disabled: disabledAt !== null,
      }));
    },
    /** One agent's open conversations (the partial index conversations_agent_open: at most their maximum rows). */
    openCountOf(id: string): number {
      return s().openCountOf.get(id) as number;
    },
    /** One agent's routing row and open conversations as they are now, in one read (routing checks its choice with it). */
    routingCheck(id: string): { state: AgentState; maxOpen: number; disabled: boolean; open: number } | undefined {
      const r = s().routingCheck.get(id) as [AgentState, number | null, number | null, number] | undefined;
      return r && { state: r[0], maxOpen: r[1] ?? MAX_OPEN_DEFAULT, disabled: r[2] !== null, open: r[3] };
    },
    insert(row: AgentRow): void {
      if (s().insert.run({ ...row, max_open: row.max_open ?? MAX_OPEN_DEFAULT }).changes > 0) record(row.id, row.created_at);
    },
  };
}
