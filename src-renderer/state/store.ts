import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { useShallow } from 'zustand/react/shallow';
import { createDeskSlice, type DeskSlice } from './deskSlice';
import { createOutgoingSlice, type OutgoingSlice } from './outgoingSlice';
import { createPreferencesSlice, type PreferencesSlice } from './preferencesSlice';

export type DeskState = PreferencesSlice & DeskSlice & OutgoingSlice;

/**
 * The one UI store, composed of slices. Data the core owns (conversations, messages, orders) is not
 * here: feature hooks read it. Preferences, drafts and unconfirmed replies persist across reloads.
 */
export const useDeskStore = create<DeskState>()(
  persist(
    (...a) => ({ ...createPreferencesSlice(...a), ...createDeskSlice(...a), ...createOutgoingSlice(...a) }),
    {
      name: 'jiedai.desk',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({
        lang: s.lang,
        sendKey: s.sendKey,
        waitAmberMinutes: s.waitAmberMinutes,
        waitRedMinutes: s.waitRedMinutes,
        drafts: s.drafts,
        outgoing: s.outgoing,
        selectedConversationId: s.selectedConversationId,
        listFilter: s.listFilter,
        listSort: s.listSort,
        held: s.held,
      }),
    },
  ),
);

const initialState = useDeskStore.getState();

/** Tests start from a clean desk. */
export function resetDeskStore(): void {
  useDeskStore.setState(initialState, true);
  localStorage.removeItem('jiedai.desk');
}

export { useShallow };
