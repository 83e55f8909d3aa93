import type { StateCreator } from 'zustand';

/** What the agent has selected and typed: UI state only, never data the core owns. */
export type DeskSlice = {
  selectedConversationId: string | null;
  /** Unsent text per conversation: survives switching conversations and reloading the page. */
  drafts: Record<string, string>;
  /** The list's buyer-nick search. */
  listQuery: string;
  select(conversationId: string | null): void;
  setListQuery(query: string): void;
  setDraft(conversationId: string, text: string): void;
};

export const createDeskSlice: StateCreator<DeskSlice, [], [], DeskSlice> = (set) => ({
  selectedConversationId: null,
  drafts: {},
  listQuery: '',
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
