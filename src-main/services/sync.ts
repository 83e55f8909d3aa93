import { AppError, type ContractError, type ErrorCode } from '../../shared/contract/errors';
import { methods } from '../../shared/contract/methods';
import { newId } from '../../shared/domain/ids';
import { canSee, type Caller } from '../../shared/domain/policy';
import { pullVerdict } from '../../shared/sync/cursor';
import { isMutationName, type Mutation, type MutationName } from '../../shared/sync/mutations';
import {
  MESSAGES_PER_CONVERSATION,
  type Change,
  SYNC_PROTOCOL_VERSION,
  type PullResult,
  type PushOutcome,
  type PushResult,
  type SnapshotPage,
  type SnapshotPart,
  type SnapshotScope,
} from '../../shared/sync/protocol';
import type { EventBus } from '../platform/eventBus';
import type { ConnectionCaller } from '../platform/callContext';
import { markShared } from '../platform/sharedAnswer';
import type { Store } from '../store';
import { isTransientStoreError } from '../store/connection';
import { classifyStoreError, faultContractError } from '../store/faults';
import type { Clock } from './conversations';

/** Runs one parsed mutation inside the caller's transaction; throws an AppError to refuse it. */
export type RunMutation = (name: MutationName, args: unknown, ctx: ConnectionCaller) => unknown;

/**
 * What else happens when a pushed mutation applies here (tier 2, team mode: the desk core queues it
 * for the hub). `apply` runs inside the mutation's transaction and must call `run` (the mutation's
 * own effect) once; throwing `NotReady` leaves the mutation unrecorded for the client to retry.
 */
export type LocalApply = { apply(m: Mutation, clientId: string, ctx: ConnectionCaller, run: () => unknown): unknown };

/** Thrown by a LocalApply that cannot take mutations yet (a desk joining a hub, before its first snapshot). */
export class NotReady extends Error {
  constructor(readonly reason: ContractError) {
    super(reason.message);
  }
}

/** The feed keeps about this many changes; a replica further behind rebuilds from a snapshot. */
export const FEED_KEEP = 500_000;

/** Pull pages kept for the next callers at the same cursor and head. */
const PAGES_KEPT = 16;

/**
 * Tier 1 of sync, the server side: the change feed (pull), the mutation queue's landing (push) and
 * the bootstrap (snapshot). Every commit pokes the replicas with the new head (the only event for data).
 */
export function syncService(deps: {
  store: Store;
  events: Pick<EventBus, 'emit' | 'hold'>;
  now: Clock;
  run: RunMutation;
  log: (message: string, error?: unknown) => void;
  local?: () => LocalApply | null;
}) {
  const { store, events, now } = deps;
  let feedId = store.settings.get<string>('feedId', '');
  if (!feedId) {
    feedId = newId();
    store.settings.set('feedId', feedId);
  }

  // The one announcement of a data change: after every commit that moved the head, a microtask
  // later (so the commits of one call are told once). The core also calls `poke` when another
  // connection (the CLI beside the app) committed to the file.
  let lastPoked = store.changes.head();
  const poke = () => {
    if (!store.db.open) return;
    const head = store.changes.head();
    if (head <= lastPoked) return;
    lastPoked = head;
    events.emit('sync.poked', { head });
  };
  store.onCommit(() => queueMicrotask(poke));

  function refuse(clientId: string, m: Mutation, code: ErrorCode, message: string): PushOutcome {
    const error = { code, message: message.slice(0, 500) };
    const seq = store.tx(() =>
      store.mutations.record({ mutationId: m.mutationId, clientId, name: m.name, status: 'rejected', error, result: undefined }, now()),
    );
    return { mutationId: m.mutationId, status: 'rejected', seq, error };
  }

  /** Thrown out of a push when the store cannot take writes right now: the rest of the batch waits for the client's retry. */
  class NotNow extends Error {
    constructor(
      message: string,
      readonly reason: ContractError | undefined,
    ) {
      super(message);
    }
  }

  function applyOne(clientId: string, m: Mutation, ctx: ConnectionCaller): PushOutcome {
    const done = store.mutations.get(m.mutationId);
    // Another client's id: refused without a record (the id's record is the other client's), and
    // never answered with the other client's outcome.
    if (done && done.clientId !== clientId) {
      return {
        mutationId: m.mutationId,
        status: 'rejected',
        seq: store.changes.head(),
        error: { code: 'conflict', message: 'this mutation id was already used by another client' },
      };
    }
    if (done)
      return {
        mutationId: done.mutationId,
        status: done.status,
        seq: done.seq,
        error: done.error,
        ...(done.status === 'applied' ? { result: done.result } : {}),
      };
    if (!isMutationName(m.name)) return refuse(clientId, m, 'unknown_method', `${String(m.name).slice(0, 64)} is not a mutation`);
    const parsed = methods[m.name].args.safeParse(m.args ?? {});
    if (!parsed.success) {
      return refuse(
        clientId,
        m,
        'invalid_argument',
        parsed.error.issues.map((i) => `${i.path.map(String).join('.') || 'args'}: ${i.message}`).join('; '),
      );
    }
    const name = m.name;
    try {
      const { result, seq } = events.hold(() =>
        store.tx(() => {
          const local = deps.local?.();
          const result = local ? local.apply(m, clientId, ctx, () => deps.run(name, parsed.data, ctx)) : deps.run(name, parsed.data, ctx);
          const seq = store.mutations.record({ mutationId: m.mutationId, clientId, name, status: 'applied', error: null, result }, now());
          return { result, seq };
        }),
      );
      return { mutationId: m.mutationId, status: 'applied', seq, error: null, result };
    } catch (error) {
      if (error instanceof NotReady) throw new NotNow(`${name}: ${error.message}`, error.reason);
      if (isTransientStoreError(error)) {
        const fault = classifyStoreError(error);
        throw new NotNow(
          `${name}: ${String((error as Error).message)}`,
          fault ? { code: faultContractError(fault)[0], message: faultContractError(fault)[1] } : undefined,
        );
      }
      // A refusal is permanent (the same mutation would be refused again); recording it keeps the queue moving.
      if (error instanceof AppError) return refuse(clientId, m, error.code === 'unavailable' ? 'internal' : error.code, error.message);
      deps.log(`mutation ${name} failed`, error);
      return refuse(clientId, m, 'internal', `${name} failed`);
    }
  }

  /** Another agent's personal phrase or group stays theirs in the feed too (a delete tells nothing and passes). */
  function visibleTo(caller: Caller, c: Change): boolean {
    if (c.op !== 'upsert' || (c.entity !== 'phrase' && c.entity !== 'phrase_group')) return true;
    if ((c.row as { scope?: unknown }).scope !== 'personal') return true;
    const stored = c.entity === 'phrase' ? store.phrases.phrase(c.id) : store.phrases.group(c.id);
    return stored !== undefined && canSee(caller, stored);
  }

  /** A change that some callers may not see (another agent's personal phrase or group). */
  function maybeHidden(c: Change): boolean {
    return (
      c.op === 'upsert' && (c.entity === 'phrase' || c.entity === 'phrase_group') && (c.row as { scope?: unknown }).scope === 'personal'
    );
  }

  // The last pages read, by feed, cursor, limit and head (a page at one head never changes), shared
  // by every caller that may see all of it; the oldest goes first.
  type Built = { result: PullResult & { kind: 'changes' }; perCaller: boolean };
  const pages = new Map<string, Built>();
  store.onCommit(() => {
    // A commit moved the head (or rewrote the feed): no page kept can be asked for again.
    pages.clear();
    fresh.clear();
  });
  // The pages read since the store's commit stamp last moved, by feed, cursor and limit: served with
  // no read at all while the stamp stays (most pulls of a poke's wave).
  const fresh = new Map<string, Built>();
  let freshStamp: string | null = null;

  function answer(built: Built, caller: Caller): PullResult {
    if (!built.perCaller) return built.result;
    return { ...built.result, changes: built.result.changes.filter((c) => visibleTo(caller, c)) };
  }

  function compact(keep = FEED_KEEP): number {
    // head − floor bounds the rows kept without counting them.
    const head = store.changes.head();
    if (head - store.changes.floor() <= keep * 1.2) return 0;
    return store.tx(() => store.changes.prune(head - keep));
  }
  compact();

  return {
    feedId: () => feedId,

    /** Pokes the replicas if the head moved since the last poke (after another connection's commit). */
    poke,

    /** Another process renewed the feed (`jiedai join` beside the running app): read its id again. */
    reloadFeedId(): void {
      feedId = store.settings.get<string>('feedId', feedId) || feedId;
      pages.clear();
      fresh.clear();
    },

    /**
     * The store's content was replaced (tier 2 swapped in a hub snapshot): a new feed id, and the
     * feed emptied up to its head, so every replica rebuilds rather than trusting its cursor. Call
     * inside the transaction that replaced it.
     */
    renewFeed(): void {
      feedId = newId();
      store.settings.set('feedId', feedId);
      store.changes.prune(store.changes.head());
    },

    /**
     * Changes after the cursor, as this caller may see them: another agent's personal phrases and
     * phrase groups are left out (the cursor still moves past them).
     */
    pull(cursor: number, limit: number, caller: Caller): PullResult {
      // Inside a caller's transaction the page could hold rows that are rolled back: not kept then.
      const keep = !store.db.inTransaction;
      // Nothing committed since the pages of `fresh` were read (one statement, no transaction): the
      // page kept for this cursor is the answer the read below would give, head and floor included.
      const stamp = store.commitStamp();
      if (stamp !== freshStamp) {
        fresh.clear();
        freshStamp = stamp;
      }
      const freshKey = `${feedId}|${cursor}|${limit}`;
      const kept = stamp === null ? undefined : fresh.get(freshKey);
      if (kept) return answer(kept, caller);
      // Floor, page and head from one state of the file: a short page then means everything up to the head was returned.
      return store.read(() => {
        const head = store.changes.head();
        const verdict = pullVerdict(cursor, store.changes.floor(), head);
        if (verdict !== 'ok') return { kind: 'reset', feedId, reason: verdict, head };
        const key = `${feedId}|${cursor}|${limit}|${head}`;
        let built = pages.get(key);
        if (!built) {
          const page = store.changes.page(cursor, limit);
          const last = page[page.length - 1]?.seq ?? cursor;
          const result: PullResult = {
            kind: 'changes',
            feedId,
            changes: page,
            cursor: page.length < limit ? Math.max(last, head) : last,
            head,
          };
          built = { result: markShared(result), perCaller: page.some(maybeHidden) };
          // A poke wakes every desk at once, most at the same cursor: the page is read and encoded once.
          if (pages.size >= PAGES_KEPT) pages.delete(pages.keys().next().value!);
          if (keep) pages.set(key, built);
        }
        // Read after the stamp: a commit by another connection in between moves the stamp, so a page
        // kept here is dropped at the next call at the latest (and it is then the newer state).
        if (keep && stamp !== null) {
          if (fresh.size >= PAGES_KEPT) fresh.delete(fresh.keys().next().value!);
          fresh.set(freshKey, built);
        }
        return answer(built, caller);
      });
    },

    /**
     * Each mutation in order, each once, each in its own savepoint of one transaction for the batch:
     * the batch's mutations share one commit (one fsync, not one each), and nothing of it is
     * answered before that commit. When the store cannot take a write right now, the answer stops
     * there (what came before it is committed and answered); when the commit itself fails, nothing
     * of the batch is stored and none of it is answered: the client retries it all.
     */
    push(clientId: string, mutations: Mutation[], ctx: ConnectionCaller): PushResult {
      const results: PushOutcome[] = [];
      let stopped: ContractError | undefined;
      const run = () => {
        for (const m of mutations) {
          try {
            results.push(applyOne(clientId, m, ctx));
          } catch (error) {
            if (!(error instanceof NotNow)) throw error;
            deps.log('push stopped: the store cannot write right now', error);
            stopped = error.reason;
            break;
          }
        }
      };
      try {
        if (mutations.length > 1 && !store.db.inTransaction) {
          let ran = false;
          try {
            events.hold(() =>
              store.tx(() => {
                run();
                ran = true;
              }),
            );
          } catch (error) {
            if (!ran) throw error;
            // The batch ran but its commit failed (the disk full, the file gone): nothing of it is stored.
            deps.log('push stopped: the batch could not be committed', error);
            const fault = classifyStoreError(error);
            results.length = 0;
            stopped = fault
              ? { code: faultContractError(fault)[0], message: faultContractError(fault)[1] }
              : { code: 'unavailable', message: 'the store could not commit the batch; try again' };
          }
        } else run();
      } finally {
        poke();
      }
      return { results, head: store.changes.head(), ...(stopped ? { stopped } : {}) };
    },

    snapshot(part: SnapshotPart, after: string | null, limit: number, agentId: string, scope: SnapshotScope = 'all'): SnapshotPage {
      return store.read(() => {
        const head = store.changes.head();
        const page = store.snapshot.page(part, after, limit, { agentId, messagesPerConversation: MESSAGES_PER_CONVERSATION, scope });
        return { feedId, head, protocol: SYNC_PROTOCOL_VERSION, ...page };
      });
    },

    /** Forgets the oldest changes once the feed is well past `keep` (replicas that far behind rebuild); also run at start. */
    compact,
  };
}

export type SyncService = ReturnType<typeof syncService>;
