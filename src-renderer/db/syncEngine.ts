import type { ContractError, Result } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { newId } from '../../shared/domain/ids';
import { advanceCursor, chunkFits, needsRebuild } from '../../shared/sync/cursor';
import type { MutationArgs, MutationName } from '../../shared/sync/mutations';
import { conversationsReferenced, planChanges, planSnapshot } from '../../shared/sync/plan';
import {
  MESSAGES_PER_CONVERSATION,
  PULL_LIMIT_DEFAULT,
  PUSH_LIMIT_MAX,
  SNAPSHOT_LIMIT_DEFAULT,
  SNAPSHOT_PARTS,
  SYNC_PROTOCOL_VERSION,
  type Change,
  type SnapshotPage,
} from '../../shared/sync/protocol';
import { REPLICA_TABLES } from '../../shared/sync/replica';
import type { ConnectionState } from '../ipc/client';
import { deskLog } from '../ipc/log';
import { runMutator } from './mutators';
import { executePlan, pushOutcomes, recordOutcomes, replay, settle } from './rebase';
import type { OutboxEntry, ReplicaDb } from './replicaDb';
import { Runner } from './runner';
import { ReplicaWriter, restoreShadows } from './writer';

const syncLog = deskLog.child('sync');

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

/** A rebuild marker this old belongs to a window that went away (a live rebuild renews it every page). */
const REBUILD_TAKEOVER_MS = 5_000;

class TransportError extends Error {
  constructor(readonly error: ContractError) {
    super(`${error.code}: ${error.message}`);
  }
}

/**
 * Keeps a replica in step with the core: bootstraps it from a snapshot, pulls changes in chunks
 * (each applied in one transaction with its cursor, the outbox rebased on top), and pushes the outbox
 * in order, retrying with back-off. `mutate` is how the desk changes anything the replica holds.
 */
export class SyncEngine {
  private readonly pulls: Runner;
  private readonly pushes: Runner;
  private readonly opts: Required<Omit<SyncEngineOptions, 'onCursor'>> & Pick<SyncEngineOptions, 'onCursor'>;
  private readonly unsubscribe: (() => void)[] = [];
  private clientId: string | null = null;
  /** The last cursor committed (in memory: pokes compare with it). */
  private cursor = 0;
  private rebuilding: { id: string; start: { feedId: string; head: number } | null; part: number; after: string | null } | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  /** Conversations whose newest page is still to fetch (kept across failed attempts). */
  private readonly backfills = new Set<string>();
  private stopped = false;
  /** The last failure other than an unreachable core (which the connection banner covers), until a pull succeeds. */
  private lastError: ContractError | null = null;
  /** Why the core's store could not take the last push (disk full, read-only), until a push goes through. */
  private lastStoreFault: ContractError | null = null;
  /** A desk action that could not be written to the replica (storage full, IndexedDB broken). */
  private lastLocalFailure: ContractError | null = null;
  private readonly statusListeners = new Set<() => void>();

  constructor(
    readonly db: ReplicaDb,
    private readonly transport: SyncTransport,
    options: SyncEngineOptions = {},
  ) {
    this.opts = {
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
    const runner = (work: () => Promise<'done' | 'again' | 'retry'>, what: string) =>
      new Runner(work, {
        random: this.opts.random,
        baseMs: this.opts.retryBaseMs,
        maxMs: this.opts.retryMaxMs,
        onError: (error) => {
          if (!(error instanceof TransportError)) this.opts.log(`${what} failed`, error);
          const reported: ContractError =
            error instanceof TransportError ? error.error : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
          if (reported.code !== 'unavailable') this.setError(reported);
        },
      });
    this.pulls = runner(() => this.pullOnce(), 'pull');
    this.pushes = runner(() => this.pushOnce(), 'push');
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
    const rebuilding = this.rebuilding;
    if (rebuilding) {
      // Leave the replica to whoever opens it next, at once rather than after the takeover delay.
      void this.db
        .transaction('rw', this.db.meta, async () => {
          if ((await this.db.getMeta<{ id: string } | null>('rebuild', null))?.id === rebuilding.id) await this.db.meta.delete('rebuild');
        })
        .catch(() => undefined);
    }
    for (const u of this.unsubscribe.splice(0)) u();
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pulls.stop();
    this.pushes.stop();
  }

  /** Why the core could not save the desk's actions (its disk is full or its folder read-only); null when it can. */
  storeFault(): ContractError | null {
    return this.lastStoreFault;
  }

  private setStoreFault(error: ContractError | null): void {
    if (this.lastStoreFault?.code === error?.code) return;
    this.lastStoreFault = error;
    this.notifyStatus();
  }

  /** What went wrong last (null when syncing works), for the desk to say. */
  error(): ContractError | null {
    return this.lastError;
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setError(error: ContractError | null): void {
    if (this.lastError === error) return;
    this.lastError = error;
    this.notifyStatus();
  }

  private notifyStatus(): void {
    for (const l of [...this.statusListeners]) l();
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

  /** The agent at this desk: an answered conversation becomes theirs in the replica at once. */
  async setAgent(agentId: string): Promise<void> {
    await this.whileOpen(async () => {
      const before = await this.db.getMeta<string | null>('agentId', null);
      if (before !== null && before !== agentId) return this.switchAccount(agentId);
      await this.db.setMeta('agentId', agentId);
    }, undefined);
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

  /** A desk action could not even be written locally (storage full, IndexedDB broken): say so. */
  reportLocalFailure(error: unknown): void {
    this.opts.log('a desk action could not be saved locally', error);
    this.lastLocalFailure = { code: 'internal', message: error instanceof Error ? error.message : String(error) };
    this.notifyStatus();
  }

  /** Why the last desk action could not be saved locally, until one is saved again (null: none). */
  localFailure(): ContractError | null {
    return this.lastLocalFailure;
  }

  /**
   * Another account signed in at this desk: its personal phrases differ, so the replica is rebuilt
   * from a snapshot for it (the outbox is kept and rebased, as in any rebuild).
   */
  async switchAccount(agentId: string): Promise<void> {
    await this.db.transaction('rw', this.db.meta, async () => {
      await this.db.setMeta('agentId', agentId);
      await this.db.meta.bulkDelete(['cursor', 'ready']);
    });
    this.pulls.request();
  }

  /**
   * An agent's action: written to the replica and to the outbox in one transaction (so it shows at
   * once and survives a reload), then pushed. Returns the mutation's id.
   */
  async mutate<N extends MutationName>(name: N, args: MutationArgs<N>): Promise<string | null> {
    const entry: OutboxEntry = { mutationId: newId(), name, args, createdAt: this.opts.now(), status: 'pending' };
    const written = await this.whileOpen(async () => {
      await this.db.transaction('rw', this.db.all(), async () => {
        entry.seq = await this.db.outbox.add(entry);
        await runMutator(new ReplicaWriter(this.db), entry, await this.db.getMeta<string | null>('agentId', null));
      });
      return true;
    }, false);
    if (!written) return null;
    if (this.lastLocalFailure) {
      this.lastLocalFailure = null;
      this.notifyStatus();
    }
    this.pushes.request();
    return entry.mutationId;
  }

  /** Sends a refused reply again: a new mutation with the same message id (the core stores a message id once). */
  async retrySend(messageId: string): Promise<void> {
    await this.whileOpen(() => this.retrySendNow(messageId), undefined);
    this.pushes.request();
  }

  private async retrySendNow(messageId: string): Promise<void> {
    await this.db.transaction('rw', this.db.all(), async () => {
      const old = (await this.db.outbox.toArray()).find((e) => e.name === 'messages.send' && (e.args as { id: string }).id === messageId);
      if (!old || old.status !== 'rejected') return;
      await restoreShadows(this.db);
      await this.db.outbox.delete(old.seq!);
      await this.db.outbox.add({ mutationId: newId(), name: old.name, args: old.args, createdAt: this.opts.now(), status: 'pending' });
      await replay(this.db);
    });
  }

  // ── pulling ──

  private async call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<ResultOf<M>> {
    if (this.stopped) throw new TransportError({ code: 'unavailable', message: 'stopped' });
    const result = await this.transport.call(method, args);
    // A stopped engine (a reloaded page, a closed window) writes nothing more, whatever comes back.
    if (this.stopped) throw new TransportError({ code: 'unavailable', message: 'stopped' });
    if (!result.ok) throw new TransportError(result.error);
    return result.value;
  }

  private async pullOnce(): Promise<'done' | 'again' | 'retry'> {
    const meta = await this.readMeta();
    if (this.rebuilding || needsRebuild(meta, SYNC_PROTOCOL_VERSION)) return this.rebuild();
    await this.backfillAll();
    const from = meta.cursor!;
    const page = await this.call('sync.pull', { cursor: from, limit: this.opts.pullLimit });
    if (page.kind === 'reset' || page.feedId !== meta.feedId) {
      this.opts.log(`rebuilding the replica (${page.kind === 'reset' ? page.reason : 'another shop file'})`);
      await this.db.transaction('rw', this.db.meta, async () => {
        // Only if nobody moved the replica meanwhile (another window of the same replica).
        if ((await this.db.getMeta<number | null>('cursor', null)) === from) await this.db.meta.bulkDelete(['cursor', 'ready']);
      });
      return 'again';
    }
    this.setError(null);
    const applied = await this.applyChunk(from, page.feedId, page.changes, page.cursor);
    if (!applied) return 'again';
    return page.cursor < page.head || page.changes.length >= this.opts.pullLimit ? 'again' : 'done';
  }

  /** One pulled chunk, its cursor and the rebase, in one transaction. False when the replica moved meanwhile. */
  private async applyChunk(from: number, feedId: string, changes: Change[], cursor: number): Promise<boolean> {
    let committed: number | null = null;
    let entered: string[] = [];
    await this.db.transaction('rw', this.db.all(), async () => {
      if (this.stopped) return;
      const meta = await this.readMeta();
      if (meta.cursor === null || !chunkFits(meta.cursor, from, feedId, meta.feedId)) return;
      await restoreShadows(this.db);
      const held = new Set((await this.db.conversations.bulkGet(conversationsReferenced(changes))).filter((c) => c !== undefined).map((c) => c.id));
      const plan = planChanges(changes, (id) => held.has(id));
      await executePlan(this.db, plan);
      // Only this replica's own mutations: an id another client used is never this outbox's answer.
      const clientId = await this.db.getMeta<string | null>('clientId', null);
      await recordOutcomes(this.db, plan.outcomes.filter((o) => o.clientId === clientId));
      const next = advanceCursor(meta.cursor, cursor);
      await this.db.setMeta('cursor', next);
      await settle(this.db, next);
      await replay(this.db);
      committed = next;
      entered = [...plan.entered];
    });
    if (committed === null) return false;
    this.commitCursor(committed);
    for (const id of entered) this.backfills.add(id);
    await this.backfillAll();
    return true;
  }

  /**
   * A conversation the replica took in from the feed brings only the messages written after that
   * point; its newest page comes from the core (messages never change, so any copy is right).
   */
  private async backfillAll(): Promise<void> {
    for (const id of [...this.backfills]) {
      await this.backfill(id);
      this.backfills.delete(id);
    }
  }

  private async backfill(conversationId: string): Promise<void> {
    const page = await this.call('messages.page', { conversationId, limit: MESSAGES_PER_CONVERSATION });
    await this.db.transaction('rw', this.db.all(), async () => {
      if (this.stopped || !(await this.db.conversations.get(conversationId))) return;
      const have = new Set((await this.db.messages.bulkGet(page.messages.map((m) => m.id))).filter((m) => m !== undefined).map((m) => m.id));
      await this.db.messages.bulkPut(page.messages.filter((m) => !have.has(m.id)));
    });
  }

  private commitCursor(cursor: number): void {
    this.cursor = cursor;
    this.opts.onCursor?.(cursor);
  }

  /**
   * Rebuilds the replica from a snapshot, keeping the outbox: clear, then every part page by page,
   * then the cursor at the head of the first page. Each page is a rebase like a pulled chunk (server
   * values back, the page written, the outbox replayed on top), so the agent's pending actions stay
   * visible throughout. Pulling from the first page's head afterwards brings whatever changed while
   * the pages were read.
   *
   * Another window on the same replica may be rebuilding too: a marker in `meta` says whose rebuild
   * it is and when it last made progress; a rebuild that finds the marker not its own stops, and a
   * marker left by a window that went away is taken over after a few seconds.
   */
  private async rebuild(): Promise<'again' | 'retry'> {
    if (!this.rebuilding) {
      const id = newId();
      const took = await this.db.transaction('rw', this.db.all(), async () => {
        const marker = await this.db.getMeta<{ id: string; at: number } | null>('rebuild', null);
        if (marker && marker.id !== id && this.opts.now() - marker.at < REBUILD_TAKEOVER_MS) return false;
        if ((await this.readMeta()).cursor !== null && !needsRebuild(await this.readMeta(), SYNC_PROTOCOL_VERSION)) return 'built';
        for (const t of REPLICA_TABLES) await this.db.replica(t).clear();
        await this.db.shadows.clear();
        await this.db.meta.bulkDelete(['cursor', 'feedId', 'protocol', 'ready']);
        await this.db.setMeta('rebuild', { id, at: this.opts.now() });
        return true;
      });
      if (took === 'built') return 'again'; // another window finished one meanwhile
      if (!took) return 'retry'; // another window is at it
      this.rebuilding = { id, start: null, part: 0, after: null };
    }
    const state = this.rebuilding!;
    const mine = async () => (await this.db.getMeta<{ id: string } | null>('rebuild', null))?.id === state.id && !this.stopped;
    const fetch = (part: number, after: string | null) => this.call('sync.snapshot', { part: SNAPSHOT_PARTS[part]!, after, limit: this.opts.snapshotLimit });
    // The next page is asked for while this one is written (the core reads while IndexedDB writes).
    let prefetched: Promise<SnapshotPage> | null = null;
    while (state.part < SNAPSHOT_PARTS.length) {
      const page: SnapshotPage = await (prefetched ?? fetch(state.part, state.after));
      prefetched = null;
      const following = page.next !== null ? { part: state.part, after: page.next } : state.part + 1 < SNAPSHOT_PARTS.length ? { part: state.part + 1, after: null } : null;
      if (following) {
        prefetched = fetch(following.part, following.after);
        prefetched.catch(() => undefined); // a failure surfaces when it is awaited
      }
      if (state.start && page.feedId !== state.start.feedId) {
        // The core's file changed under us: start over.
        this.rebuilding = null;
        await this.db.transaction('rw', this.db.meta, async () => {
          if (await mine()) await this.db.meta.delete('rebuild');
        });
        return 'again';
      }
      const ok = await this.db.transaction('rw', this.db.all(), async () => {
        if (!(await mine())) return false;
        await restoreShadows(this.db);
        const held = new Set((await this.db.conversations.bulkGet(conversationsReferenced(page.rows))).filter((c) => c !== undefined).map((c) => c.id));
        await executePlan(this.db, planSnapshot(page.rows, (id) => held.has(id)));
        await replay(this.db);
        await this.db.setMeta('rebuild', { id: state.id, at: this.opts.now() });
        return true;
      });
      if (!ok) {
        this.rebuilding = null;
        return 'again';
      }
      state.start ??= { feedId: page.feedId, head: page.head };
      state.after = page.next;
      if (page.next === null) state.part += 1;
    }
    const start = state.start!;
    const done = await this.db.transaction('rw', this.db.all(), async () => {
      if (!(await mine())) return false;
      await restoreShadows(this.db);
      await this.db.meta.bulkPut([
        { key: 'cursor', value: start.head },
        { key: 'feedId', value: start.feedId },
        { key: 'protocol', value: SYNC_PROTOCOL_VERSION },
        { key: 'ready', value: true },
      ]);
      await this.db.meta.delete('rebuild');
      await settle(this.db, start.head);
      await replay(this.db);
      return true;
    });
    this.rebuilding = null;
    if (done) this.commitCursor(start.head);
    return 'again';
  }

  private async readMeta(): Promise<{ cursor: number | null; feedId: string | null; protocol: number | null }> {
    const [cursor, feedId, protocol] = await this.db.meta.bulkGet(['cursor', 'feedId', 'protocol']);
    return {
      cursor: (cursor?.value as number | undefined) ?? null,
      feedId: (feedId?.value as string | undefined) ?? null,
      protocol: (protocol?.value as number | undefined) ?? null,
    };
  }

  // ── pushing ──

  private async ensureClientId(): Promise<string> {
    if (this.clientId) return this.clientId;
    const id = await this.db.transaction('rw', this.db.meta, async () => {
      const existing = await this.db.getMeta<string | null>('clientId', null);
      if (existing) return existing;
      const made = newId();
      await this.db.setMeta('clientId', made);
      return made;
    });
    this.clientId = id;
    return id;
  }

  private async pushOnce(): Promise<'done' | 'again' | 'retry'> {
    const clientId = await this.ensureClientId();
    const waiting = (await this.db.outbox.orderBy('seq').toArray()).filter((e) => e.status === 'pending' && e.doneSeq === undefined);
    const batch = waiting.slice(0, this.opts.pushBatch);
    if (batch.length === 0) return 'done';
    const result = await this.call('sync.push', {
      clientId,
      mutations: batch.map((e) => ({ mutationId: e.mutationId, name: e.name, args: e.args })),
    });
    await this.db.transaction('rw', this.db.all(), async () => {
      await recordOutcomes(this.db, pushOutcomes(result.results));
      // After a rebuild the snapshot may already hold their effect: settle what the cursor covers.
      const cursor = await this.db.getMeta<number | null>('cursor', null);
      if (cursor !== null && result.results.some((r) => r.seq <= cursor)) {
        await restoreShadows(this.db);
        await settle(this.db, cursor);
        await replay(this.db);
      }
    });
    this.setStoreFault(result.stopped ?? null);
    this.pulls.request();
    // The core answers fewer when it could not write the rest right now: try those again later.
    if (result.results.length < batch.length) return 'retry';
    return waiting.length > batch.length ? 'again' : 'done';
  }
}
