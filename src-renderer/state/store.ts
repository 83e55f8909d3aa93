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
 * (its outbox). Preferences and the selection persist across reloads; drafts and holds are the
 * agent's, kept in the core (features/personal).
 */
export const useDeskStore = create<DeskState>()(
  persist((...a) => ({ ...createPreferencesSlice(...a), ...createDeskSlice(...a), ...createLogExportSlice(...a) }), {
    name: 'jiedai.desk',
    version: 3,
    // 2: 我的 became a scope of its own (listScope) beside 未分配 and 全部.
    // 3: drafts and holds moved to the core, per agent (features/personal): what this browser kept is
    //    handed to the core once, as the first agent's to sit down here, then forgotten.
    migrate: (persisted, version) => {
      let p = (persisted ?? {}) as Record<string, unknown>;
      if (version < 2 && p.listFilter === 'mine') p = { ...p, listScope: 'mine', listFilter: 'all' };
      if (version < 3) {
        const { drafts, held, ...rest } = p;
        const legacy = { drafts: stringRecord(drafts), held: stringRecord(held) };
        p = { ...rest, legacyPersonal: Object.keys(legacy.drafts).length + Object.keys(legacy.held).length > 0 ? legacy : null };
      }
      return p;
    },
    storage: createJSONStorage(() => localStorage),
    partialize: (s) => ({
      lang: s.lang,
      sendKey: s.sendKey,
      waitAmberMinutes: s.waitAmberMinutes,
      waitRedMinutes: s.waitRedMinutes,
      alerts: s.alerts,
      legacyPersonal: s.legacyPersonal,
      selectedConversationId: s.selectedConversationId,
      listScope: s.listScope,
      listFilter: s.listFilter,
      listSort: s.listSort,
      recentEmoji: s.recentEmoji,
    }),
  }),
);

/** The string values of a stored record (what an old version kept may be anything). */
function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string' || v === true) out[k] = v === true ? '' : v;
  return out;
}

const initialState = useDeskStore.getState();

/** Tests start from a clean desk. */
export function resetDeskStore(): void {
  useDeskStore.setState(initialState, true);
  localStorage.removeItem('jiedai.desk');
}

export { useShallow };
