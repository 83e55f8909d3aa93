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
    version: 2,
    // 2: 我的 became a scope of its own (listScope) beside 未分配 and 全部.
    migrate: (persisted, version) => {
      const p = (persisted ?? {}) as Record<string, unknown>;
      if (version < 2 && p.listFilter === 'mine') return { ...p, listScope: 'mine', listFilter: 'all' };
      return p;
    },
    storage: createJSONStorage(() => localStorage),
    partialize: (s) => ({
      lang: s.lang,
      sendKey: s.sendKey,
      waitAmberMinutes: s.waitAmberMinutes,
      waitRedMinutes: s.waitRedMinutes,
      alerts: s.alerts,
      drafts: s.drafts,
      selectedConversationId: s.selectedConversationId,
      listScope: s.listScope,
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
