import { translate } from '../i18n/translate';
import type { Lang } from './lang';
import type { AgentState, TeamAgent } from './types';

/**
 * Assignment and routing (issue 12), as pure rules: which agent a new buyer goes to, what the
 * supervisor's view shows, and the line a transfer leaves in the history. The core's routing service
 * (src-main/services/routing.ts) feeds them the stored rows; the renderer computes the supervisor's
 * view from its replica with the same functions.
 */

/** How many open conversations routing gives an agent unless a supervisor set another number. */
export const MAX_OPEN_DEFAULT = 20;
/** The most a supervisor may set. */
export const MAX_OPEN_LIMIT = 200;
/** A buyer unanswered this long is on the supervisor's list (3 minutes). */
export const UNANSWERED_ALERT_MS = 3 * 60_000;
/** A transfer's note to the colleague. */
export const TRANSFER_NOTE_MAX_CHARS = 500;
/** The language the shop's own history is written in (system lines are data, exported and searched as such). */
export const SHOP_LANG: Lang = 'zh-CN';

/** What routing needs to know of one agent. */
export type RoutingCandidate = {
  id: string;
  state: AgentState;
  /** Signed in at a connected desk right now. */
  present: boolean;
  disabled: boolean;
  maxOpen: number;
  /** Open conversations they own now. */
  open: number;
};

/** The state the team sees: an agent at no connected desk is 离线 whatever they last chose. */
export function shownState(agent: { state: AgentState; present: boolean; disabled?: boolean }): AgentState {
  return agent.present && !agent.disabled ? agent.state : 'offline';
}

/** Whether routing may give this agent a new buyer now: 在线, at a connected desk, enabled, below their maximum. */
export function routable(agent: RoutingCandidate): boolean {
  return shownState(agent) === 'online' && agent.open < agent.maxOpen;
}

/**
 * Round robin: the first routable agent after the one chosen last, in the roster's order (the order
 * accounts were made), wrapping around; the walk starts at the top when the last one is gone from
 * the roster. null: nobody can take a buyer now, so it waits in the queue (未分配).
 */
export function chooseAgent(roster: readonly RoutingCandidate[], lastChosen: string | null): string | null {
  const n = roster.length;
  const start = roster.findIndex((a) => a.id === lastChosen) + 1;
  for (let k = 0; k < n; k++) {
    const agent = roster[(start + k) % n]!;
    if (routable(agent)) return agent.id;
  }
  return null;
}

/** What the supervisor's view needs of a conversation. */
export type RoutedConversation = { id: string; agentId: string | null; waitingSince: number | null };

export type AgentLoad<C extends RoutedConversation> = {
  agent: TeamAgent;
  state: AgentState;
  open: number;
  /** The oldest unanswered buyer message among their conversations (null: nobody waits on them). */
  waitingSince: number | null;
  conversations: C[];
};

export type TeamOverview<C extends RoutedConversation> = {
  agents: AgentLoad<C>[];
  /** Open conversations nobody owns (未分配), longest waiting first. */
  queue: C[];
  /** Every buyer unanswered for `UNANSWERED_ALERT_MS` or more at `now`, owned or not, longest waiting first. */
  unanswered: C[];
};

const byWaiting = (a: RoutedConversation, b: RoutedConversation) =>
  (a.waitingSince ?? Infinity) - (b.waitingSince ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The supervisor's view of the team at `now`: each enabled agent with the state the team sees, their
 * open conversations and the longest wait among them; the queue; every buyer waiting 3 minutes or
 * more. Conversations of an agent the roster does not know count as theirs all the same (listed
 * under nobody), so the lists add up to what the desk holds.
 */
export function teamOverview<C extends RoutedConversation>(
  agents: readonly TeamAgent[],
  conversations: readonly C[],
  now: number,
  alertMs = UNANSWERED_ALERT_MS,
): TeamOverview<C> {
  const byAgent = new Map<string, C[]>();
  const queue: C[] = [];
  const unanswered: C[] = [];
  for (const c of conversations) {
    if (c.agentId === null) queue.push(c);
    else {
      const list = byAgent.get(c.agentId);
      if (list) list.push(c);
      else byAgent.set(c.agentId, [c]);
    }
    if (c.waitingSince !== null && now - c.waitingSince >= alertMs) unanswered.push(c);
  }
  const loads = agents
    .filter((a) => !a.disabled)
    .map((agent): AgentLoad<C> => {
      const mine = (byAgent.get(agent.id) ?? []).sort(byWaiting);
      const waits = mine.map((c) => c.waitingSince).filter((w): w is number => w !== null);
      return {
        agent,
        state: shownState(agent),
        open: mine.length,
        waitingSince: waits.length > 0 ? Math.min(...waits) : null,
        conversations: mine,
      };
    });
  return { agents: loads, queue: queue.sort(byWaiting), unanswered: unanswered.sort(byWaiting) };
}

/**
 * The system line a transfer leaves in the conversation's history (written in the shop's language:
 * it is the shop's record, exported and searched like any message). `by` is who transferred it,
 * `from` its owner before (when that was someone else), `to` the colleague (null: back to the queue).
 */
export function transferLine(parts: { by: string; from: string | null; to: string | null; note: string }, lang: Lang = SHOP_LANG): string {
  const line =
    parts.to === null
      ? parts.from !== null && parts.from !== parts.by
        ? translate(lang, 'routing.line.queueFrom', { by: parts.by, from: parts.from })
        : translate(lang, 'routing.line.queue', { by: parts.by })
      : parts.from !== null && parts.from !== parts.by
        ? translate(lang, 'routing.line.toFrom', { by: parts.by, from: parts.from, to: parts.to })
        : translate(lang, 'routing.line.to', { by: parts.by, to: parts.to });
  const note = parts.note.trim();
  return note === '' ? line : translate(lang, 'routing.line.withNote', { line, note });
}
