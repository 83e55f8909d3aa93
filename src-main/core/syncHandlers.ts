import type { Mutation } from '../../shared/sync/mutations';
import type { SyncService } from '../services/sync';
import type { CallContext, Handlers } from './router';

export type SyncMethod = 'sync.pull' | 'sync.push' | 'sync.snapshot';

/**
 * The sync methods, over the sync service (pushed mutations run through the other handlers: see
 * syncMutations.ts). `ownClient` (on a hub) refuses a client id that belongs to another account's desk.
 */
export function createSyncHandlers(deps: {
  sync: SyncService;
  ownClient?: ((clientId: string, ctx: CallContext) => void) | undefined;
}): Pick<Handlers, SyncMethod> {
  return {
    'sync.pull': ({ cursor, limit }, ctx) => deps.sync.pull(cursor, limit, ctx),
    'sync.push': ({ clientId, mutations }, ctx) => {
      deps.ownClient?.(clientId, ctx);
      return deps.sync.push(clientId, mutations as Mutation[], ctx);
    },
    'sync.snapshot': ({ part, after, limit, scope }, ctx) => deps.sync.snapshot(part, after, limit, ctx.agentId, scope),
  };
}
