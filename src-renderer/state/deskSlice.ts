import type { StateCreator } from 'zustand';

/** Recently used emoji, the newest first, at most `max`, no repeats. */
export function withRecent(recent: readonly string[], used: string, max = 24): string[] {
  return [used, ...recent.filter((u) => u !== used)].slice(0, max);
}

/** A search to start with: the words, and days YYYY-MM-DD and the direction to filter by. */
export type SearchPreset = { q: string; from?: string; to?: string; direction?: 'buyer' | 'agent' | 'system' };

/** What the agent has selected and typed: UI state only, never data the core owns. */
export type DeskSlice = {
  /** Which screen the window shows. */
  screen: 'desk' | 'phrases' | 'logExport' | 'search' | 'history' | 'supervisor' | 'reports' | 'channels' | 'automation';
  setScreen(screen: DeskSlice['screen']): void;
  /** What the search screen opens with next (a hot question in 报表), taken once by the screen. */
  searchPreset: SearchPreset | null;
  openSearch(preset: SearchPreset | null): void;
  selectedConversationId: string | null;
  /**
   * Unsent text per conversation, as the reply box edits it; the agent's own, kept in the core
   * (features/personal fills it when the agent sits down and saves each change).
   */
  drafts: Record<string, string>;
  /** Drafts and holds this browser kept before they moved to the core (store version 3), until handed over. */
  legacyPersonal: { drafts: Record<string, string>; held: Record<string, string> } | null;
  /** The list's buyer-nick search. */
  listQuery: string;
  /** Whose conversations the list shows: 我的 / 未分配 / 全部. */
  listScope: 'mine' | 'unassigned' | 'all';
  /** A refinement within the scope: 未回复 or 已挂起 only ('all': none). */
  listFilter: 'all' | 'waiting' | 'held';
  listSort: 'waiting' | 'recent';
  listTagId: string | null;
  listGroupId: string | null;
  /** The order whose number and logistics fill phrase variables, per conversation (default: the newest). */
  phraseOrder: Record<string, string>;
  /** Bumped to ask the composer to open the picker (from an order card). */
  pickerRequest: number;
  usePhraseOrder(conversationId: string, orderId: string | null): void;
  setListView(view: Partial<Pick<DeskSlice, 'listScope' | 'listFilter' | 'listSort' | 'listTagId' | 'listGroupId'>>): void;
  select(conversationId: string | null): void;
  setListQuery(query: string): void;
  setDraft(conversationId: string, text: string): void;
  /** The emoji this browser's agents used lately, the newest first (the picker's first tab). */
  recentEmoji: string[];
  useEmoji(emoji: string): void;
  /** 引用: puts the quote at the start of the conversation's draft and asks the reply box for the caret. */
  quote(conversationId: string, quote: string): void;
  /** Bumped to ask the reply box to take the focus, the caret at the end. */
  composerFocus: number;
};

export const createDeskSlice: StateCreator<DeskSlice, [], [], DeskSlice> = (set) => ({
  screen: 'desk',
  setScreen: (screen) => set({ screen }),
  searchPreset: null,
  openSearch: (searchPreset) => set({ searchPreset }),
  selectedConversationId: null,
  drafts: {},
  legacyPersonal: null,
  listQuery: '',
  listScope: 'all',
  listFilter: 'all',
  listSort: 'waiting',
  listTagId: null,
  listGroupId: null,
  phraseOrder: {},
  pickerRequest: 0,
  recentEmoji: [],
  composerFocus: 0,
  quote: (conversationId, quote) =>
    set((state) => {
      const draft = state.drafts[conversationId] ?? '';
      return { drafts: { ...state.drafts, [conversationId]: quote + draft }, composerFocus: state.composerFocus + 1 };
    }),
  useEmoji: (emoji) => set((state) => ({ recentEmoji: withRecent(state.recentEmoji, emoji) })),
  usePhraseOrder: (conversationId, orderId) =>
    set((state) => {
      const phraseOrder = { ...state.phraseOrder };
      if (orderId) phraseOrder[conversationId] = orderId;
      else delete phraseOrder[conversationId];
      return { phraseOrder, pickerRequest: orderId ? state.pickerRequest + 1 : state.pickerRequest };
    }),
  setListView: (view) => set(view),
  select: (selectedConversationId) => set({ selectedConversationId }),
  setListQuery: (listQuery) => set({ listQuery }),
  setDraft: (conversationId, text) =>
    set((state) => {
      const drafts = { ...state.drafts };
      if (text) drafts[conversationId] = text;
      else delete drafts[conversationId];
      return { drafts };
    }),
});
