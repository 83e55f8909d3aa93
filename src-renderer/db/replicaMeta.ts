import type { ReplicaDb } from './replicaDb';

export type ReplicaPosition = { cursor: number | null; feedId: string | null; protocol: number | null };

/** Where the replica stands in the core's feed (null: not known, the replica needs a rebuild). */
export async function readPosition(db: ReplicaDb): Promise<ReplicaPosition> {
  const [cursor, feedId, protocol] = await db.meta.bulkGet(['cursor', 'feedId', 'protocol']);
  return {
    cursor: (cursor?.value as number | undefined) ?? null,
    feedId: (feedId?.value as string | undefined) ?? null,
    protocol: (protocol?.value as number | undefined) ?? null,
  };
}
