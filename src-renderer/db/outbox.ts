import { newId } from '../../shared/domain/ids';
import type { MutationArgs, MutationName } from '../../shared/sync/mutations';
import { runMutator } from './mutators';
import { rebase } from './rebase';
import type { OutboxEntry, ReplicaDb } from './replicaDb';
import { ReplicaWriter } from './writer';

/**
 * An agent's action: written to the outbox and, through its optimistic mutator, to the replica, in
 * one transaction (so it shows at once and survives a reload). Returns the entry as queued.
 */
export async function queueMutation<N extends MutationName>(
  db: ReplicaDb,
  name: N,
  args: MutationArgs<N>,
  now: number,
): Promise<OutboxEntry> {
  const entry: OutboxEntry = { mutationId: newId(), name, args, createdAt: now, status: 'pending' };
  await db.transaction('rw', db.all(), async () => {
    entry.seq = await db.outbox.add(entry);
    await runMutator(new ReplicaWriter(db), entry, await db.getMeta<string | null>('agentId', null));
  });
  return entry;
}

/**
 * A refused reply sent again: a new mutation with the same message id (the core stores a message id
 * once), queued where the old one was dropped, and the bubble back to pending. False when there is
 * no refused reply with that id (already retried, or never refused).
 */
export async function requeueRejectedSend(db: ReplicaDb, messageId: string, now: number): Promise<boolean> {
  return db.transaction('rw', db.all(), async () => {
    const old = (await db.outbox.toArray()).find((e) => e.name === 'messages.send' && (e.args as { id: string }).id === messageId);
    if (!old || old.status !== 'rejected') return false;
    await rebase(db, async () => {
      await db.outbox.delete(old.seq!);
      await db.outbox.add({ mutationId: newId(), name: old.name, args: old.args, createdAt: now, status: 'pending' });
    });
    return true;
  });
}
