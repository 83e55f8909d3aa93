import type { Agent, Shop } from '../../shared/domain/types';
import { SNAPSHOT_PARTS, type SnapshotPage, type SnapshotPart } from '../../shared/sync/protocol';
import type { SyncService } from '../services/sync';
import type { Store } from '../store';
import type { SharedEntity } from '../store/hubReplica';
import { replay, settle, type RebaseDeps } from './rebase';
import { readTeamState, writeTeamState, type BootstrapProgress } from './teamSettings';

const SWAP_PAGE = 2_000;

export type BootstrapDeps = {
  store: Store;
  rebase: RebaseDeps;
  sync: SyncService;
  snapshot: (part: SnapshotPart, after: string | null) => Promise<SnapshotPage>;
  agents: () => Promise<Agent[]>;
  /** The hub's shop (its name, its time zone): the desk shows the team's shop, not its demo one. */
  shop: () => Promise<{ shop: Shop; timeZone: string } | null>;
  stopped: () => boolean;
  /** Called first in each of its transactions: throws (rolling it back) when this desk is no longer the team's member. */
  member: () => void;
  now: () => number;
  /** A page is staged (the desk shows the download's progress). */
  onProgress?: () => void;
};

/**
 * Bootstraps (or rebuilds) the desk's store from the hub's snapshot without its whole history: the
 * hub's snapshot holds the shop's rows and the newest page of messages per open conversation; older
 * pages are asked of the hub when the agent scrolls up (`messages.page` is forwarded).
 *
 * Pages are staged (`hub_staging`), each in its own transaction with the progress, so a restart
 * resumes; the desk keeps serving its old store meanwhile. When every part is in, one transaction
 * swaps them in: the shared tables emptied and refilled, the hub's accounts, the cursor at the head
 * of the first page (pulling from there replays whatever changed while the pages were read), the
 * outbox settled and replayed on top, and the desk's own feed renewed so the renderer rebuilds too.
 *
 * Returns the new cursor once swapped, null when the hub's file changed under it (start over).
 */
export async function bootstrapStep(deps: BootstrapDeps): Promise<number | null> {
  const { store } = deps;
  let progress: BootstrapProgress = readTeamState(store).bootstrap ?? { part: 0, after: null, head: null, feedId: null };
  if (progress.part === 0 && progress.after === null) {
    store.tx(() => {
      deps.member();
      store.hubOutbox.clearStaging();
      writeTeamState(store, { bootstrap: progress });
    });
  }
  while (progress.part < SNAPSHOT_PARTS.length) {
    const part = SNAPSHOT_PARTS[progress.part]!;
    const page = await deps.snapshot(part, progress.after);
    if (deps.stopped()) return null;
    if (progress.feedId !== null && page.feedId !== progress.feedId) {
      // The hub's file was replaced (a restored backup): its pages do not go together.
      store.tx(() => {
        deps.member();
        writeTeamState(store, { bootstrap: { part: 0, after: null, head: null, feedId: null } });
      });
      return null;
    }
    const next: BootstrapProgress = {
      part: page.next === null ? progress.part + 1 : progress.part,
      after: page.next,
      head: progress.head ?? page.head,
      feedId: progress.feedId ?? page.feedId,
    };
    store.tx(() => {
      deps.member();
      for (const r of page.rows) store.hubOutbox.stage(part, r.id, r.row);
      writeTeamState(store, { bootstrap: next });
    });
    progress = next;
    deps.onProgress?.();
  }
  const agents = await deps.agents();
  const shop = await deps.shop();
  if (deps.stopped()) return null;
  const head = progress.head ?? 0;
  const feedId = progress.feedId ?? '';
  store.tx(() => {
    deps.member();
    const owner = deps.rebase.owner();
    const at = deps.now();
    store.hub.wipeShop();
    store.hubOutbox.clearShadows();
    store.hub.upsertAgents(agents, at);
    if (shop) {
      store.settings.set('shop', shop.shop);
      if (shop.timeZone) store.settings.set('timeZone', shop.timeZone);
    }
    for (const part of SNAPSHOT_PARTS) {
      let after = '';
      for (;;) {
        const rows = store.hubOutbox.staged(part, after, SWAP_PAGE);
        for (const r of rows) store.hub.apply(part as SharedEntity, r.id, 'upsert', r.row, at, { owner, feed: false });
        if (rows.length < SWAP_PAGE) break;
        after = rows[rows.length - 1]!.id;
      }
    }
    store.hubOutbox.clearStaging();
    // The renderer's replica described the old content: a new feed makes it rebuild from this one.
    deps.sync.renewFeed();
    settle(deps.rebase, head);
    replay(deps.rebase);
    writeTeamState(store, { cursor: head, feedId, ready: true, bootstrap: null, lastSyncedAt: deps.now() });
  });
  return head;
}
