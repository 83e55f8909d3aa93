/**
 * Cursor rules. A cursor is the feed `seq` a replica has applied up to (0: nothing yet). It moves
 * only forward, and only together with the changes it stands for (one transaction on the client).
 */

/** The cursor after applying a pulled chunk: never behind the current one, whatever arrives. */
export function advanceCursor(current: number, pulled: number): number {
  return pulled > current ? pulled : current;
}

/**
 * Whether a pulled chunk may be applied to a replica at `current`: it must start exactly there
 * (a late answer to an older pull, or a duplicate, is dropped and the client pulls again) and come
 * from the same feed.
 */
export function chunkFits(current: number, requestedFrom: number, feedId: string, replicaFeedId: string | null): boolean {
  return requestedFrom === current && (replicaFeedId === null || replicaFeedId === feedId);
}

/** Whether a replica needs a rebuild before it can pull at all. */
export function needsRebuild(
  replica: { cursor: number | null; feedId: string | null; protocol: number | null },
  protocol: number,
): boolean {
  return replica.cursor === null || replica.feedId === null || replica.protocol !== protocol;
}

/** A server-side answer to "pull after `cursor`" when the feed keeps only seqs above `floor`. */
export function pullVerdict(cursor: number, floor: number, head: number): 'ok' | 'expired' | 'ahead' {
  if (cursor > head) return 'ahead';
  if (cursor < floor) return 'expired';
  return 'ok';
}
