import { AppError } from '../../shared/contract/errors';
import type { PersonalList } from '../../shared/contract/personal';
import { holdProblem, holdState, PERSONAL_MAX_ROWS, type Hold, type PersonalItem, type StoredHold } from '../../shared/domain/personal';
import type { Store } from '../store';
import type { PersonalRow } from '../store/personal';

/**
 * An agent's own holds, snoozes and drafts (issue 15). Every method takes the caller's agent id from
 * the connection's session (the handlers pass `ctx.agentId`), so one agent never reads or writes
 * another's. The clock is the core's (in end-to-end tests the test clock, `JIEDAI_TEST_CLOCK`): a
 * snooze falls due by it, and the desk is told it with each list so that it can correct its own.
 * Nothing here enters the change feed: it is not shared with the shop, and a team's hub never sees it.
 */
export function personalService(store: Store, now: () => number) {
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
        store.personal.setHold(agentId, conversationId, hold && stored(hold, at), at);
        const row = store.personal.get(agentId, conversationId);
        return row && itemOf(row, at);
      });
    },
    saveDraft(agentId: string, conversationId: string, draft: string): null {
      const at = now();
      store.tx(() => {
        if (draft !== '') mayWrite(agentId, conversationId);
        store.personal.setDraft(agentId, conversationId, draft, at);
      });
      return null;
    },
    importLocal(agentId: string, drafts: { conversationId: string; draft: string }[], held: string[]): { imported: number } {
      const at = now();
      let imported = 0;
      store.tx(() => {
        const open = (id: string) => store.conversations.get(id)?.status === 'open';
        for (const d of drafts) {
          if (d.draft === '' || !open(d.conversationId) || store.personal.get(agentId, d.conversationId)?.draft) continue;
          if (!store.personal.has(agentId, d.conversationId) && store.personal.count(agentId) >= PERSONAL_MAX_ROWS) break;
          store.personal.setDraft(agentId, d.conversationId, d.draft, at);
          imported += 1;
        }
        for (const id of held) {
          if (!open(id) || store.personal.get(agentId, id)?.hold) continue;
          if (!store.personal.has(agentId, id) && store.personal.count(agentId) >= PERSONAL_MAX_ROWS) break;
          store.personal.setHold(agentId, id, stored({ kind: 'held' }, at), at);
          imported += 1;
        }
      });
      return { imported };
    },
  };
}

export type PersonalService = ReturnType<typeof personalService>;
