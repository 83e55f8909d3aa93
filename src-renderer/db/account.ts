import type { ReplicaDb } from './replicaDb';

/**
 * The agent at this desk. The first one is just noted (an answered conversation becomes theirs in
 * the replica at once); another account signing in has other personal phrases, so the replica is
 * marked for a rebuild from a snapshot for it (the outbox is kept and rebased, as in any rebuild).
 * Returns whether a rebuild is due.
 */
export async function setDeskAgent(db: ReplicaDb, agentId: string): Promise<boolean> {
  return db.transaction('rw', db.meta, async () => {
    const before = await db.getMeta<string | null>('agentId', null);
    await db.setMeta('agentId', agentId);
    if (before === null || before === agentId) return false;
    await db.meta.bulkDelete(['cursor', 'ready']);
    return true;
  });
}

/** Another account signed in: the replica is rebuilt for it whoever was here before. */
export async function markForAccount(db: ReplicaDb, agentId: string): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    await db.setMeta('agentId', agentId);
    await db.meta.bulkDelete(['cursor', 'ready']);
  });
}
