import { useCallback, useMemo, useState } from 'react';
import type { Metrics, ReminderFigures, ReportSummary } from '../../../shared/contract/reports';
import { dayInTimeZone } from '../../../shared/domain/days';
import { dayNumber, dayString } from '../../../shared/domain/reports/clock';
import { MAX_PERIOD_DAYS, presetDays, type PeriodPreset } from '../../../shared/domain/reports/periods';
import {
  cellText,
  changeOf,
  metricCell,
  REPORT_COLUMNS,
  rowCells,
  type Cell,
  type MetricColumn,
} from '../../../shared/domain/reports/table';
import { useAppInfo } from '../../hooks/useAppInfo';
import { errorText, formatClock, type MessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useDeskStore } from '../../state/store';
import { AgentsChart, HeatmapChart, TrendChart } from './charts/ReportCharts';
import { HotQuestions, PhraseUse } from './ReportLists';
import { ReportDefinitions, WorkingHoursPanel } from './ReportSettings';
import { useExportReport } from './useExportReport';
import { useReport, type ReportQuery } from './useReport';

const PRESETS: PeriodPreset[] = ['today', 'yesterday', 'last7', 'last30', 'custom'];

/** The cards above the charts: what a supervisor looks at first, with the change against the period before. */
const KPIS: { column: MetricColumn; lowerIsBetter?: boolean }[] = [
  { column: 'received' },
  { column: 'asked' },
  { column: 'payRate' },
  { column: 'firstMedian', lowerIsBetter: true },
  { column: 'responseMedian', lowerIsBetter: true },
  { column: 'sales' },
  { column: 'unanswered', lowerIsBetter: true },
];

const numberOf = (c: Cell): number | null => (typeof c.value === 'number' ? c.value : null);

/**
 * What the cards show: the team's, or one agent's (the cards' 查看 picker), with the same figures of
 * the period before (none when the agent had no row then: the change says 上一周期无数据).
 */
type Focus = { metrics: Metrics; previous: Metrics | null; reminders: ReminderFigures; previousReminders: ReminderFigures };

const NONE: ReminderFigures = { sent: 0, paidAfter: 0, recoveredCents: 0 };

function focusOf(summary: ReportSummary, agentId: string | null): Focus | null {
  if (agentId === null) {
    return {
      metrics: summary.totals.team,
      previous: summary.previous.totals.team,
      reminders: summary.reminders,
      previousReminders: summary.previous.reminders,
    };
  }
  const row = summary.totals.agents.find((a) => a.agentId === agentId);
  if (!row) return null;
  return {
    metrics: row.metrics,
    previous: summary.previous.totals.agents.find((a) => a.agentId === agentId)?.metrics ?? null,
    reminders: summary.agentReminders?.[agentId] ?? NONE,
    previousReminders: summary.previous.agentReminders?.[agentId] ?? NONE,
  };
}

/**
 * 报表 for supervisors and the owner: a period (今天 live, 昨天, 近7天, 近30天, or days chosen), the
 * team's cards with the change against the period before, the trend and each agent, the table
 * (exported to CSV or Excel exactly as shown), the hour × weekday heatmap, hot questions (each
 * opening the conversations that ask it in 消息搜索), the team phrases used most and never, the
 * definitions and the working hours. Printable.
 */
export function ReportsScreen() {
  const { t, lang } = useT();
  const { info } = useAppInfo();
  const timeZone = info?.timeZone ?? 'Asia/Shanghai';
  const today = dayNumber(dayInTimeZone(Date.now(), timeZone));
  const [preset, setPreset] = useState<PeriodPreset>('today');
  const [custom, setCustom] = useState(() => ({ from: dayString(today - 6), to: dayString(today) }));
  const [granularity, setGranularity] = useState<'day' | 'week' | undefined>(undefined);
  const query = useMemo<ReportQuery>(() => {
    const days =
      preset === 'custom' ? custom : (({ from, to }) => ({ from: dayString(from), to: dayString(to) }))(presetDays(preset, today));
    return { ...days, ...(granularity ? { granularity } : {}) };
  }, [preset, custom, today, granularity]);
  const customValid = preset !== 'custom' || (custom.from <= custom.to && dayNumber(custom.to) - dayNumber(custom.from) < MAX_PERIOD_DAYS);
  const live = query.to === dayString(today);
  const report = useReport(query, live);
  const summary = report.summary && report.summary.from === query.from && report.summary.to === query.to ? report.summary : null;
  const exporter = useExportReport();
  const setScreen = useDeskStore((s) => s.setScreen);
  const openSearch = useDeskStore((s) => s.openSearch);

  const names = useMemo(() => new Map((summary?.agents ?? []).map((a) => [a.id, a.nick])), [summary]);
  const nameOf = useCallback((id: string) => (id === '' ? t('reports.nobody') : (names.get(id) ?? id)), [names, t]);
  // The cards show the team, or one agent picked here (an agent the period no longer lists falls back to the team).
  const [picked, setPicked] = useState<string | null>(null);
  const agentFocus = summary && picked !== null ? focusOf(summary, picked) : null;
  const focused = agentFocus ? picked : null;
  const focus = summary ? (agentFocus ?? focusOf(summary, null)) : null;

  return (
    <div className="reports-screen">
      <section className="reports-toolbar" aria-label={t('reports.period')}>
        <h1>{t('reports.title')}</h1>
        <div role="radiogroup" aria-label={t('reports.period')} className="segmented">
          {PRESETS.map((p) => (
            <button key={p} type="button" role="radio" aria-checked={preset === p} onClick={() => setPreset(p)}>
              {t(`reports.preset.${p}`)}
            </button>
          ))}
        </div>
        {preset === 'custom' && (
          <span className="reports-days">
            <label>
              {t('reports.from')}
              <input
                type="date"
                value={custom.from}
                onChange={(e) => e.target.value && setCustom((c) => ({ ...c, from: e.target.value }))}
              />
            </label>
            <label>
              {t('reports.to')}
              <input type="date" value={custom.to} onChange={(e) => e.target.value && setCustom((c) => ({ ...c, to: e.target.value }))} />
            </label>
          </span>
        )}
        {query.from !== query.to && (
          <label className="reports-granularity">
            {t('reports.granularity')}
            <select
              value={summary?.granularity ?? granularity ?? 'day'}
              onChange={(e) => setGranularity(e.target.value === 'week' ? 'week' : 'day')}
              aria-label={t('reports.granularity')}
            >
              <option value="day">{t('reports.granularity.day')}</option>
              <option value="week">{t('reports.granularity.week')}</option>
            </select>
          </label>
        )}
        {summary && (
          <label className="reports-granularity">
            {t('reports.focus')}
            <select
              aria-label={t('reports.focus')}
              value={focused ?? ''}
              onChange={(e) => setPicked(e.target.value === '' ? null : e.target.value)}
            >
              <option value="">{t('reports.team')}</option>
              {summary.totals.agents
                .filter((a) => a.agentId !== '')
                .map((a) => (
                  <option key={a.agentId} value={a.agentId}>
                    {nameOf(a.agentId)}
                  </option>
                ))}
            </select>
          </label>
        )}
        <span className="spacer" />
        <button type="button" disabled={!summary || exporter.busy} onClick={() => void exporter.run(query, 'csv')}>
          {t('reports.exportCsv')}
        </button>
        <button type="button" disabled={!summary || exporter.busy} onClick={() => void exporter.run(query, 'xlsx')}>
          {t('reports.exportXlsx')}
        </button>
        <button type="button" onClick={() => window.print()}>
          {t('reports.print')}
        </button>
      </section>
      <div className="reports-status" role="status">
        {customValid ? t('reports.range', { from: query.from, to: query.to, tz: timeZone }) : t('error.invalid_argument', { message: '' })}
        {summary && ` · ${t('reports.previous', { from: summary.previous.from, to: summary.previous.to })}`}
        {summary && ` · ${live ? t('reports.live') : t('reports.updated', { time: formatClock(lang, summary.generatedAt) })}`}
        {focused && ` · ${t('reports.kpisOf', { agent: nameOf(focused) })}`}
        {summary?.status.rebuilding && ` · ${t('reports.rebuilding', summary.status.rebuilding)}`}
        {summary && !summary.status.rebuilding && summary.status.behind > 0 && ` · ${t('reports.behind', { n: summary.status.behind })}`}
      </div>
      {exporter.message && (
        <div className={exporter.failed ? 'reports-notice error' : 'reports-notice'} role="alert">
          {exporter.message}
        </div>
      )}
      {report.error && (
        <div className="reports-notice error" role="alert">
          {t('reports.failed', { error: errorText(t, report.error) })}
        </div>
      )}
      {!summary ? (
        <p className="muted reports-loading">{t('reports.loading')}</p>
      ) : (
        <>
          <section className="reports-kpis" aria-label={focused ? t('reports.kpisOf', { agent: nameOf(focused) }) : t('reports.kpis')}>
            {KPIS.map((k) => (
              <Kpi key={k.column} column={k.column} lowerIsBetter={k.lowerIsBetter ?? false} focus={focus!} />
            ))}
          </section>
          <ReminderKpis focus={focus!} />
          <div className="reports-charts">
            <section className="reports-card" aria-label={t('reports.chart.trend')}>
              <h2>{t('reports.chart.trend')}</h2>
              <TrendChart summary={summary} />
            </section>
            <section className="reports-card" aria-label={t('reports.chart.agents')}>
              <h2>{t('reports.chart.agents')}</h2>
              <AgentsChart summary={summary} names={nameOf} />
            </section>
          </div>
          <ReportTable summary={summary} nameOf={nameOf} />
          <div className="reports-charts">
            <section className="reports-card" aria-label={t('reports.heatmap')}>
              <h2>{t('reports.heatmap')}</h2>
              <p className="muted small">{t('reports.heatmapHint')}</p>
              {report.heatmap && <HeatmapChart heatmap={report.heatmap} />}
            </section>
            <HotQuestions
              questions={report.questions}
              onOpen={(term) => {
                openSearch({ q: term, from: query.from, to: query.to, direction: 'buyer' });
                setScreen('search');
              }}
            />
          </div>
          <div className="reports-charts">
            <PhraseUse phrases={report.phrases} />
            <WorkingHoursPanel workingHours={summary.workingHours} onSaved={report.refresh} />
          </div>
          <ReportDefinitions />
        </>
      )}
    </div>
  );
}

function Kpi({ column, lowerIsBetter, focus }: { column: MetricColumn; lowerIsBetter: boolean; focus: Focus }) {
  const { t } = useT();
  const cell = metricCell(focus.metrics, column);
  const before = focus.previous ? metricCell(focus.previous, column) : null;
  const change = before ? changeOf(numberOf(cell), numberOf(before)) : null;
  const better = change === null || change === 0 ? null : change > 0 !== lowerIsBetter;
  const label = t(`reports.col.${column}` as MessageKey);
  const text = cellText(cell, { grouping: true, empty: '—' });
  return (
    <div className="reports-kpi" role="group" aria-label={label}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{cell.kind === 'money' && cell.value !== null ? `¥${text}` : text}</span>
      <KpiChange change={change} better={better} />
    </div>
  );
}

/** The change against the period before, coloured by whether it is better. */
function KpiChange({ change, better }: { change: number | null; better: boolean | null }) {
  const { t } = useT();
  return (
    <span className={better === null ? 'kpi-change muted' : better ? 'kpi-change better' : 'kpi-change worse'}>
      {change === null
        ? t('reports.noChange')
        : t('reports.change', { change: `${change > 0 ? '↑' : change < 0 ? '↓' : ''}${Math.abs(change * 100).toFixed(1)}%` })}
    </span>
  );
}

/** 催付 in the period (the reminder log): reminders sent, orders paid after one, the amount recovered. */
function ReminderKpis({ focus }: { focus: Focus }) {
  const { t, lang } = useT();
  const now = focus.reminders;
  const before = focus.previousReminders;
  const items = [
    { key: 'sent', label: t('reports.reminders.sent'), value: now.sent, previous: before.sent, text: now.sent.toLocaleString(lang) },
    {
      key: 'paid',
      label: t('reports.reminders.paidAfter'),
      value: now.paidAfter,
      previous: before.paidAfter,
      text: now.paidAfter.toLocaleString(lang),
    },
    {
      key: 'cents',
      label: t('reports.reminders.recovered'),
      value: now.recoveredCents,
      previous: before.recoveredCents,
      text: `¥${(now.recoveredCents / 100).toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
    },
  ];
  return (
    <section className="reports-kpis reports-reminders" aria-label={t('reports.reminders')}>
      {items.map((k) => {
        const change = changeOf(k.value, k.previous);
        return (
          <div key={k.key} className="reports-kpi" role="group" aria-label={k.label}>
            <span className="kpi-label">{k.label}</span>
            <span className="kpi-value">{k.text}</span>
            <KpiChange change={change} better={change === null || change === 0 ? null : change > 0} />
          </div>
        );
      })}
    </section>
  );
}

/** The table as the files hold it: the same cells, written the same way (with digit grouping here). */
function ReportTable({ summary, nameOf }: { summary: ReportSummary; nameOf: (id: string) => string }) {
  const { t } = useT();
  const rows: { key: string; metrics: Metrics; reminders: ReminderFigures | undefined; label: string }[] = [
    { key: 'team', metrics: summary.totals.team, reminders: summary.reminders, label: t('reports.team') },
    ...summary.totals.agents.map((a) => ({
      key: a.agentId || 'nobody',
      metrics: a.metrics,
      reminders: summary.agentReminders?.[a.agentId],
      label: nameOf(a.agentId),
    })),
  ];
  return (
    <section className="reports-card reports-table-card" aria-label={t('reports.table')}>
      <h2>
        {t('reports.table')} <span className="muted small">{t('reports.tableHint')}</span>
      </h2>
      <div className="reports-table-scroll">
        <table className="reports-table" aria-label={t('reports.table')}>
          <thead>
            <tr>
              {REPORT_COLUMNS.map((c) => (
                <th key={c} scope="col">
                  {t(`reports.col.${c}` as MessageKey)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className={r.key === 'team' ? 'team' : undefined}>
                {rowCells(r.label, r.metrics, r.reminders).map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {cellText(cell)}
                    </th>
                  ) : (
                    <td key={i}>{cellText(cell, { grouping: true, empty: '—' })}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
