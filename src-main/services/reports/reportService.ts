import { AppError } from '../../../shared/contract/errors';
import type {
  ReminderFigures,
  ReportExport,
  ReportFormat,
  ReportHeatmap,
  ReportPhrases,
  ReportQuestions,
  ReportStatus,
  ReportSummary,
} from '../../../shared/contract/reports';
import { dayNumber, dayStartMs, dayString, localDay } from '../../../shared/domain/reports/clock';
import { previousPeriod, seriesSpec, type Granularity } from '../../../shared/domain/reports/periods';
import { emptyMetrics, summarize, type AgentMetrics, type Totals } from '../../../shared/domain/reports/summarize';
import { groupQuestions } from '../../../shared/domain/reports/text';
import type { WorkingHours } from '../../../shared/domain/reports/workingHours';
import type { Store } from '../../store';
import type { EngineConfig } from '../../store/reports';
import { shopTimeZone, ZonedClock } from '../logExport/timeZone';

/** Where the working hours are kept (settings, JSON: `{days, start, end}` or null). */
export const WORKING_HOURS_KEY = 'reports.workingHours';

/** Work per step of the background upkeep, and the time a query may spend catching up before it answers. */
const STEP_CHANGES = 2000;
const SLICE_MS = 20;
const QUERY_CATCH_UP_MS = 400;
/** After a commit, the upkeep waits this long for more (a burst of messages is folded once). */
const DEBOUNCE_MS = 250;

export type ReportPeriodArgs = { from: string; to: string; granularity?: Granularity | undefined; agentIds?: string[] | undefined };

/**
 * The reports (issue 17): keeps the store's rollups current from the change feed (a background job
 * in slices on the core's thread, and a catch-up before every query, so a report is as fresh as the
 * last commit), and answers the report queries from them. Never a scan of the history per view.
 */
export function reportService(deps: {
  store: Store;
  now: () => number;
  log: (message: string, error?: unknown) => void;
  /** Keep the rollups current in the background (false: a one-shot run, which catches up when it asks). */
  background?: boolean;
}) {
  const { store, now, log } = deps;
  // A one-shot run (the CLI) has nothing else to do: its queries wait for the whole catch-up.
  const queryBudget = deps.background === false ? Infinity : QUERY_CATCH_UP_MS;
  let zone: ZonedClock | null = null;
  const clockOf = (tz: string) => (zone?.timeZone === tz ? zone : (zone = new ZonedClock(tz)));

  function workingHours(): WorkingHours | null {
    const raw = store.settings.get<WorkingHours | null>(WORKING_HOURS_KEY, null);
    return raw && Array.isArray(raw.days) ? raw : null;
  }

  /** What the rollups are made with; a new time zone, working hours or history (a restore, a team's snapshot) rebuilds them. */
  function config(): EngineConfig {
    const timeZone = shopTimeZone(store);
    const hours = workingHours();
    const history = [store.settings.get<string>('feedId', ''), store.settings.get<string | null>('team.feedId', null)];
    return { clock: clockOf(timeZone), workingHours: hours, key: JSON.stringify({ timeZone, hours, history }) };
  }

  /** Steps until caught up or `budgetMs` is spent; true when caught up. */
  function catchUp(budgetMs: number): boolean {
    const started = performance.now();
    const cfg = config();
    for (;;) {
      if (store.tx(() => store.reports.step(cfg, STEP_CHANGES))) return true;
      if (performance.now() - started >= budgetMs) return false;
    }
  }

  function status(): ReportStatus {
    const s = store.reports.status();
    return {
      behind: s.rebuild ? Math.max(1, s.head - (s.watermark ?? 0)) : Math.max(0, s.head - (s.watermark ?? 0)),
      rebuilding: s.rebuild && {
        done: s.rebuild.conversations + s.rebuild.orders,
        total: s.rebuild.totalConversations + s.rebuild.totalOrders,
      },
    };
  }

  // --- the background upkeep ---
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let stopped = false;
  function schedule(delay = DEBOUNCE_MS): void {
    if (deps.background === false || stopped || timer || running) return;
    timer = setTimeout(run, delay);
    timer.unref?.();
  }
  function run(): void {
    timer = null;
    if (stopped) return;
    running = true;
    let done = true;
    try {
      done = catchUp(SLICE_MS);
    } catch (error) {
      log('the report upkeep failed', error);
    } finally {
      running = false;
    }
    // More to do (a rebuild, a burst): the next slice after other calls had their turn.
    if (!done) schedule(0);
  }

  function names(ids: Iterable<string>): { id: string; nick: string }[] {
    const known = new Map(store.agents.list().map((a) => [a.id, a.nick]));
    return [...new Set(ids)].map((id) => ({ id, nick: id === '' ? '' : (known.get(id) ?? id) }));
  }

  /** The shop's agents who serve buyers (not the owner), in the store's order: the rows a report always shows. */
  function serving(): string[] {
    return store.agents
      .list()
      .filter((a) => a.role !== 'owner')
      .map((a) => a.id);
  }

  function period(args: { from: string; to: string }): { from: number; to: number } {
    const from = dayNumber(args.from);
    const to = dayNumber(args.to);
    if (to < from) throw new AppError('invalid_argument', 'the first day is after the last day');
    return { from, to };
  }

  function pick(totals: Totals, only: readonly string[] | undefined): Totals {
    if (!only) {
      // Nobody's row only when it holds something (buyers no agent answered, automatic messages).
      const agents = totals.agents.filter((a) => a.agentId !== '' || a.metrics.received > 0 || a.metrics.autoMessages > 0);
      return { team: totals.team, agents };
    }
    const wanted = new Set(only);
    return { team: totals.team, agents: totals.agents.filter((a: AgentMetrics) => wanted.has(a.agentId)) };
  }

  /**
   * An agent with 催付 in the period but no row (an owner who clicked 催付, nobody's automatic
   * reminders in a period with no unanswered buyer) gets one, so the rows add up to the team's.
   */
  function withReminderRows(totals: Totals, byAgent: Map<string, ReminderFigures>, only: readonly string[] | undefined): Totals {
    const shown = new Set(totals.agents.map((a) => a.agentId));
    const wanted = only ? new Set(only) : null;
    const extra = [...byAgent.keys()]
      .filter((id) => !shown.has(id) && (wanted === null || wanted.has(id)) && byAgent.get(id)!.sent > 0)
      .map((agentId) => ({ agentId, metrics: emptyMetrics() }));
    if (extra.length === 0) return totals;
    // Nobody's row stays last.
    const agents = [...totals.agents, ...extra];
    return { team: totals.team, agents: [...agents.filter((a) => a.agentId !== ''), ...agents.filter((a) => a.agentId === '')] };
  }

  function summary(args: ReportPeriodArgs): ReportSummary {
    catchUp(queryBudget);
    const cfg = config();
    const p = period(args);
    const spec = seriesSpec(p, args.granularity);
    const prev = previousPeriod(p);
    const prevSpec = { from: prev.from, to: prev.to, width: p.to - p.from + 1, origin: prev.from };
    const at = now();
    const ctx = { now: at, clock: cfg.clock, workingHours: cfg.workingHours };
    const agentIds = args.agentIds ?? serving();
    const { cur, before } = store.read(() => ({
      cur: summarize(store.reports.periodRows(spec), spec, ctx, agentIds),
      before: summarize(store.reports.periodRows(prevSpec), prevSpec, ctx, agentIds),
    }));
    // 催付 over the period's instants (shop-local days): the reminder log, not the rollups (a few rows a day).
    const reminders = (from: number, to: number) =>
      store.automation.figuresBetween(dayStartMs(from, cfg.clock), dayStartMs(to + 1, cfg.clock));
    const byAgent = store.automation.figuresByAgentBetween(dayStartMs(p.from, cfg.clock), dayStartMs(p.to + 1, cfg.clock));
    const totals = withReminderRows(pick(cur.totals, args.agentIds), byAgent, args.agentIds);
    const previousByAgent = store.automation.figuresByAgentBetween(dayStartMs(prev.from, cfg.clock), dayStartMs(prev.to + 1, cfg.clock));
    const previous = withReminderRows(pick(before.totals, args.agentIds), previousByAgent, args.agentIds);
    const figuresOf = (rows: Totals, from: Map<string, ReminderFigures>) => {
      const out: Record<string, ReminderFigures> = {};
      for (const a of rows.agents) {
        const figures = from.get(a.agentId);
        if (figures) out[a.agentId] = figures;
      }
      return out;
    };
    const agentReminders = figuresOf(totals, byAgent);
    const lastSlot = Math.floor((p.to - spec.origin) / spec.width);
    const bySlot = new Map(cur.series.map((s) => [s.slot, s.team]));
    const series: ReportSummary['series'] = [];
    for (let slot = Math.floor((p.from - spec.origin) / spec.width); slot <= lastSlot; slot++) {
      const first = Math.max(p.from, spec.origin + slot * spec.width);
      const last = Math.min(p.to, spec.origin + (slot + 1) * spec.width - 1);
      series.push({ from: dayString(first), to: dayString(last), team: bySlot.get(slot) ?? emptyMetrics() });
    }
    return {
      from: args.from,
      to: args.to,
      granularity: spec.width === 1 ? 'day' : 'week',
      timeZone: shopTimeZone(store),
      generatedAt: at,
      workingHours: cfg.workingHours,
      agents: names([...totals.agents, ...previous.agents].map((a) => a.agentId)),
      totals,
      previous: {
        from: dayString(prev.from),
        to: dayString(prev.to),
        totals: previous,
        reminders: reminders(prev.from, prev.to),
        agentReminders: figuresOf(previous, previousByAgent),
      },
      reminders: reminders(p.from, p.to),
      agentReminders,
      series,
      status: status(),
    };
  }

  return {
    /** Called after every commit of this connection and when another writer's commit is heard. */
    poke(): void {
      schedule();
    },
    /** Starts the upkeep (a file from before reports is backfilled in the background). */
    start(): void {
      schedule(0);
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    /** Brings the rollups up to date, however long it takes (the CLI; tests). */
    catchUpAll(): void {
      catchUp(Infinity);
    },
    status,
    summary,

    heatmap(args: { from: string; to: string }): ReportHeatmap {
      catchUp(queryBudget);
      const p = period(args);
      const grid = store.reports.heatmap(p.from, p.to);
      return { from: args.from, to: args.to, grid, max: Math.max(0, ...grid.flat()) };
    },

    questions(args: { from: string; to: string; limit: number }): ReportQuestions {
      catchUp(queryBudget);
      const p = period(args);
      // Grouping reads more keys than it shows: the long tail of a group's wordings.
      const counts = store.reports.questions(p.from, p.to, Math.max(200, args.limit * 20));
      return {
        from: args.from,
        to: args.to,
        questions: groupQuestions(counts, args.limit),
        words: store.reports.words(p.from, p.to, Math.max(30, args.limit * 2)),
      };
    },

    /** Over a period when one is given (uses counted per day since migration 0018), else since each phrase was written. */
    phrases(args: { limit: number; from?: string | undefined; to?: string | undefined }): ReportPhrases {
      if (args.from === undefined || args.to === undefined) return { ...store.reports.teamPhrases(args.limit), period: null };
      const p = period({ from: args.from, to: args.to });
      return { ...store.reports.periodPhrases(p.from, p.to, args.limit), period: { from: args.from, to: args.to } };
    },

    /** Today as the shop's clock reads it (a day number). */
    today(): number {
      return localDay(now(), config().clock);
    },

    setWorkingHours(hours: WorkingHours | null): { workingHours: WorkingHours | null } {
      if (hours && hours.days.length > 0 && hours.start === hours.end) {
        throw new AppError('invalid_argument', 'working hours start and end at the same minute', { path: 'workingHours.end' });
      }
      const value =
        hours && hours.days.length > 0 ? { days: [...hours.days].sort((a, b) => a - b), start: hours.start, end: hours.end } : null;
      store.tx(() => store.settings.set(WORKING_HOURS_KEY, value));
      // The rollups' key changed: the upkeep rebuilds them in the background.
      schedule(0);
      return { workingHours: value };
    },
  };
}

export type ReportService = ReturnType<typeof reportService>;
export type { ReportExport, ReportFormat };
