import { AppError } from '../../shared/contract/errors';
import { SNAPSHOT_PARTS } from '../../shared/sync/protocol';
import type { EventBus } from '../platform/eventBus';
import type { Store } from '../store';
import type { HubOutboxEntry } from '../store/hubOutbox';
import { SHARED_ENTITIES, type SharedEntity } from '../store/hubReplica';

/**
 * Rebase on a desk core, over SQLite (the renderer's tier 1 does the same over Dexie: rebase.ts,
 * writer.ts there). The invariant: every row of the shared tables holds its hub value as of the
 * cursor, except rows a pending action changed, whose hub value is kept as a shadow. So:
 * - a local action first learns which rows it writes (a dry run in a savepoint, read from the feed
 *   rows it appends), shadows the ones not shadowed yet, then runs for real;
 * - before a pulled chunk touches a shadowed row, every shadow is put back (the store is the hub's
 *   again), the chunk applies, the covered entries leave, and the pending ones run again on top.
 */
export type RebaseDeps = {
  store: Store;
  events: EventBus;
  /** Runs an outbox entry's mutation through the core's handlers, as its agent, at its own time. */
  runEntry: (entry: HubOutboxEntry) => unknown;
  /** The hub account of this desk (whose personal phrases the hub sends). */
  owner: () => string;
  now: () => number;
};

const DRY_RUN = Symbol('dry run');
/** More feed rows than one action writes (a batch of order notes writes one per order). */
const MAX_TOUCHED = 100_000;

function isShared(entity: string): entity is SharedEntity {
  return (SHARED_ENTITIES as readonly string[]).includes(entity);
}

/** The shared rows `run` would write, learnt by running it in a savepoint that is rolled back. Inside a transaction. */
export function rowsWrittenBy(store: Store, events: EventBus, run: () => unknown): { entity: SharedEntity; id: string }[] {
  const before = store.changes.head();
  let touched: { entity: SharedEntity; id: string }[] = [];
  try {
    events.discard(() =>
      store.tx(() => {
        run();
        touched = store.changes
          .after(before, MAX_TOUCHED)
          .filter((c) => isShared(c.entity))
          .map((c) => ({ entity: c.entity as SharedEntity, id: c.entity_id }));
        throw DRY_RUN;
      }),
    );
  } catch (error) {
    if (error !== DRY_RUN) throw error;
  }
  return touched;
}

/** Runs a local action after shadowing every shared row it will write. Inside a transaction. */
export function runShadowed<T>(deps: Pick<RebaseDeps, 'store' | 'events'>, run: () => T): T {
  const { store } = deps;
  for (const k of rowsWrittenBy(store, deps.events, run)) {
    if (!store.hubOutbox.shadowed(k.entity, k.id)) store.hubOutbox.shadow(k.entity, k.id, store.hub.read(k.entity, k.id));
  }
  return run();
}

// Referents first when rows come back, dependents first when they go.
const ORDER = new Map<string, number>(SNAPSHOT_PARTS.map((p, i) => [p, i]));

/** Puts every shadowed row back to its hub value and forgets the shadows. Inside a transaction. */
export function restoreShadows(deps: RebaseDeps): void {
  const { store } = deps;
  const shadows = store.hubOutbox.shadows().filter((s) => isShared(s.entity));
  const rank = (e: string) => ORDER.get(e) ?? 0;
  const deletes = shadows.filter((s) => s.row === null).sort((a, b) => rank(b.entity) - rank(a.entity));
  const upserts = shadows.filter((s) => s.row !== null).sort((a, b) => rank(a.entity) - rank(b.entity));
  const at = deps.now();
  for (const s of [...deletes, ...upserts]) {
    store.hub.apply(s.entity as SharedEntity, s.id, s.row === null ? 'delete' : 'upsert', s.row, at, { owner: deps.owner() });
  }
  store.hubOutbox.clearShadows();
}

/**
 * Drops the entries the cursor has covered: their effect, or its absence, is in the pulled rows. A
 * refused one was undone by the restore; its record on this desk turns rejected and the renderer
 * hears of it through the desk's own feed (a notice, or a failed reply with its retry).
 */
export function settle(deps: RebaseDeps, cursor: number): HubOutboxEntry[] {
  const { store } = deps;
  const refused: HubOutboxEntry[] = [];
  for (const e of store.hubOutbox.covered(cursor)) {
    store.hubOutbox.remove(e.seq);
    if (e.outcome === 'rejected') {
      refused.push(e);
      store.mutations.rejectLate(e.mutationId, e.error ?? { code: 'internal', message: 'refused by the team hub' }, e.args, deps.now());
    }
  }
  return refused;
}

/**
 * Runs the pending entries again on top of hub state, in queue order. One the hub already refused is
 * left out (its effect goes now, its notice when the cursor covers it); one that cannot apply here
 * any more (the conversation ended meanwhile) changes nothing here, and the hub decides.
 */
export function replay(deps: RebaseDeps): void {
  const { store } = deps;
  for (const entry of store.hubOutbox.all()) {
    if (entry.outcome === 'rejected') continue;
    try {
      deps.events.discard(() => store.tx(() => runShadowed(deps, () => deps.runEntry(entry))));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
    }
  }
}

/** The full rebase around `apply` (a pulled chunk, or nothing): restore, apply, settle, replay. */
export function rebase(deps: RebaseDeps, cursor: number, apply: () => void): HubOutboxEntry[] {
  restoreShadows(deps);
  apply();
  const refused = settle(deps, cursor);
  replay(deps);
  return refused;
}
