import { z } from 'zod';
import { isCalendarDay } from '../domain/days';
import { define } from './define';
import { id as jobId } from './schemas';

export { isCalendarDay };

/**
 * Conversation-log export (issue 6): the filter model, the formats and the job, shared by the core,
 * the CLI and the export screen. The core parses every argument with these schemas.
 */

/** `html-zip`: the HTML transcripts as one page per conversation in a .zip (with an index page). */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'jsonl', 'html', 'html-zip'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The file name ending each format must have (a destination with another ending is refused). */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = {
  csv: '.csv',
  xlsx: '.xlsx',
  jsonl: '.jsonl',
  html: '.html',
  'html-zip': '.zip',
};

export const EXPORT_DIRECTIONS = ['buyer', 'agent', 'system'] as const;
export type ExportDirection = (typeof EXPORT_DIRECTIONS)[number];

/** Languages of the column headers and labels in CSV, XLSX and HTML (JSON Lines always uses codes). */
export const EXPORT_LOCALES = ['zh-CN', 'en'] as const;
export type ExportLocale = (typeof EXPORT_LOCALES)[number];

/** A real day within 2000-01-01..2100-12-31 (a day past that is refused here, not deep in a job). */
const day = z.string().max(10).refine(isCalendarDay, 'a day is written YYYY-MM-DD, between 2000-01-01 and 2100-12-31');
const name = z
  .string()
  .max(128)
  .refine((s) => s.trim().length > 0, 'a name cannot be empty');
const list = (max: number) => z.array(name).max(max).default([]);

/**
 * What to export. Days are inclusive and read in the shop's time zone (setting `timeZone`, default
 * Asia/Shanghai). Within one list any entry matches (OR); the lists combine with AND. An empty list
 * does not filter.
 * - agents: ids or nicks. A message matches when its agent is one of them: the agent who wrote it, or,
 *   for buyer and system messages, the agent serving the conversation.
 * - customers: buyer nicks (exact).
 * - tags, groups: ids or names of the buyer's tags (any of them) or customer group.
 * - keyword: only conversations with a message containing it (case-insensitive for Latin letters)
 *   within the days; all their messages in the days are exported, subject to the other filters.
 * - directions: who wrote the message.
 */
export const exportFiltersSchema = z
  .object({
    from: day,
    to: day,
    agents: list(50),
    customers: list(1000),
    tags: list(100),
    groups: list(100),
    keyword: z.string().max(100).optional(),
    directions: z.array(z.enum(EXPORT_DIRECTIONS)).max(3).default([]),
  })
  .strict()
  .refine((f) => f.from <= f.to, { message: 'the first day is after the last day', path: ['to'] });

export type ExportFilters = z.output<typeof exportFiltersSchema>;
export type ExportFiltersInput = z.input<typeof exportFiltersSchema>;

export const exportStartSchema = z
  .object({
    filters: exportFiltersSchema,
    format: z.enum(EXPORT_FORMATS),
    // No path here: the renderer never names a file on disk. The desktop shell asks the owner with a
    // native save dialog and hands the choice to the core beside these args; otherwise the file goes to
    // the data folder's exports/ under a new name.
    locale: z.enum(EXPORT_LOCALES).default('zh-CN'),
  })
  .strict();

export type ExportStartArgs = z.output<typeof exportStartSchema>;

export type ExportPreview = {
  /** Messages the export would write now. */
  messages: number;
  /** Conversations they belong to. */
  conversations: number;
  /** The instants the days stand for: [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  timeZone: string;
};

/** `interrupted`: the app stopped while it ran (its half file was removed at the next start). */
export type ExportJobStatus = 'running' | 'done' | 'cancelled' | 'failed' | 'interrupted';

export type ExportJob = {
  id: string;
  format: ExportFormat;
  filters: ExportFilters;
  /** The shop's time zone the days and local times were read in. */
  timeZone: string;
  /** Where the file is (or will be, once done). */
  path: string;
  status: ExportJobStatus;
  /** Rows written so far, and rows the export will write (0 until counted). */
  done: number;
  total: number;
  startedAt: number;
  finishedAt: number | null;
  /** Size of the finished file. */
  bytes: number | null;
  error?: string;
};

export type ExportProgress = {
  jobId: string;
  done: number;
  total: number;
  /** Rows per second since the rows started flowing. */
  rate: number;
  /** Estimated time left; null until there is a rate. */
  etaMs: number | null;
};

/** A one-time, short-lived right to fetch one finished export over HTTP (browser mode: `GET /downloads/<ticket>`). */
export type ExportDownload = { ticket: string; fileName: string; bytes: number; expiresAt: number };

export type ExportFinished = {
  jobId: string;
  status: Exclude<ExportJobStatus, 'running' | 'interrupted'>;
  path: string;
  rows: number;
  bytes: number | null;
  durationMs: number;
  error?: string;
};

/** The export methods, spread into the contract's `methods`. Owners and supervisors only. */
export const logExportMethods = {
  /** How many messages (and conversations) the filters select now: the count preview. */
  'logExport.preview': define<ExportPreview>()(exportFiltersSchema),
  /**
   * Starts an export in its own worker thread; progress and the end arrive as events. Null when the
   * owner closed the desktop save dialog: nothing was started.
   */
  'logExport.start': define<{ jobId: string; path: string } | null>()(exportStartSchema),
  /** Stops a running export; its half-written file is removed. False when it had already ended. */
  'logExport.cancel': define<{ cancelled: boolean }>()(z.object({ jobId }).strict()),
  /** Running exports and the 20 most recent finished ones, newest first. */
  'logExport.list': define<ExportJob[]>()(z.object({}).strict()),
  /** Opens the folder of a finished export in the system's file manager (on the machine running the core). */
  'logExport.reveal': define<{ folder: string; opened: boolean }>()(z.object({ jobId }).strict()),
  /** A download ticket for a finished export in the data folder's exports/ (browser mode), valid once for a minute. */
  'logExport.download': define<ExportDownload>()(z.object({ jobId }).strict()),
} as const;
