import { AppError } from '../../shared/contract/errors';
import type { PersonalList, PersonalSyncAnswer, PersonalSyncRow } from '../../shared/contract/personal';
import {
  holdProblem,
  holdState,
  PERSONAL_CLOCK_SKEW_MS,
  PERSONAL_MAX_ROWS,
  PERSONAL_OUTBOX_MAX,
  type Hold,
  type PersonalItem,
  type StoredHold,
} from '../../shared/domain/personal';
import type { Store } from '../store';
import type { PersonalRow } from '../store/personal';

/**
 * An agent's own holds, snoozes and drafts (issue 15). Every method takes the caller's agent id from
 * the connection's session (the handlers pass `ctx.agentId`), so one agent never reads or writes
 * another's. The clock is the core's (in end-to-end tests the test clock, `JIEDAI_TEST_CLOCK`): a
 * snooze falls due by it, and the desk is told it with each list so that it can correct its own.
 * Nothing here enters the change feed: it is not shared with the shop. On a team's desk (`queued()`)
 * every write is also queued, in its transaction, for the hub (`personal_outbox`, bounded), which
 * keeps the agent's rows for them alone (`sync`), so they follow the agent to another PC.
 */
export function personalService(store: Store, now: () => number, queued: () => boolean = () => false) {
  const itemOf = (row: PersonalRow, at: number): PersonalItem => {
    const lastBuyer = row.hold?.kind === 'buyer' ? row.buyerAfter : null;
    const s = row.hold ? holdState(row.hold, lastBuyer, at) : null;
    return {
      conversationId: row.conversationId,
      hold: row.hold,
      state: s?.state ?? null,
      dueAt: s?.dueAt ?? null,
      draft: row.draft,
      updatedAt: row.updatedAt,
    };
  };

  /** The conversation must be open; a new row must fit in the agent's limit (rows of closed conversations go first). */
  const mayWrite = (agentId: string, conversationId: string) => {
    if (store.conversations.get(conversationId)?.status !== 'open') throw new AppError('not_found', 'no such open conversation');
    if (store.personal.has(agentId, conversationId)) return;
    if (store.personal.count(agentId) < PERSONAL_MAX_ROWS) return;
    store.personal.pruneClosed(agentId);
    if (store.personal.count(agentId) >= PERSONAL_MAX_ROWS)
      throw new AppError('limit_exceeded', `an agent keeps drafts and holds in at most ${PERSONAL_MAX_ROWS} conversations`);
  };

  const stored = (hold: Hold, at: number): StoredHold => ({ ...hold, since: at });
  const open = (id: string) => store.conversations.get(id)?.status === 'open';
  /** A clear of what was never kept here, in a conversation that is not open: nothing to write or remember. */
  const idle = (agentId: string, conversationId: string) => !store.personal.known(agentId, conversationId) && !open(conversationId);

  /**
   * When the agent's own write of a content counts as made: now, or just after the newest write of it
   * this core holds, if a PC with a clock ahead made that one (what the agent does now is the newest).
   */
  const writeAt = (agentId: string, conversationId: string, field: 'holdAt' | 'draftAt', at: number) =>
    Math.max(at, (store.personal.times(agentId, conversationId)?.[field] ?? -1) + 1);

  /** On a team's desk, inside the write's transaction: the write waits for the hub (a newer one of the same content replaces it). */
  const queue = (agentId: string, conversationId: string, write: { hold: StoredHold | null } | { draft: string }, at: number) => {
    if (!queued()) return;
    if (store.personal.outboxCount() >= PERSONAL_OUTBOX_MAX)
      throw new AppError('limit_exceeded', `at most ${PERSONAL_OUTBOX_MAX} drafts and holds wait for the team hub: reconnect first`);
    store.personal.enqueue(agentId, conversationId, write, at);
  };

  return {
    list(agentId: string): PersonalList {
      const at = now();
      return { now: at, items: store.personal.list(agentId).map((r) => itemOf(r, at)) };
    },
    setHold(agentId: string, conversationId: string, hold: Hold | null): PersonalItem | null {
      const at = now();
      if (hold) {
        const problem = holdProblem(hold, at);
        if (problem)
          throw new AppError('invalid_argument', problem === 'past' ? 'a snooze ends in the future' : 'a snooze ends within a year');
      }
      return store.tx(() => {
        if (hold) mayWrite(agentId, conversationId);
        else if (idle(agentId, conversationId)) return null;
        const t = writeAt(agentId, conversationId, 'holdAt', at);
        store.personal.setHold(agentId, conversationId, hold && stored(hold, at), t);
        queue(agentId, conversationId, { hold: hold && stored(hold, at) }, t);
        const row = store.personal.get(agentId, conversationId);
        return row && itemOf(row, at);
      });
    },
    saveDraft(agentId: string, conversationId: string, draft: string): null {
      const at = now();
      store.tx(() => {
        if (draft !== '') mayWrite(agentId, conversationId);
        else if (idle(agentId, conversationId)) return;
        const t = writeAt(agentId, conversationId, 'draftAt', at);
        store.personal.setDraft(agentId, conversationId, draft, t);
        queue(agentId, conversationId, { draft }, t);
      });
      return null;
    },
    importLocal(agentId: string, drafts: { conversationId: string; draft: string }[], held: string[]): { imported: number } {
      const at = now();
      let imported = 0;
      store.tx(() => {
        for (const d of drafts) {
          if (d.draft === '' || !open(d.conversationId) || store.personal.get(agentId, d.conversationId)?.draft) continue;
          if (!store.personal.has(agentId, d.conversationId) && store.personal.count(agentId) >= PERSONAL_MAX_ROWS) break;
          const t = writeAt(agentId, d.conversationId, 'draftAt', at);
          store.personal.setDraft(agentId, d.conversationId, d.draft, t);
          queue(agentId, d.conversationId, { draft: d.draft }, t);
          imported += 1;
        }
        for (const id of held) {
          if (!open(id) || store.personal.get(agentId, id)?.hold) continue;
          if (!store.personal.has(agentId, id) && store.personal.count(agentId) >= PERSONAL_MAX_ROWS) break;
          const t = writeAt(agentId, id, 'holdAt', at);
          store.personal.setHold(agentId, id, stored({ kind: 'held' }, at), t);
          queue(agentId, id, { hold: stored({ kind: 'held' }, at) }, t);
          imported += 1;
        }
      });
      return { imported };
    },

    /**
     * On the hub: a desk's writes for the session's agent, each at the time it was made (no later
     * than the hub's now and a little skew), the newest per conversation and content winning; then,
     * if asked, the rows kept for that agent. A write the hub cannot keep (its conversation is not open here,
     * or the agent's rows are full) is dropped: the desk keeps its own copy.
     */
    sync(
      agentId: string,
      writes: ({ conversationId: string; at: number } & ({ hold: Hold | null } | { draft: string }))[],
      rows: boolean,
    ): PersonalSyncAnswer {
      const at0 = now();
      store.tx(() => {
        for (const w of writes) {
          const at = Math.min(w.at, at0 + PERSONAL_CLOCK_SKEW_MS);
          const sets = 'hold' in w ? w.hold !== null : w.draft !== '';
          if (sets) {
            if (!open(w.conversationId)) continue;
            try {
              mayWrite(agentId, w.conversationId);
            } catch {
              continue;
            }
          } else if (idle(agentId, w.conversationId)) continue;
          if ('hold' in w) store.personal.setHold(agentId, w.conversationId, w.hold && stored(w.hold, at), at);
          else store.personal.setDraft(agentId, w.conversationId, w.draft, at);
        }
      });
      return { now: at0, rows: rows ? store.personal.syncRows(agentId) : [] };
    },

    /** On a team's desk: the hub's rows for this desk's agent, each content taken unless a newer write of it is kept here. */
    takeHub(agentId: string, rows: PersonalSyncRow[]): void {
      store.tx(() => {
        for (const r of rows) {
          store.personal.setHold(agentId, r.conversationId, r.hold, r.holdAt);
          store.personal.setDraft(agentId, r.conversationId, r.draft, r.draftAt);
        }
      });
    },
  };
}

export type PersonalService = ReturnType<typeof personalService>;
