import type { Result } from '../../shared/contract/errors';
import { personalSyncAnswer } from '../../shared/contract/personal';
import { PERSONAL_SYNC_BATCH } from '../../shared/domain/personal';
import type { PersonalService } from '../services/personal';
import type { Store } from '../store';
import type { PersonalOutboxEntry } from '../store/personal';

export type PersonalSyncDeps = {
  store: Store;
  personal: PersonalService;
  /** A call to the hub (`unavailable` while it cannot be reached). */
  forward: (method: string, args: unknown) => Promise<Result<unknown>>;
  /** The desk's account at the hub: the only agent whose writes go out. */
  agentId: () => string | null;
  log: (message: string, error?: unknown) => void;
};

const writeOf = (e: PersonalOutboxEntry) =>
  e.field === 'draft'
    ? { conversationId: e.conversationId, at: e.at, draft: e.draft }
    : {
        conversationId: e.conversationId,
        at: e.at,
        hold: e.hold === null ? null : e.hold.kind === 'until' ? { kind: 'until' as const, until: e.hold.until } : { kind: e.hold.kind },
      };

/**
 * A team desk's personal rows (holds, snoozes, drafts) and its hub (issue 15): the writes queued in
 * `personal_outbox` go out in the order they were made, one call at a time (never two sends of one
 * entry at once; an entry leaves the queue when the hub answered for it, so a lost answer sends it
 * again, which the hub's newest-wins rule makes change nothing), and the hub's rows for the agent come
 * back and are taken in unless this desk keeps a newer write of the same content.
 */
export function personalSync(deps: PersonalSyncDeps) {
  let chain: Promise<boolean> = Promise.resolve(true);
  /** A flush asked for while another runs: later asks join it (it sends everything queued by then). */
  let waiting: Promise<boolean> | null = null;
  /** Whether the waiting flush also reads the hub's rows (a list, a reconnect) or only hands over writes. */
  let wantRows = false;

  const once = async (rows: boolean): Promise<boolean> => {
    const agentId = deps.agentId();
    if (!agentId) return false;
    for (;;) {
      const batch = deps.store.personal.outboxBatch(agentId, PERSONAL_SYNC_BATCH);
      const last = batch.length < PERSONAL_SYNC_BATCH;
      if (batch.length === 0 && !rows) return true;
      const r = await deps.forward('personal.sync', { writes: batch.map(writeOf), rows: rows && last });
      if (!r.ok) {
        if (r.error.code !== 'unavailable') deps.log(`personal.sync refused: ${r.error.code}: ${r.error.message}`);
        return false;
      }
      const answer = personalSyncAnswer.safeParse(r.value);
      if (!answer.success) {
        deps.log('personal.sync: the hub answered in an unknown shape');
        return false;
      }
      if (deps.agentId() !== agentId) return false;
      deps.store.tx(() => {
        deps.store.personal.outboxDone(batch.map((e) => e.seq));
        deps.personal.takeHub(agentId, answer.data.rows);
      });
      if (last) return true;
    }
  };

  return {
    /**
     * Sends what waits and, with `rows`, takes in the hub's rows; true when the hub answered to the
     * end. Calls run one after another.
     */
    flush(rows: boolean): Promise<boolean> {
      if (rows) wantRows = true;
      if (waiting) return waiting;
      const next = chain
        .then(() => {
          waiting = null;
          const withRows = wantRows;
          wantRows = false;
          return once(withRows);
        })
        .catch((error: unknown) => {
          deps.log('personal.sync failed', error);
          return false;
        });
      waiting = next;
      chain = next;
      return next;
    },
  };
}

export type PersonalSync = ReturnType<typeof personalSync>;
