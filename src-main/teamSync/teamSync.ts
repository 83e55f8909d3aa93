import { fail, type ContractError, type Result } from '../../shared/contract/errors';
import type { Agent, Shop } from '../../shared/domain/types';
import { advanceCursor } from '../../shared/sync/cursor';
import type { Mutation } from '../../shared/sync/mutations';
import {
  boundedBatch,
  PULL_LIMIT_DEFAULT,
  PUSH_LIMIT_MAX,
  SNAPSHOT_LIMIT_DEFAULT,
  type Change,
  type MutationRecord,
  type PullResult,
  type PushResult,
  type SnapshotPage,
} from '../../shared/sync/protocol';
import type { ConnectionCaller } from '../platform/callContext';
import type { EventBus } from '../platform/eventBus';
import { NotReady, type LocalApply, type SyncService } from '../services/sync';
import type { Store } from '../store';
import type { HubOutboxEntry } from '../store/hubOutbox';
import type { SharedEntity } from '../store/hubReplica';
import { bootstrapStep } from './bootstrap';
import type { HubLink } from './hubLink';
import { rebase, runShadowed, type RebaseDeps } from './rebase';
import { createLogger } from '../platform/log';
import { Runner } from './runner';
import { readTeamConfig, readTeamState, writeTeamState, type TeamConfig } from './teamSettings';

export type TeamSyncOptions = {
  pullLimit?: number;
  snapshotLimit?: number;
  pushBatch?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A pull now and then even without a poke (a lost poke must not leave the desk stale); 0 turns it off. */
  pollMs?: number;
  random?: () => number;
  log?: (message: string, error?: unknown) => void;
  /** Every cursor this store commits (tests check it never goes back). */
  onCursor?: (cursor: number) => void;
  /**
   * The store no longer says this desk is the member this engine syncs for (another process ran
   * `jiedai team leave`, maybe joined again elsewhere): the engine has stopped, having written nothing.
   */
  onLeft?: () => void;
};

/** What the desk shows about its hub: reachable or not, how many actions wait, what went wrong last. */
export type TeamStatus = {
  online: boolean;
  /** When the hub last answered a pull or a push (ms; this run only: the store keeps the last pull's). */
  lastSyncedAt: number | null;
  pending: number;
  cursor: number | null;
  ready: boolean;
  bootstrapping: boolean;
  error: ContractError | null;
};

export type TeamSyncDeps = {
  store: Store;
  events: EventBus;
  link: HubLink;
  sync: SyncService;
  /** Runs an outbox entry's mutation through the core's handlers, as its agent, at its own time. */
  runEntry: (entry: HubOutboxEntry) => unknown;
  /** Runs `fn` with the core's clock reading `at` (a replayed action keeps the time it was done). */
  withClock: <T>(at: number, fn: () => T) => T;
  now: () => number;
};

/** Pages of a catch-up taken into one transaction (at the default limit, 10,000 changes held at once). */
const CATCH_UP_PAGES = 10;

class HubError extends Error {
  constructor(readonly error: ContractError) {
    super(`${error.code}: ${error.message}`);
  }
}

/** Thrown inside an engine's transaction when the store says this desk has left the team (rolls it back). */
export class LeftTeam extends Error {
  constructor() {
    super('this desk is no longer the member this engine syncs for');
  }
}

/**
 * Tier 2 in a desk core: the store is a replica of the shop on the hub plus its own outbox. The
 * renderer's actions apply here at once (tier 1, unchanged) and queue for the hub in the same
 * transaction; a pusher sends them in order; a puller applies the hub's feed by cursor, rebasing
 * the pending actions on top; a reset or a first join bootstraps from the hub's snapshot.
 */
export class TeamSync implements LocalApply {
  private readonly pulls: Runner;
  private readonly pushes: Runner;
  private readonly opts: Required<Omit<TeamSyncOptions, 'onCursor' | 'onLeft'>> & Pick<TeamSyncOptions, 'onCursor' | 'onLeft'>;
  private readonly unsubscribe: (() => void)[] = [];
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  private lastError: ContractError | null = null;
  private lastSyncedAt: number | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly rebaseDeps: RebaseDeps;
  private config: TeamConfig;
  /** The pusher is sending a queue of several batches, the last one answered (pulls wait for the end). */
  private draining = false;
  private left = false;

  constructor(
    private readonly deps: TeamSyncDeps,
    options: TeamSyncOptions = {},
  ) {
    const config = readTeamConfig(deps.store);
    if (!config) throw new Error('team mode is not set up on this store');
    this.config = config;
    this.opts = {
      pullLimit: options.pullLimit ?? PULL_LIMIT_DEFAULT,
      snapshotLimit: options.snapshotLimit ?? SNAPSHOT_LIMIT_DEFAULT,
      pushBatch: Math.min(options.pushBatch ?? 100, PUSH_LIMIT_MAX),
      retryBaseMs: options.retryBaseMs ?? 250,
      retryMaxMs: options.retryMaxMs ?? 10_000,
      pollMs: options.pollMs ?? 30_000,
      random: options.random ?? Math.random,
      log: options.log ?? createLogger('core').error,
      onCursor: options.onCursor,
      onLeft: options.onLeft,
    };
    this.rebaseDeps = { store: deps.store, events: deps.events, runEntry: deps.runEntry, owner: () => this.config.agentId, now: deps.now };
    const runner = (work: () => Promise<'done' | 'again' | 'retry'>, what: string) =>
      new Runner(() => this.unlessLeft(work), {
        random: this.opts.random,
        baseMs: this.opts.retryBaseMs,
        maxMs: this.opts.retryMaxMs,
        onError: (error) => {
          if (!(error instanceof HubError)) this.opts.log(`${what} failed`, error);
          const reported: ContractError =
            error instanceof HubError ? error.error : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
          if (reported.code !== 'unavailable') this.setError(reported);
          this.notify();
        },
      });
    this.pulls = runner(() => this.pullOnce(), 'pull');
    this.pushes = runner(() => this.pushOnce(), 'push');
  }

  /** The client id this engine pushes as (the store's `team` setting when it started). */
  get clientId(): string {
    return this.config.clientId;
  }

  /**
   * Whether the store still says this desk is the member this engine syncs for. Every transaction the
   * engine writes checks it first (`assertMember`): another process may have left the team (the
   * CLI's `jiedai team leave` beside the running app) between a hub call and its answer, and the
   * answer must not write the team's rows, cursor or staging into the fresh demo shop.
   */
  isMember(): boolean {
    return readTeamConfig(this.deps.store)?.clientId === this.config.clientId;
  }

  /** Inside an engine's transaction: throws LeftTeam (rolling it back) when this desk is no longer the member. */
  private assertMember(): void {
    if (!this.isMember()) throw new LeftTeam();
  }

  private async unlessLeft(work: () => Promise<'done' | 'again' | 'retry'>): Promise<'done' | 'again' | 'retry'> {
    if (this.left || !this.isMember()) {
      this.noticeLeft();
      return 'done';
    }
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof LeftTeam)) throw error;
      this.noticeLeft();
      return 'done';
    }
  }

  /**
   * The store says this desk left: stop (once), and tell the desk, which takes the leave up. Told
   * again at each later sign of it (a renderer action), in case the desk could not take it up the
   * first time (it was signing in again just then).
   */
  private noticeLeft(): void {
    if (!this.left) {
      this.left = true;
      this.opts.log('this desk left its team in another process: the sync engine stops');
      this.stop();
    }
    queueMicrotask(() => this.opts.onLeft?.());
  }

  start(): void {
    const { link } = this.deps;
    this.unsubscribe.push(
      link.onPoke((head) => {
        if (head <= (readTeamState(this.deps.store).cursor ?? -1)) return;
        // While the outbox drains, each chunk pulled would settle a few entries and replay all the
        // rest: one pull once the last batch is answered takes in the colleagues' changes and every
        // outcome together.
        if (!this.draining) this.pulls.request();
      }),
      link.onState((state) => {
        this.notify();
        if (state !== 'open') return;
        this.pulls.wake();
        this.pushes.wake();
      }),
    );
    if (this.opts.pollMs > 0) this.pollTimer = setInterval(() => this.pulls.request(), this.opts.pollMs);
    this.pulls.request();
    this.pushes.request();
  }

  stop(): void {
    this.stopped = true;
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

  async idle(): Promise<void> {
    while (this.pulls.busy || this.pushes.busy) await Promise.all([this.pulls.idle(), this.pushes.idle()]);
  }

  status(): TeamStatus {
    const state = readTeamState(this.deps.store);
    return {
      online: this.deps.link.state() === 'open',
      lastSyncedAt: this.lastSyncedAt,
      pending: this.deps.store.hubOutbox.count(),
      cursor: state.cursor,
      ready: state.ready,
      bootstrapping: state.bootstrap !== null || !state.ready,
      error: this.lastError,
    };
  }

  onStatus(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private setError(error: ContractError | null): void {
    if (this.lastError?.code === error?.code && this.lastError?.message === error?.message) return;
    this.lastError = error;
  }

  /** A call the hub answers itself (older message pages, memo history): `unavailable` while it cannot be reached. */
  forward(method: string, args: unknown): Promise<Result<unknown>> {
    if (this.deps.link.state() !== 'open') return Promise.resolve(fail('unavailable', 'the team hub cannot be reached'));
    return this.deps.link.call(method, args);
  }

  // ── the renderer's actions (tier 1 push) ──

  /** LocalApply: inside the tier-1 mutation's transaction, shadow what it writes, run it, queue it for the hub. */
  apply(m: Mutation, clientId: string, ctx: ConnectionCaller, run: () => unknown): unknown {
    if (this.left || !this.isMember()) {
      // Left in another process: the action is not recorded (the renderer retries it on the desk it becomes).
      this.noticeLeft();
      throw new NotReady({ code: 'unavailable', message: 'this desk has left its team' });
    }
    if (!readTeamState(this.deps.store).ready) {
      throw new NotReady({ code: 'unavailable', message: 'the shop is still loading from the team hub' });
    }
    const at = this.deps.now();
    const result = this.deps.withClock(at, () => runShadowed(this.rebaseDeps, run));
    this.deps.store.hubOutbox.add({
      mutationId: m.mutationId,
      name: m.name,
      args: m.args ?? {},
      agentId: ctx.agentId,
      clientId,
      createdAt: at,
    });
    queueMicrotask(() => {
      this.pushes.request();
      this.notify();
    });
    return result;
  }

  // ── pulling ──

  private async call<T>(method: string, args: unknown): Promise<T> {
    if (this.stopped) throw new HubError({ code: 'unavailable', message: 'stopped' });
    const result = await this.deps.link.call(method, args);
    if (this.stopped) throw new HubError({ code: 'unavailable', message: 'stopped' });
    if (!result.ok) throw new HubError(result.error);
    return result.value as T;
  }

  private commitCursor(cursor: number): void {
    this.opts.onCursor?.(cursor);
    this.notify();
  }

  private async pullOnce(): Promise<'done' | 'again' | 'retry'> {
    const { store } = this.deps;
    const state = readTeamState(store);
    if (!state.ready || state.bootstrap !== null || state.cursor === null) {
      const head = await bootstrapStep({
        store,
        rebase: this.rebaseDeps,
        sync: this.deps.sync,
        snapshot: (part, after) => this.call<SnapshotPage>('sync.snapshot', { part, after, limit: this.opts.snapshotLimit }),
        agents: () => this.call<Agent[]>('agents.list', {}),
        shop: async () => {
          // A hub that will not say (an older one) leaves the desk's shop name; only an outage retries the step.
          const info = await this.call<{ shop?: Shop; timeZone?: unknown }>('app.info', {}).catch((error: unknown) => {
            if (error instanceof HubError && error.error.code !== 'unavailable') return null;
            throw error;
          });
          const shop = info?.shop;
          if (!shop || typeof shop.id !== 'string' || typeof shop.name !== 'string') return null;
          return {
            shop: { id: shop.id, name: shop.name.slice(0, 100) },
            timeZone: typeof info?.timeZone === 'string' ? info.timeZone : '',
          };
        },
        stopped: () => this.stopped,
        member: () => this.assertMember(),
        now: this.deps.now,
        onProgress: () => this.notify(),
      });
      if (head !== null) this.commitCursor(head);
      return 'again';
    }
    const from = state.cursor;
    const page = await this.call<PullResult>('sync.pull', { cursor: from, limit: this.opts.pullLimit });
    if (page.kind === 'reset' || page.feedId !== state.feedId) {
      this.opts.log(`rebuilding from the hub's snapshot (${page.kind === 'reset' ? page.reason : 'another shop file'})`);
      store.tx(() => {
        this.assertMember();
        if (readTeamState(store).cursor === from) writeTeamState(store, { bootstrap: { part: 0, after: null, head: null, feedId: null } });
      });
      return 'again';
    }
    // A desk behind by several pages (back after an outage) takes them all before applying, up to
    // CATCH_UP_PAGES, in one transaction: one rebase of its pending actions instead of one per page.
    const changes = [...page.changes];
    let last = page;
    for (let n = 1; n < CATCH_UP_PAGES && (last.cursor < last.head || last.changes.length >= this.opts.pullLimit); n++) {
      const next = await this.call<PullResult>('sync.pull', { cursor: last.cursor, limit: this.opts.pullLimit });
      if (next.kind !== 'changes' || next.feedId !== page.feedId) break;
      changes.push(...next.changes);
      last = next;
    }
    this.setError(null);
    this.lastSyncedAt = this.deps.now();
    const applied = this.applyChunk(from, changes, last.cursor);
    if (applied === null) return 'again';
    this.commitCursor(applied);
    this.pushes.request();
    return last.cursor < last.head || last.changes.length >= this.opts.pullLimit ? 'again' : 'done';
  }

  /** One pulled chunk with its cursor, in one transaction; null when the store moved meanwhile. */
  private applyChunk(from: number, changes: Change[], cursor: number): number | null {
    const { store } = this.deps;
    const next = store.tx(() => {
      this.assertMember();
      if (this.stopped || readTeamState(store).cursor !== from) return null;
      let outcomes = 0;
      for (const c of changes) {
        if (c.entity !== 'mutation') continue;
        const r = c.row as MutationRecord;
        if (r.clientId === this.config.clientId && store.hubOutbox.recordOutcome(r.mutationId, c.seq, r.status, r.error)) outcomes += 1;
      }
      const next = advanceCursor(from, cursor);
      const data = changes.filter((c) => c.entity !== 'mutation');
      const apply = () => {
        const at = this.deps.now();
        for (const c of data) {
          store.hub.apply(c.entity as SharedEntity, c.id, c.op, c.row, c.at || at, { owner: this.config.agentId });
        }
      };
      // Only a chunk that reaches a shadowed row, or settles an entry, needs the rebase; otherwise
      // the pending effects stand on rows the chunk leaves alone.
      const shadowed = new Set(store.hubOutbox.shadows().map((s) => `${s.entity}|${s.id}`));
      const needsRebase = outcomes > 0 || store.hubOutbox.covered(next).length > 0 || data.some((c) => shadowed.has(`${c.entity}|${c.id}`));
      if (needsRebase) rebase(this.rebaseDeps, next, apply);
      else apply();
      writeTeamState(store, { cursor: next, lastSyncedAt: this.deps.now() });
      return next;
    });
    // The desk's own feed rows written here reach its renderer by the commit's poke, as any write does.
    return next;
  }

  // ── pushing ──

  private async pushOnce(): Promise<'done' | 'again' | 'retry'> {
    const { store } = this.deps;
    const batch = readTeamState(store).ready ? boundedBatch(store.hubOutbox.unsent(this.opts.pushBatch)) : [];
    if (batch.length === 0) {
      if (this.draining) this.pulls.request();
      this.draining = false;
      return 'done';
    }
    let result: PushResult;
    try {
      result = await this.call<PushResult>('sync.push', {
        clientId: this.config.clientId,
        mutations: batch.map((e) => ({ mutationId: e.mutationId, name: e.name, args: e.args })),
      });
    } catch (error) {
      // The queue stalls: pulls go on as usual meanwhile.
      if (this.draining) this.pulls.request();
      this.draining = false;
      throw error;
    }
    store.tx(() => {
      this.assertMember();
      for (const r of result.results) store.hubOutbox.recordOutcome(r.mutationId, r.seq, r.status, r.error);
      // After a bootstrap the snapshot may already hold their effect: settle what the cursor covers.
      const cursor = readTeamState(store).cursor;
      if (cursor !== null && store.hubOutbox.covered(cursor).length > 0) rebase(this.rebaseDeps, cursor, () => undefined);
    });
    this.lastSyncedAt = this.deps.now();
    if (result.stopped) this.setError(result.stopped);
    this.notify();
    const more = result.results.length === batch.length && store.hubOutbox.unsent(1).length > 0;
    this.draining = more;
    if (!more) this.pulls.request();
    if (result.results.length < batch.length) return 'retry';
    return more ? 'again' : 'done';
  }
}
