import { weekdayOf } from './clock';
import type { PeriodSpec } from './rollup';

/** The period picker's choices: 今天, 昨天, 近7天, 近30天 (each up to today), or days chosen. */
export const PERIOD_PRESETS = ['today', 'yesterday', 'last7', 'last30', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** The longest period one report covers (a little over a year, so "the last 12 months" fits). */
export const MAX_PERIOD_DAYS = 400;

/** The days of a preset, as day numbers, given today's. */
export function presetDays(preset: Exclude<PeriodPreset, 'custom'>, today: number): { from: number; to: number } {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: today - 1, to: today - 1 };
    case 'last7':
      return { from: today - 6, to: today };
    case 'last30':
      return { from: today - 29, to: today };
  }
}

/** The period of the same length just before (what "change" is measured against). */
export function previousPeriod(p: { from: number; to: number }): { from: number; to: number } {
  const length = p.to - p.from + 1;
  return { from: p.from - length, to: p.from - 1 };
}

export type Granularity = 'day' | 'week';

/** Days per slot: one for short periods, a week (Monday to Sunday) past two months, unless chosen. */
export function seriesSpec(p: { from: number; to: number }, granularity?: Granularity): PeriodSpec {
  const g = granularity ?? (p.to - p.from + 1 > 62 ? 'week' : 'day');
  if (g === 'day') return { from: p.from, to: p.to, width: 1, origin: p.from };
  const monday = p.from - ((weekdayOf(p.from) + 6) % 7);
  return { from: p.from, to: p.to, width: 7, origin: monday };
}
