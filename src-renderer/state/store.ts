import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { useShallow } from 'zustand/react/shallow';
import { createDeskSlice, type DeskSlice } from './deskSlice';
import { createLogExportSlice, type LogExportSlice } from './logExportSlice';
import { createPreferencesSlice, type PreferencesSlice } from './preferencesSlice';

export type DeskState = PreferencesSlice & DeskSlice & LogExportSlice;

/**
 * The one UI store, composed of slices: UI state only (selection, drafts, filters, preferences). Data
 * the core owns lives in the replica (src-renderer/db), and so do the agent's unconfirmed actions
 * (its outbox). Preferences, drafts and the selection persist across reloads.
 */
export const useDeskStore = create<DeskState>()(
  persist((...a) => ({ ...createPreferencesSlice(...a), ...createDeskSlice(...a), ...createLogExportSlice(...a) }), {
    name: 'jiedai.desk',
    version: 1,
    storage: createJSONStorage(() => localStorage),
    partialize: (s) => ({
      lang: s.lang,
      sendKey: s.sendKey,
      waitAmberMinutes: s.waitAmberMinutes,
      waitRedMinutes: s.waitRedMinutes,
      alerts: s.alerts,
      drafts: s.drafts,
      selectedConversationId: s.selectedConversationId,
      listFilter: s.listFilter,
      listSort: s.listSort,
      held: s.held,
      recentEmoji: s.recentEmoji,
    }),
  }),
);

const initialState = useDeskStore.getState();

/** Tests start from a clean desk. */
export function resetDeskStore(): void {
  useDeskStore.setState(initialState, true);
  localStorage.removeItem('jiedai.desk');
}

export { useShallow };
