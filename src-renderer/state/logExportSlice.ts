import type { StateCreator } from 'zustand';
import type { ExportDirection, ExportFormat } from '../../shared/contract/logExport';

/** The export screen's form as the owner left it (UI state: the core owns the jobs). */
export type ExportForm = {
  from: string;
  to: string;
  agents: string[];
  tags: string[];
  groups: string[];
  directions: ExportDirection[];
  /** Buyer nicks as typed, separated by commas or lines. */
  customers: string;
  keyword: string;
  format: ExportFormat;
};

export type LogExportSlice = {
  /** Null until the screen first opens (it then fills in the default days in the shop's time zone). */
  exportForm: ExportForm | null;
  setExportForm(form: ExportForm): void;
  updateExportForm(patch: Partial<ExportForm>): void;
};

/** Kept in the store (not the screen) so the filters survive going to the desk and back. */
export const createLogExportSlice: StateCreator<LogExportSlice, [], [], LogExportSlice> = (set) => ({
  exportForm: null,
  setExportForm: (exportForm) => set({ exportForm }),
  updateExportForm: (patch) => set((state) => (state.exportForm ? { exportForm: { ...state.exportForm, ...patch } } : {})),
});
