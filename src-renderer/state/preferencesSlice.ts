import type { StateCreator } from 'zustand';
import type { Lang } from '../i18n';

export type SendKey = 'enter' | 'ctrlEnter';

export type PreferencesSlice = {
  lang: Lang;
  sendKey: SendKey;
  setLang(lang: Lang): void;
  setSendKey(key: SendKey): void;
};

export const createPreferencesSlice: StateCreator<PreferencesSlice, [], [], PreferencesSlice> = (set) => ({
  lang: 'zh-CN',
  sendKey: 'enter',
  setLang: (lang) => set({ lang }),
  setSendKey: (sendKey) => set({ sendKey }),
});
