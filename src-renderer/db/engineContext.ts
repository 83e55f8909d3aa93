import type { ContractError, Result } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { PULL_LIMIT_DEFAULT, PUSH_LIMIT_MAX, SNAPSHOT_LIMIT_DEFAULT } from '../../shared/sync/protocol';
import type { ConnectionState } from '../ipc/client';
import { deskLog } from '../ipc/log';
import type { ReplicaDb } from './replicaDb';
import type { SyncStatus } from './syncStatus';

/** What the engine needs of a transport: the contract's calls and events (the renderer's Client has them). */
export type SyncTransport = {
  call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  onConnection?(listener: (state: ConnectionState) => void): () => void;
};

export type SyncEngineOptions = {
  pullLimit?: number;
  snapshotLimit?: number;
  pushBatch?: number;
  /** Back-off of failed pulls and pushes. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A pull now and then even without a poke (a lost event must not leave the desk stale); 0 turns it off. */
  pollMs?: number;
  random?: () => number;
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
  /** Called with every cursor the replica commits (tests check it never goes back). */
  onCursor?: (cursor: number) => void;
};

const syncLog = deskLog.child('sync');

export type ResolvedOptions = Required<Omit<SyncEngineOptions, 'onCursor'>> & Pick<SyncEngineOptions, 'onCursor'>;

/** A refusal that came back through the transport (as opposed to a bug in the engine). */
export class TransportError extends Error {
  constructor(readonly error: ContractError) {
    super(`${error.code}: ${error.message}`);
  }
}

/**
 * What every seam of the engine shares: the replica, the options, a guarded call to the core, the
 * status the desk reads, and whether the engine has stopped. Each seam (pull, rebuild, push, outbox,
 * account) is a small object over this.
 */
export type EngineContext = {
  readonly db: ReplicaDb;
  readonly opts: ResolvedOptions;
  readonly status: SyncStatus;
  stopped(): boolean;
  /** A contract call that throws TransportError on a refusal, and once the engine has stopped. */
  call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<ResultOf<M>>;
};

export function resolveOptions(options: SyncEngineOptions): ResolvedOptions {
  return {
    pullLimit: options.pullLimit ?? PULL_LIMIT_DEFAULT,
    snapshotLimit: options.snapshotLimit ?? SNAPSHOT_LIMIT_DEFAULT,
    pushBatch: Math.min(options.pushBatch ?? 100, PUSH_LIMIT_MAX),
    retryBaseMs: options.retryBaseMs ?? 250,
    retryMaxMs: options.retryMaxMs ?? 10_000,
    pollMs: options.pollMs ?? 30_000,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    log: options.log ?? syncLog.error,
    onCursor: options.onCursor,
  };
}

/** The guarded call: a stopped engine (a reloaded page, a closed window) writes nothing more, whatever comes back. */
export function guardedCall(transport: SyncTransport, stopped: () => boolean): EngineContext['call'] {
  return async (method, args) => {
    if (stopped()) throw new TransportError({ code: 'unavailable', message: 'stopped' });
    const result = await transport.call(method, args);
    if (stopped()) throw new TransportError({ code: 'unavailable', message: 'stopped' });
    if (!result.ok) throw new TransportError(result.error);
    return result.value;
  };
}
