import type { Mutation } from '../../shared/sync/protocol';
import type { SyncService } from '../services/sync';
import type { Handlers } from './router';

export type SyncMethod = 'sync.pull' | 'sync.push' | 'sync.snapshot';

/** The sync methods, over the sync service (pushed mutations run through the other handlers: see syncMutations.ts). */
export function createSyncHandlers(deps: { sync: SyncService }): Pick<Handlers, SyncMethod> {
  return {
    'sync.pull': ({ cursor, limit }, ctx) => deps.sync.pull(cursor, limit, ctx),
    'sync.push': ({ clientId, mutations }, ctx) => deps.sync.push(clientId, mutations as Mutation[], ctx),
    'sync.snapshot': ({ part, after, limit }, ctx) => deps.sync.snapshot(part, after, limit, ctx.agentId),
  };
}
