import type { ErrorCode } from '../../shared/contract/errors';
import type { MutationRecord } from '../../shared/sync/protocol';
import type { ChangeQueries } from './changes';
import type { Db } from './connection';

export type MutationRow = {
  mutation_id: string;
  client_id: string;
  name: string;
  status: 'applied' | 'rejected';
  result: string | null;
  error: string | null;
  applied_at: number;
  seq: number | null;
};

export type StoredMutation = MutationRecord & { seq: number; result: unknown };

/**
 * Mutations the core has processed (applied or refused), so a repeated push is a no-op that gives
 * the first answer. Each record also goes into the change feed: the change that tells a replica its
 * outbox entry is done.
 */
export function mutationQueries(db: Db, changes: ChangeQueries) {
  const byId = db.prepare('SELECT * FROM mutations WHERE mutation_id = ?');
  // Prepared on first use: a store opened over an older schema (a migration's test) never needs it.
  let insertStmt: ReturnType<Db['prepare']> | undefined;
  const insert = () =>
    (insertStmt ??= db.prepare(
      `INSERT INTO mutations (mutation_id, client_id, name, status, result, error, applied_at, seq)
       VALUES (@mutation_id, @client_id, @name, @status, @result, @error, @applied_at, @seq)`,
    ));
  let rejectStmt: ReturnType<typeof db.prepare<unknown[]>> | undefined;
  const ofClient = db.prepare('SELECT * FROM mutations WHERE client_id = ? ORDER BY applied_at, rowid');

  function toStored(r: MutationRow): StoredMutation {
    return {
      mutationId: r.mutation_id,
      clientId: r.client_id,
      name: r.name,
      status: r.status,
      error: r.error === null ? null : (JSON.parse(r.error) as { code: ErrorCode; message: string }),
      seq: r.seq ?? 0,
      result: r.result === null ? undefined : JSON.parse(r.result),
    };
  }

  return {
    get(mutationId: string): StoredMutation | undefined {
      const r = byId.get(mutationId) as MutationRow | undefined;
      return r && toStored(r);
    },
    /** Records the outcome (inside the mutation's own transaction) and returns its feed seq. */
    record(m: MutationRecord & { result: unknown }, at: number): number {
      const record: MutationRecord = { mutationId: m.mutationId, clientId: m.clientId, name: m.name, status: m.status, error: m.error };
      const seq = changes.append('mutation', m.mutationId, 'upsert', record, at);
      insert().run({
        mutation_id: m.mutationId,
        client_id: m.clientId,
        name: m.name,
        status: m.status,
        result: m.result === undefined ? null : JSON.stringify(m.result),
        error: m.error === null ? null : JSON.stringify(m.error),
        applied_at: at,
        seq,
      });
      return seq;
    },
    /**
     * A mutation this store applied and recorded is refused after all (tier 2: the hub said no): the
     * record turns rejected and a new `mutation` change tells the client, with the arguments so the
     * desk can show what was refused (a reply as failed, with its retry).
     */
    rejectLate(mutationId: string, error: { code: ErrorCode; message: string }, args: unknown, at: number): boolean {
      const r = byId.get(mutationId) as MutationRow | undefined;
      if (!r) return false;
      const seq = changes.append(
        'mutation',
        mutationId,
        'upsert',
        { mutationId, clientId: r.client_id, name: r.name, status: 'rejected', error, args } satisfies MutationRecord,
        at,
      );
      (rejectStmt ??= db.prepare<unknown[]>(
        "UPDATE mutations SET status = 'rejected', error = ?, result = NULL, seq = ? WHERE mutation_id = ?",
      )).run(JSON.stringify(error), seq, mutationId);
      return true;
    },
    /** A client's mutations in the order the core processed them (tests and audits). */
    ofClient(clientId: string): StoredMutation[] {
      return (ofClient.all(clientId) as MutationRow[]).map(toStored);
    },
  };
}

export type MutationQueries = ReturnType<typeof mutationQueries>;
