import type { ConversationSummary } from '../../../shared/domain/types';
import { withHolds, type PersonalItem } from '../../../shared/domain/personal';
import { byLongestWaiting } from './useConversationList';

export type ListScope = 'mine' | 'unassigned' | 'all';
export type ListFilter = 'all' | 'waiting' | 'held';
export type ListSort = 'waiting' | 'recent';

export type ListView = {
  /** Whose: this agent's (我的), nobody's (未分配), or every open one (全部). */
  scope: ListScope;
  filter: ListFilter;
  sort: ListSort;
  tagId: string | null;
  groupId: string | null;
  query: string;
  /**
   * The agent's holds and snoozes (the core's, features/personal): 已挂起 shows the held and snoozed
   * ones; elsewhere snoozed ones are left out and due ones come first.
   */
  holds: ReadonlyMap<string, Pick<PersonalItem, 'state' | 'dueAt'>>;
  agentId: string | null;
};

const byRecent = (a: ConversationSummary, b: ConversationSummary) => b.lastMessageAt - a.lastMessageAt;

/** What the list shows, in the order it shows it. Pure: the desk's keyboard moves through the same list. */
export function visibleConversations(all: ConversationSummary[], view: ListView): ConversationSummary[] {
  const q = view.query.trim().toLowerCase();
  const out = all.filter((c) => {
    if (view.scope === 'mine' && c.agentId !== view.agentId) return false;
    if (view.scope === 'unassigned' && c.agentId !== null) return false;
    if (view.filter === 'waiting' && c.waitingSince === null) return false;
    if (view.filter === 'held') {
      const state = view.holds.get(c.id)?.state;
      if (state !== 'held' && state !== 'snoozed') return false;
    }
    if (view.tagId && !c.customerTags.some((t) => t.id === view.tagId)) return false;
    if (view.groupId && c.customerGroupId !== view.groupId) return false;
    if (q && !c.customerNick.toLowerCase().includes(q)) return false;
    return true;
  });
  return withHolds(out.sort(view.sort === 'recent' ? byRecent : byLongestWaiting), view.holds, view.filter === 'held');
}

/** How many open conversations each scope holds (the tabs' counts), whatever the other filters. */
export function scopeCounts(all: readonly ConversationSummary[], agentId: string | null): Record<ListScope, number> {
  let mine = 0;
  let unassigned = 0;
  for (const c of all) {
    if (c.agentId === null) unassigned += 1;
    else if (c.agentId === agentId) mine += 1;
  }
  return { mine, unassigned, all: all.length };
}
