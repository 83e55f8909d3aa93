import type { ConversationSummary } from '../../../shared/domain/types';
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
  /** Conversations the agent put on hold (挂起) to come back to. */
  held: Record<string, true>;
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
    if (view.filter === 'held' && !view.held[c.id]) return false;
    if (view.tagId && !c.customerTags.some((t) => t.id === view.tagId)) return false;
    if (view.groupId && c.customerGroupId !== view.groupId) return false;
    if (q && !c.customerNick.toLowerCase().includes(q)) return false;
    return true;
  });
  return out.sort(view.sort === 'recent' ? byRecent : byLongestWaiting);
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
