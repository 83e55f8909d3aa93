import { z } from 'zod';
import { isCalendarDay } from '../domain/days';
import { dayNumber } from '../domain/reports/clock';
import { MAX_PERIOD_DAYS } from '../domain/reports/periods';
import type { Metrics, Totals } from '../domain/reports/summarize';
import type { ReminderFigures } from '../domain/reports/table';
import type { QuestionGroup } from '../domain/reports/text';
import type { WorkingHours } from '../domain/reports/workingHours';
import { define } from './define';
import { id } from './schemas';

/**
 * Reports (数据分析, issue 17) for supervisors and the shop owner (policy: `viewReports`): the team and
 * each agent over a period, the change against the period before, the hour × weekday heatmap of buyer
 * messages, hot questions and words, the phrases used most and never, the table as CSV or XLSX, and
 * the shop's working hours (response times count working time only). What each number means is
 * written in shared/domain/reports (fold.ts, attribution.ts, summarize.ts). In team mode a desk asks
 * the hub, which holds the whole shop, and answers from its own store when the hub cannot be reached.
 */

export type { Metrics, Totals, WorkingHours, QuestionGroup };

export const REPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_EXTENSIONS: Record<ReportFormat, string> = { csv: '.csv', xlsx: '.xlsx' };

const day = z.string().max(10).refine(isCalendarDay, 'a day is written YYYY-MM-DD, between 2000-01-01 and 2100-12-31');
const span = <T extends { from: string; to: string }>(s: z.ZodType<T>) =>
  s
    .refine((p) => p.from <= p.to, { message: 'the first day is after the last day', path: ['to'] })
    .refine((p) => dayNumber(p.to) - dayNumber(p.from) < MAX_PERIOD_DAYS, {
      message: `a report covers at most ${MAX_PERIOD_DAYS} days`,
      path: ['from'],
    });

/** Days inclusive, in the shop's time zone. `agentIds`: only these agents' rows (the team's row is always the whole shop's). */
export const reportPeriodSchema = span(
  z
    .object({
      from: day,
      to: day,
      granularity: z.enum(['day', 'week']).optional(),
      agentIds: z
        .array(z.union([id, z.literal('')]))
        .max(100)
        .optional(),
    })
    .strict(),
);
export type ReportPeriod = z.input<typeof reportPeriodSchema>;

const daysOnly = span(z.object({ from: day, to: day }).strict());

export const workingHoursSchema = z
  .object({
    days: z
      .array(z.number().int().min(0).max(6))
      .max(7)
      .refine((d) => new Set(d).size === d.length, 'each weekday once'),
    start: z.number().int().min(0).max(1439),
    end: z.number().int().min(0).max(1440),
  })
  .strict();

export type ReportStatus = {
  /** Changes written since the rollups were brought up to date (0: the report is current). */
  behind: number;
  /** The rollups are being built from the history (after an update, or new working hours). */
  rebuilding: { done: number; total: number } | null;
};

/** Counted from the reminder log (issue 16): a reminder belongs to the day it was sent; an order paid after it is recovered. */
export type { ReminderFigures };

export type ReportSummary = {
  from: string;
  to: string;
  granularity: 'day' | 'week';
  timeZone: string;
  generatedAt: number;
  workingHours: WorkingHours | null;
  /** Nicks of the agents the report names (an id no longer known keeps its id). */
  agents: { id: string; nick: string }[];
  totals: Totals;
  /** The period of the same length just before, for the change. */
  previous: { from: string; to: string; totals: Totals; reminders: ReminderFigures; agentReminders?: Record<string, ReminderFigures> };
  /** 催付 in the period: reminders sent (the runner's and agents' clicks), orders paid after one, their amount. */
  reminders: ReminderFigures;
  /**
   * 催付 per agent of `totals.agents` (absent: none): the reminders they clicked, and the automatic
   * ones sent into a conversation they served at the time ('' : conversations nobody served).
   * Optional: a hub of an earlier version answers without it (its rows then show no 催付).
   */
  agentReminders?: Record<string, ReminderFigures>;
  /** The team per day or week (a week's first and last day, cut to the period). */
  series: { from: string; to: string; team: Metrics }[];
  status: ReportStatus;
};

/** Buyer messages: `grid[weekday][hour]`, weekday 0 Sunday … 6 Saturday, shop-local hours. */
export type ReportHeatmap = { from: string; to: string; grid: number[][]; max: number };

export type ReportQuestions = { from: string; to: string; questions: QuestionGroup[]; words: { word: string; n: number }[] };

export type PhraseUse = {
  id: string;
  code: string;
  title: string;
  content: string;
  groupName: string;
  useCount: number;
  lastUsedAt: number | null;
};
/**
 * The team's phrases (统一口径) by use: over the period asked for (`period`; uses are counted per day
 * from the version that added it on), or since each phrase was written (`period` null).
 */
export type ReportPhrases = {
  mostUsed: PhraseUse[];
  neverUsed: PhraseUse[];
  neverUsedCount: number;
  teamCount: number;
  period: { from: string; to: string } | null;
};

export type ReportExport = {
  path: string;
  fileName: string;
  bytes: number;
  /** Browser mode: a one-time ticket for `GET /downloads/<ticket>` (the file is in the data folder's exports/). */
  download: { ticket: string; expiresAt: number } | null;
};

export const reportMethods = {
  /** The table's numbers: team, agents, the period before, and the series for the charts. */
  'reports.summary': define<ReportSummary>()(reportPeriodSchema),
  'reports.heatmap': define<ReportHeatmap>()(daysOnly),
  /** Hot questions (similar ones grouped, each with a term to search for) and hot words. */
  'reports.questions': define<ReportQuestions>()(
    span(z.object({ from: day, to: day, limit: z.number().int().min(1).max(50).default(20) }).strict()),
  ),
  'reports.phrases': define<ReportPhrases>()(
    z
      .object({ limit: z.number().int().min(1).max(100).default(20), from: day.optional(), to: day.optional() })
      .strict()
      .refine((a) => (a.from === undefined) === (a.to === undefined), { message: 'a period has both from and to', path: ['to'] })
      .refine((a) => a.from === undefined || a.to === undefined || a.from <= a.to, {
        message: 'the first day is after the last day',
        path: ['to'],
      })
      .refine((a) => a.from === undefined || a.to === undefined || dayNumber(a.to) - dayNumber(a.from) < MAX_PERIOD_DAYS, {
        message: `a report covers at most ${MAX_PERIOD_DAYS} days`,
        path: ['from'],
      }),
  ),
  /**
   * The table as a file: the data folder's exports/ (browser mode, with a download ticket), the file
   * chosen in the desktop's save dialog, or the CLI's --out. Null when the dialog was closed.
   */
  'reports.export': define<ReportExport | null>()(
    z
      .object({
        period: reportPeriodSchema,
        format: z.enum(REPORT_FORMATS),
        locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
      })
      .strict(),
  ),
  /** The shop's working hours for response times (null: every minute counts); the rollups are rebuilt with them. */
  'reports.setWorkingHours': define<{ workingHours: WorkingHours | null }>()(
    z.object({ workingHours: workingHoursSchema.nullable() }).strict(),
  ),
} as const;
