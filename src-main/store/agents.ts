import type { Agent, AgentRole, AgentState } from '../../shared/domain/types';
import type { Db } from './connection';

export type AgentRow = { id: string; nick: string; role: AgentRole; state: AgentState; created_at: number };

function toAgent(r: AgentRow): Agent {
  return { id: r.id, nick: r.nick, role: r.role, state: r.state };
}

export function agentQueries(db: Db) {
  const insert = db.prepare(
    'INSERT INTO agents (id, nick, role, state, created_at) VALUES (@id, @nick, @role, @state, @created_at) ON CONFLICT(id) DO NOTHING',
  );
  const byId = db.prepare('SELECT * FROM agents WHERE id = ?');
  const setState = db.prepare('UPDATE agents SET state = ? WHERE id = ?');
  const all = db.prepare('SELECT * FROM agents ORDER BY created_at, rowid');
  return {
    list(): Agent[] {
      return (all.all() as AgentRow[]).map(toAgent);
    },
    setState(id: string, state: AgentState): void {
      setState.run(state, id);
    },
    insert(row: AgentRow): void {
      insert.run(row);
    },
    get(id: string): Agent | undefined {
      const r = byId.get(id) as AgentRow | undefined;
      return r && toAgent(r);
    },
  };
}
