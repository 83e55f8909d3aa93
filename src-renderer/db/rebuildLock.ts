import type { ReplicaDb } from './replicaDb';

/** A rebuild marker this old belongs to a window that went away (a live rebuild renews it every page). */
export const REBUILD_TAKEOVER_MS = 5_000;

export type RebuildMarker = { id: string; at: number };

/**
 * The window lock of a rebuild. Several windows may share one replica; only one rebuilds it at a
 * time. The marker in `meta` says whose rebuild it is and when it last made progress: another
 * window's fresh marker means wait, a stale one (its window went away) may be taken over.
 */
export function heldByAnother(marker: RebuildMarker | null, id: string, now: number): boolean {
  return marker !== null && marker.id !== id && now - marker.at < REBUILD_TAKEOVER_MS;
}

export function readMarker(db: ReplicaDb): Promise<RebuildMarker | null> {
  return db.getMeta<RebuildMarker | null>('rebuild', null);
}

/** Whether the rebuild `id` still holds the lock (use inside the transaction that writes for it). */
export async function holdsLock(db: ReplicaDb, id: string): Promise<boolean> {
  return (await readMarker(db))?.id === id;
}

/** Marks progress, so other windows keep waiting (inside the caller's transaction). */
export function renewLock(db: ReplicaDb, id: string, now: number): Promise<unknown> {
  return db.setMeta('rebuild', { id, at: now } satisfies RebuildMarker);
}

/** Gives the lock up, if it is still `id`'s (its own transaction). */
export function releaseLock(db: ReplicaDb, id: string): Promise<void> {
  return db.transaction('rw', db.meta, async () => {
    if (await holdsLock(db, id)) await db.meta.delete('rebuild');
  });
}
