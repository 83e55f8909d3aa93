import type { ContractError } from '../../shared/contract/errors';
import type { MutationArgs, MutationName } from '../../shared/sync/mutations';
import { markForAccount, setDeskAgent } from './account';
import { BuyerFill } from './buyers';
import {
  guardedCall,
  resolveOptions,
  TransportError,
  type EngineContext,
  type ResolvedOptions,
  type SyncEngineOptions,
  type SyncTransport,
} from './engineContext';
import { queueMutation, requeueRejectedSend } from './outbox';
import { Puller } from './pull';
import { Pusher } from './push';
import { Rebuilder } from './rebuild';
import type { ReplicaDb } from './replicaDb';
import { Runner, type RunOutcome } from './runner';
import { SyncStatus } from './syncStatus';

export type { SyncEngineOptions, SyncTransport } from './engineContext';

/**
 * Keeps a replica in step with the core: bootstraps it from a snapshot (rebuild.ts), pulls changes in
 * chunks, each applied in one transaction with its cursor and the outbox rebased on top (pull.ts,
 * rebase.ts), and pushes the outbox in order (push.ts), each kind of work in its own retry runner
 * (runner.ts). `mutate` is how the desk changes anything the replica holds (outbox.ts, mutators.ts).
 * This class only wires those together and owns the lifecycle.
 */
export class SyncEngine {
  private readonly opts: ResolvedOptions;
  private readonly status = new SyncStatus();
  private readonly rebuilder: Rebuilder;
  private readonly pulls: Runner;
  private readonly pushes: Runner;
  private readonly unsubscribe: (() => void)[] = [];
  /** The last cursor committed (in memory: pokes compare with it). */
  private cursor = 0;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;

  constructor(
    readonly db: ReplicaDb,
    private readonly transport: SyncTransport,
    options: SyncEngineOptions = {},
  ) {
    this.opts = resolveOptions(options);
    const ctx: EngineContext = {
      db,
      opts: this.opts,
      status: this.status,
      stopped: () => this.stopped,
      call: guardedCall(transport, () => this.stopped),
    };
    const commitCursor = (cursor: number) => {
      this.cursor = cursor;
      this.opts.onCursor?.(cursor);
    };
    const buyers = new BuyerFill(ctx);
    this.rebuilder = new Rebuilder(ctx, (cursor) => {
      buyers.rebuilt();
      commitCursor(cursor);
    });
    const puller = new Puller(ctx, this.rebuilder, commitCursor, buyers);
    const pusher = new Pusher(ctx, () => this.pulls.request());
    this.pulls = this.runner(() => puller.pullOnce(), 'pull');
    this.pushes = this.runner(() => pusher.pushOnce(), 'push');
  }

  private runner(work: () => Promise<RunOutcome>, what: string): Runner {
    return new Runner(work, {
      random: this.opts.random,
      baseMs: this.opts.retryBaseMs,
      maxMs: this.opts.retryMaxMs,
      onError: (error) => {
        if (!(error instanceof TransportError)) this.opts.log(`${what} failed`, error);
        const reported: ContractError =
          error instanceof TransportError
            ? error.error
            : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
        if (reported.code !== 'unavailable') this.status.setError(reported);
      },
    });
  }

  /** Starts syncing: pull (or bootstrap) and push now, then on pokes, reconnects and now and then. */
  start(): void {
    this.unsubscribe.push(
      this.transport.on('sync.poked', ({ head }) => {
        if (head > this.cursor) this.pulls.request();
      }),
    );
    if (this.transport.onConnection) {
      this.unsubscribe.push(
        this.transport.onConnection((state) => {
          if (state !== 'open') return;
          this.pulls.wake();
          this.pushes.wake();
        }),
      );
    }
    if (this.opts.pollMs > 0) this.pollTimer = setInterval(() => this.pulls.request(), this.opts.pollMs);
    this.pulls.request();
    this.pushes.request();
  }

  stop(): void {
    this.stopped = true;
    this.rebuilder.stop();
    for (const u of this.unsubscribe.splice(0)) u();
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pulls.stop();
    this.pushes.stop();
  }

  /** Pull and push now. */
  sync(): void {
    this.pulls.request();
    this.pushes.request();
  }

  /** Resolves once nothing is running or requested (the outbox may still hold entries). */
  async idle(): Promise<void> {
    while (this.pulls.busy || this.pushes.busy) await Promise.all([this.pulls.idle(), this.pushes.idle()]);
  }

  /** What went wrong last (null when syncing works), for the desk to say. */
  error(): ContractError | null {
    return this.status.error();
  }

  /** Why the core could not save the desk's actions (its disk is full or its folder read-only); null when it can. */
  storeFault(): ContractError | null {
    return this.status.storeFault();
  }

  /** Why the last desk action could not be saved locally, until one is saved again (null: none). */
  localFailure(): ContractError | null {
    return this.status.localFailure();
  }

  onStatus(listener: () => void): () => void {
    return this.status.onChange(listener);
  }

  /** A desk action could not even be written locally (storage full, IndexedDB broken): say so. */
  reportLocalFailure(error: unknown): void {
    this.opts.log('a desk action could not be saved locally', error);
    this.status.setLocalFailure({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
  }

  /** The agent at this desk: an answered conversation becomes theirs in the replica at once. */
  async setAgent(agentId: string): Promise<void> {
    const rebuild = await this.whileOpen(() => setDeskAgent(this.db, agentId), false);
    if (rebuild) this.pulls.request();
  }

  /** Another account signed in at this desk: the replica is rebuilt for it (its personal phrases differ). */
  async switchAccount(agentId: string): Promise<void> {
    await markForAccount(this.db, agentId);
    this.pulls.request();
  }

  /**
   * An agent's action: written to the replica and to the outbox in one transaction (so it shows at
   * once and survives a reload), then pushed. Returns the mutation's id (null: the engine stopped).
   */
  async mutate<N extends MutationName>(name: N, args: MutationArgs<N>): Promise<string | null> {
    const entry = await this.whileOpen(() => queueMutation(this.db, name, args, this.opts.now()), null);
    if (!entry) return null;
    this.status.setLocalFailure(null);
    this.pushes.request();
    return entry.mutationId;
  }

  /** Sends a refused reply again: a new mutation with the same message id (the core stores a message id once). */
  async retrySend(messageId: string): Promise<void> {
    await this.whileOpen(() => requeueRejectedSend(this.db, messageId, this.opts.now()), false);
    this.pushes.request();
  }

  /**
   * Work on the replica from the desk. Once the engine has stopped (the desk unmounted, the window
   * closing) its database gets closed: what fails then was still on the way and is dropped quietly
   * rather than reported (nothing was shown to the agent).
   */
  private async whileOpen<T>(work: () => Promise<T>, whenStopped: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (this.stopped) return whenStopped;
      throw error;
    }
  }
}
