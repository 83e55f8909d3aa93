import type { StateCreator } from 'zustand';
import type { Lang } from '../../shared/domain/lang';

export type SendKey = 'enter' | 'ctrlEnter';

export type PreferencesSlice = {
  lang: Lang;
  sendKey: SendKey;
  /** The waiting clock turns amber, then red, after this many minutes. */
  waitAmberMinutes: number;
  waitRedMinutes: number;
  setLang(lang: Lang): void;
  setSendKey(key: SendKey): void;
  setWaitThresholds(amberMinutes: number, redMinutes: number): void;
};

export const createPreferencesSlice: StateCreator<PreferencesSlice, [], [], PreferencesSlice> = (set) => ({
  lang: 'zh-CN',
  sendKey: 'enter',
  setLang: (lang) => set({ lang }),
  waitAmberMinutes: 1,
  waitRedMinutes: 3,
  setSendKey: (sendKey) => set({ sendKey }),
  setWaitThresholds: (amber, red) => {
    const a = Math.min(Math.max(1, Math.round(amber)), 120);
    set({ waitAmberMinutes: a, waitRedMinutes: Math.min(Math.max(a + 1, Math.round(red)), 240) });
  },
});
