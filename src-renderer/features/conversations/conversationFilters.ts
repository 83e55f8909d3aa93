import type { ConversationSummary } from '../../../shared/domain/types';
import { byLongestWaiting } from './useConversationList';

export type ListFilter = 'all' | 'waiting' | 'mine' | 'held';
export type ListSort = 'waiting' | 'recent';

export type ListView = {
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
    if (view.filter === 'waiting' && c.waitingSince === null) return false;
    if (view.filter === 'mine' && c.agentId !== view.agentId) return false;
    if (view.filter === 'held' && !view.held[c.id]) return false;
    if (view.tagId && !c.customerTags.some((t) => t.id === view.tagId)) return false;
    if (view.groupId && c.customerGroupId !== view.groupId) return false;
    if (q && !c.customerNick.toLowerCase().includes(q)) return false;
    return true;
  });
  return out.sort(view.sort === 'recent' ? byRecent : byLongestWaiting);
}
