import { useMemo } from 'react';
import type { ReportHeatmap, ReportSummary } from '../../../../shared/contract/reports';
import { useT } from '../../../i18n/useT';
import { EChart, type ChartOption } from './EChart';

const ACCENT = '#ff6a00';
const BLUE = '#3b82f6';
const GREEN = '#16a34a';
const GREY = '#8a919f';

/** Weekday names, Sunday first (the heatmap's rows are Monday first). */
export const WEEKDAYS = [
  'reports.weekday.0',
  'reports.weekday.1',
  'reports.weekday.2',
  'reports.weekday.3',
  'reports.weekday.4',
  'reports.weekday.5',
  'reports.weekday.6',
] as const;

const axisLabel = { color: '#5b6270', fontSize: 11 };
const grid = { left: 44, right: 44, top: 36, bottom: 28, containLabel: false };

/** Buyers received, asking and paying per day (or week), with the median first response on a second axis. */
export function TrendChart({ summary }: { summary: ReportSummary }) {
  const { t } = useT();
  const option = useMemo<ChartOption>(() => {
    const x = summary.series.map((s) => (s.from === s.to ? s.from.slice(5) : `${s.from.slice(5)}~${s.to.slice(5)}`));
    const line = (name: string, color: string, data: (number | null)[], yAxisIndex = 0) => ({
      name,
      type: 'line',
      yAxisIndex,
      data,
      smooth: true,
      symbolSize: 5,
      itemStyle: { color },
      lineStyle: { color, width: 2 },
    });
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, textStyle: { fontSize: 12 } },
      grid,
      xAxis: { type: 'category', data: x, axisLabel },
      yAxis: [
        { type: 'value', minInterval: 1, axisLabel },
        { type: 'value', axisLabel: { ...axisLabel, formatter: '{value}s' }, splitLine: { show: false } },
      ],
      series: [
        line(
          t('reports.col.received'),
          BLUE,
          summary.series.map((s) => s.team.received),
        ),
        line(
          t('reports.col.asked'),
          ACCENT,
          summary.series.map((s) => s.team.asked),
        ),
        line(
          t('reports.col.paid'),
          GREEN,
          summary.series.map((s) => s.team.paid),
        ),
        {
          ...line(
            t('reports.col.firstMedian'),
            GREY,
            summary.series.map((s) => (s.team.firstResponse.medianMs === null ? null : Math.round(s.team.firstResponse.medianMs / 1000))),
            1,
          ),
          lineStyle: { color: GREY, width: 1.5, type: 'dashed' },
        },
      ],
    };
  }, [summary, t]);
  return <EChart option={option} label={t('reports.chart.trend')} height={250} />;
}

/** Each agent's buyers received and paying, side by side. */
export function AgentsChart({ summary, names }: { summary: ReportSummary; names: (id: string) => string }) {
  const { t } = useT();
  const option = useMemo<ChartOption>(() => {
    const rows = summary.totals.agents;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, textStyle: { fontSize: 12 } },
      grid: { ...grid, left: 40, right: 16 },
      xAxis: { type: 'category', data: rows.map((a) => names(a.agentId)), axisLabel: { ...axisLabel, interval: 0 } },
      yAxis: { type: 'value', minInterval: 1, axisLabel },
      series: [
        { name: t('reports.col.received'), type: 'bar', data: rows.map((a) => a.metrics.received), itemStyle: { color: BLUE } },
        { name: t('reports.col.asked'), type: 'bar', data: rows.map((a) => a.metrics.asked), itemStyle: { color: ACCENT } },
        { name: t('reports.col.paid'), type: 'bar', data: rows.map((a) => a.metrics.paid), itemStyle: { color: GREEN } },
      ],
    };
  }, [summary, names, t]);
  return <EChart option={option} label={t('reports.chart.agents')} height={250} />;
}

/** Buyer messages by weekday (Monday first) and hour. */
export function HeatmapChart({ heatmap }: { heatmap: ReportHeatmap }) {
  const { t } = useT();
  const option = useMemo<ChartOption>(() => {
    const days = [1, 2, 3, 4, 5, 6, 0];
    const data: [number, number, number][] = [];
    days.forEach((weekday, y) => heatmap.grid[weekday]!.forEach((n, hour) => data.push([hour, y, n])));
    return {
      tooltip: { position: 'top' },
      grid: { left: 44, right: 12, top: 8, bottom: 58 },
      xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), splitArea: { show: true }, axisLabel },
      yAxis: { type: 'category', data: days.map((d) => t(WEEKDAYS[d]!)), splitArea: { show: true }, axisLabel },
      visualMap: {
        min: 0,
        max: Math.max(1, heatmap.max),
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        textStyle: { fontSize: 11 },
        inRange: { color: ['#fff7ef', '#ffc58f', '#ff8a2b', '#d9480f'] },
      },
      series: [{ name: t('reports.heatmap'), type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }],
    };
  }, [heatmap, t]);
  return <EChart option={option} label={t('reports.heatmap')} height={270} />;
}
