import type { ContractError } from '../../shared/contract/errors';
import { isMutationName } from '../../shared/sync/mutations';
import { MESSAGES_PER_CONVERSATION, type PushOutcome } from '../../shared/sync/protocol';
import type { ReplicaPlan } from '../../shared/sync/plan';
import { REPLICA_TABLES, type ReplicaTable, type RowKey } from '../../shared/sync/replica';
import { runMutator } from './mutators';
import type { OutboxEntry, ReplicaDb } from './replicaDb';
import { ReplicaWriter, restoreShadows } from './writer';

/** The replica keeps a conversation's newest messages; past this many it trims back to MESSAGES_PER_CONVERSATION. */
export const TRIM_MESSAGES_ABOVE = MESSAGES_PER_CONVERSATION * 2;

/** Writes a plan's rows (bulk per table), inside the caller's transaction. */
export async function executePlan(db: ReplicaDb, plan: ReplicaPlan): Promise<void> {
  for (const table of REPLICA_TABLES) {
    const writes = [...plan.writes[table].values()] as { key: RowKey; row: unknown }[];
    if (writes.length === 0) continue;
    const puts = writes.filter((w) => w.row !== null).map((w) => w.row);
    const deletes = writes.filter((w) => w.row === null).map((w) => w.key);
    const t = db.replica(table as ReplicaTable);
    if (deletes.length > 0) await t.bulkDelete(deletes);
    if (puts.length > 0) await t.bulkPut(puts as never[]);
  }
  if (plan.dropMessagesOf.size > 0)
    await db.messages
      .where('conversationId')
      .anyOf([...plan.dropMessagesOf])
      .delete();
  for (const conversationId of plan.messagesAddedTo) await trimMessages(db, conversationId);
}

/** Keeps a conversation's newest messages only (older pages come from the core when the agent scrolls up). */
export async function trimMessages(db: ReplicaDb, conversationId: string): Promise<void> {
  const range = db.messages.where('[conversationId+createdAt]').between([conversationId, -Infinity], [conversationId, Infinity]);
  const count = await range.count();
  if (count <= TRIM_MESSAGES_ABOVE) return;
  const oldest = await range.limit(count - MESSAGES_PER_CONVERSATION).primaryKeys();
  await db.messages.bulkDelete(oldest);
}

/** Notes where the core recorded each mutation (from a pulled change or a push answer). */
export async function recordOutcomes(
  db: ReplicaDb,
  outcomes: {
    mutationId: string;
    status: 'applied' | 'rejected';
    seq: number;
    error: { code: ContractError['code']; message: string } | null;
  }[],
): Promise<void> {
  if (outcomes.length === 0) return;
  const byId = new Map(outcomes.map((o) => [o.mutationId, o]));
  await db.outbox
    .where('mutationId')
    .anyOf([...byId.keys()])
    .modify((entry) => {
      const o = byId.get(entry.mutationId);
      if (!o) return;
      entry.doneSeq = o.seq;
      entry.outcome = o.status;
      entry.error = o.error;
    });
}

/**
 * A mutation the core applied and this desk already settled, refused later (tier 2: the team hub
 * said no; the core undid it and says so with the arguments). A reply comes back as failed with its
 * retry; any other action becomes a notice. One still in the outbox is left to `recordOutcomes`.
 */
export async function recordLateRefusals(
  db: ReplicaDb,
  outcomes: {
    mutationId: string;
    name: string;
    status: 'applied' | 'rejected';
    seq: number;
    error: { code: ContractError['code']; message: string } | null;
    args?: unknown;
  }[],
  now: number,
): Promise<void> {
  const late = outcomes.filter((o) => o.status === 'rejected' && o.args !== undefined && isMutationName(o.name));
  if (late.length === 0) return;
  const held = new Set(
    (
      await db.outbox
        .where('mutationId')
        .anyOf(late.map((o) => o.mutationId))
        .toArray()
    ).map((e) => e.mutationId),
  );
  for (const o of late) {
    if (held.has(o.mutationId) || !isMutationName(o.name)) continue;
    const error = o.error ?? { code: 'internal' as const, message: 'refused' };
    if (o.name === 'messages.send') {
      await db.outbox.add({
        mutationId: o.mutationId,
        name: o.name,
        args: o.args,
        createdAt: now,
        status: 'rejected',
        doneSeq: o.seq,
        outcome: 'rejected',
        error,
      });
    } else {
      await db.notices.add({ name: o.name, args: o.args, error, at: now });
    }
  }
}

export function pushOutcomes(results: PushOutcome[]) {
  return results.map((r) => ({ mutationId: r.mutationId, status: r.status, seq: r.seq, error: r.error }));
}

/**
 * Drops the outbox entries the replica's cursor has covered: their effect is now in the pulled rows.
 * A refused reply stays, marked rejected, to show as failed with a retry; any other refused action
 * becomes a notice for the desk to show.
 */
export async function settle(db: ReplicaDb, cursor: number): Promise<void> {
  const done = (await db.outbox.toArray()).filter((e) => e.status === 'pending' && e.doneSeq !== undefined && e.doneSeq <= cursor);
  for (const entry of done) {
    if (entry.outcome === 'applied') {
      await db.outbox.delete(entry.seq!);
    } else if (entry.name === 'messages.send') {
      await db.outbox.update(entry.seq!, { status: 'rejected' });
    } else {
      await db.outbox.delete(entry.seq!);
      await db.notices.add({
        name: entry.name,
        args: entry.args,
        error: entry.error ?? { code: 'internal', message: 'refused' },
        at: Date.now(),
      });
    }
  }
}

/**
 * One rebase, inside the caller's transaction over every table: the shadowed rows go back to their
 * server values, `work` writes what the core said (a pulled chunk, a snapshot page, new outcomes),
 * the entries the cursor `settleAt` covers leave the outbox, and what is still pending is played
 * again on top. This is how the agent's pending actions stay visible whatever arrives.
 */
export async function rebase(db: ReplicaDb, work: () => Promise<void>, settleAt: number | null = null): Promise<void> {
  await restoreShadows(db);
  await work();
  if (settleAt !== null) await settle(db, settleAt);
  await replay(db);
}

/** Plays the outbox again on top of server state, in queue order (refused replies as failed bubbles). */
export async function replay(db: ReplicaDb): Promise<void> {
  const agentId = await db.getMeta<string | null>('agentId', null);
  const writer = new ReplicaWriter(db);
  const entries: OutboxEntry[] = await db.outbox.orderBy('seq').toArray();
  for (const entry of entries) await runMutator(writer, entry, agentId);
}
