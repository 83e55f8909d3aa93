import type { ErrorCode } from '../../shared/contract/errors';
import type { Statement } from 'better-sqlite3';
import type { Db } from './connection';

export type HubOutboxEntry = {
  seq: number;
  mutationId: string;
  name: string;
  args: unknown;
  agentId: string;
  clientId: string;
  createdAt: number;
  /** Where the hub recorded it (from its push answer or its feed); null until then. */
  doneSeq: number | null;
  outcome: 'applied' | 'rejected' | null;
  error: { code: ErrorCode; message: string } | null;
};

type OutboxRow = {
  seq: number;
  mutation_id: string;
  name: string;
  args: string;
  agent_id: string;
  client_id: string;
  created_at: number;
  done_seq: number | null;
  outcome: 'applied' | 'rejected' | null;
  error: string | null;
};

const toEntry = (r: OutboxRow): HubOutboxEntry => ({
  seq: r.seq,
  mutationId: r.mutation_id,
  name: r.name,
  args: JSON.parse(r.args),
  agentId: r.agent_id,
  clientId: r.client_id,
  createdAt: r.created_at,
  doneSeq: r.done_seq,
  outcome: r.outcome,
  error: r.error === null ? null : (JSON.parse(r.error) as HubOutboxEntry['error']),
});

export type Shadow = { entity: string; id: string; row: unknown };

/**
 * Tier 2's queue and rebase state on a desk (migration 0005): the outbox of actions for the hub, the
 * shadows (the hub's value of each row a pending action changed), and the staging of a bootstrap.
 */
export function hubOutboxQueries(db: Db) {
  // Prepared on first use: a store opened over an older schema (a migration's test) never needs them.
  const cache = new Map<string, Statement<unknown[]>>();
  const st = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare<unknown[]>(sql)));
    return s;
  };
  return {
    add(e: { mutationId: string; name: string; args: unknown; agentId: string; clientId: string; createdAt: number }): void {
      st(
        `INSERT INTO hub_outbox (mutation_id, name, args, agent_id, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(mutation_id) DO NOTHING`,
      ).run(e.mutationId, e.name, JSON.stringify(e.args ?? {}), e.agentId, e.clientId, e.createdAt);
    },
    /** Every entry not yet covered by the cursor, in queue order. */
    all(): HubOutboxEntry[] {
      return (st('SELECT * FROM hub_outbox ORDER BY seq').all() as OutboxRow[]).map(toEntry);
    },
    /** The oldest entries the hub has not answered yet. */
    unsent(limit: number): HubOutboxEntry[] {
      return (st('SELECT * FROM hub_outbox WHERE done_seq IS NULL ORDER BY seq LIMIT ?').all(limit) as OutboxRow[]).map(toEntry);
    },
    count(): number {
      return st('SELECT count(*) FROM hub_outbox').pluck().get() as number;
    },
    /** Notes where the hub recorded a mutation; returns whether this outbox held it. */
    recordOutcome(mutationId: string, seq: number, outcome: 'applied' | 'rejected', error: HubOutboxEntry['error']): boolean {
      return (
        st('UPDATE hub_outbox SET done_seq = ?, outcome = ?, error = ? WHERE mutation_id = ?').run(
          seq,
          outcome,
          error === null ? null : JSON.stringify(error),
          mutationId,
        ).changes > 0
      );
    },
    /** The entries whose hub record the cursor has reached: their effect (or its absence) is in the pulled rows. */
    covered(cursor: number): HubOutboxEntry[] {
      return (st('SELECT * FROM hub_outbox WHERE done_seq IS NOT NULL AND done_seq <= ? ORDER BY seq').all(cursor) as OutboxRow[]).map(
        toEntry,
      );
    },
    remove(seq: number): void {
      st('DELETE FROM hub_outbox WHERE seq = ?').run(seq);
    },

    shadowed(entity: string, id: string): boolean {
      return st('SELECT 1 FROM hub_shadows WHERE entity = ? AND entity_id = ?').pluck().get(entity, id) !== undefined;
    },
    /** Keeps the first shadow of a row: the hub's value from before any pending action touched it. */
    shadow(entity: string, id: string, row: unknown): void {
      st('INSERT INTO hub_shadows (entity, entity_id, row) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(
        entity,
        id,
        row === null ? null : JSON.stringify(row),
      );
    },
    shadows(): Shadow[] {
      return (
        st('SELECT entity, entity_id, row FROM hub_shadows').all() as { entity: string; entity_id: string; row: string | null }[]
      ).map((r) => ({
        entity: r.entity,
        id: r.entity_id,
        row: r.row === null ? null : JSON.parse(r.row),
      }));
    },
    clearShadows(): void {
      st('DELETE FROM hub_shadows').run();
    },

    stage(part: string, id: string, row: unknown): void {
      st(
        'INSERT INTO hub_staging (part, entity_id, row) VALUES (?, ?, ?) ON CONFLICT(part, entity_id) DO UPDATE SET row = excluded.row',
      ).run(part, id, JSON.stringify(row));
    },
    /** Staged rows of one part in key order, a page at a time. */
    staged(part: string, after: string, limit: number): { id: string; row: unknown }[] {
      return (
        st('SELECT entity_id, row FROM hub_staging WHERE part = ? AND entity_id > ? ORDER BY entity_id LIMIT ?').all(
          part,
          after,
          limit,
        ) as { entity_id: string; row: string }[]
      ).map((r) => ({
        id: r.entity_id,
        row: JSON.parse(r.row),
      }));
    },
    /** How many snapshot rows a bootstrap under way has staged. */
    stagedCount(): number {
      return st('SELECT count(*) FROM hub_staging').pluck().get() as number;
    },
    clearStaging(): void {
      st('DELETE FROM hub_staging').run();
    },
  };
}

export type HubOutboxQueries = ReturnType<typeof hubOutboxQueries>;
