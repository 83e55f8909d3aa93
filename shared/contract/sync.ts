import { z } from 'zod';
import {
  PULL_LIMIT_DEFAULT,
  PULL_LIMIT_MAX,
  PUSH_LIMIT_MAX,
  SNAPSHOT_LIMIT_DEFAULT,
  SNAPSHOT_LIMIT_MAX,
  SNAPSHOT_PARTS,
  SNAPSHOT_SCOPE_IDS_MAX,
  type PullResult,
  type PushResult,
  type SnapshotPage,
} from '../sync/protocol';
import { define } from './define';
import { id } from './schemas';

/**
 * Sync (shared/sync): the replica's change feed, outbox and bootstrap. The wire shapes live in
 * shared/sync/protocol.ts; this file only declares the methods that carry them (the contract
 * imports the protocol, never the other way round).
 */
export const syncMethods = {
  /** Changes after the cursor in feed order, and the new cursor; or `reset` when the replica must rebuild. */
  'sync.pull': define<PullResult>()(
    z
      .object({
        cursor: z.number().int().nonnegative(),
        limit: z.number().int().min(1).max(PULL_LIMIT_MAX).default(PULL_LIMIT_DEFAULT),
      })
      .strict(),
  ),
  /**
   * Applies queued mutations in order, each once (a repeated id returns its first answer) in its own
   * transaction; a refused one is recorded with its reason and the next ones still apply.
   */
  'sync.push': define<PushResult>()(
    z
      .object({
        clientId: id,
        mutations: z.array(z.object({ mutationId: id, name: z.string().min(1).max(64), args: z.unknown() }).strict()).max(PUSH_LIMIT_MAX),
      })
      .strict(),
  ),
  /**
   * One page of one part of the replica's bootstrap, keyed after `after`; the buyers' parts for the
   * buyers `scope` names (see SnapshotScope; every buyer when left out).
   */
  'sync.snapshot': define<SnapshotPage>()(
    z
      .object({
        part: z.enum(SNAPSHOT_PARTS),
        after: z.string().max(200).nullable().default(null),
        limit: z.number().int().min(1).max(SNAPSHOT_LIMIT_MAX).default(SNAPSHOT_LIMIT_DEFAULT),
        scope: z.union([z.enum(['all', 'open']), z.array(id).min(1).max(SNAPSHOT_SCOPE_IDS_MAX)]).default('all'),
      })
      .strict(),
  ),
} as const;
