import type { StateCreator } from 'zustand';
import type { Lang } from '../../shared/domain/lang';

export type SendKey = 'enter' | 'ctrlEnter';

/** The sound a new buyer message makes (features/alerts/sounds.ts), or none. */
export type AlertSound = 'ding' | 'bell' | 'soft' | 'off';
export const ALERT_SOUNDS: readonly AlertSound[] = ['ding', 'bell', 'soft', 'off'];
/** How a desk tells its agent that a buyer wrote: a sound, and a desktop notification while the window is in the background. */
export type AlertPrefs = { sound: AlertSound; notify: boolean };
export const DEFAULT_ALERTS: AlertPrefs = { sound: 'ding', notify: true };

export type PreferencesSlice = {
  lang: Lang;
  sendKey: SendKey;
  /** The waiting clock turns amber, then red, after this many minutes. */
  waitAmberMinutes: number;
  waitRedMinutes: number;
  /** Alerts per agent (by agent id): two agents sharing a PC keep their own choice. */
  alerts: Record<string, AlertPrefs>;
  setAlerts(agentId: string, prefs: Partial<AlertPrefs>): void;
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
  alerts: {},
  setAlerts: (agentId, prefs) =>
    set((s) => ({ alerts: { ...s.alerts, [agentId]: { ...DEFAULT_ALERTS, ...s.alerts[agentId], ...prefs } } })),
  setWaitThresholds: (amber, red) => {
    const a = Math.min(Math.max(1, Math.round(amber)), 120);
    set({ waitAmberMinutes: a, waitRedMinutes: Math.min(Math.max(a + 1, Math.round(red)), 240) });
  },
});
