import type { ExportFilters } from '../../../shared/contract/logExport';
import type { ExportRequest } from './runExport';

/** What the core hands an export worker at start (plain data: it crosses a thread boundary). */
export type ExportWorkerData = { dbFile: string; nativeBinding?: string | undefined };

export type ToExportWorker =
  | { type: 'preview'; id: number; filters: ExportFilters; timeZone: string }
  | { type: 'export'; request: ExportRequest }
  | { type: 'cancel' };

export type FromExportWorker =
  | { type: 'preview'; id: number; ok: true; messages: number; conversations: number; fromMs: number; toMs: number }
  | { type: 'preview'; id: number; ok: false; error: string }
  | { type: 'progress'; done: number; total: number }
  | { type: 'finished'; status: 'done' | 'cancelled' | 'failed'; rows: number; bytes: number | null; error?: string };
