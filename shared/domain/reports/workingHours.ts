import { dayStartMs, localDay, MINUTE_MS, weekdayOf, type ShopClock } from './clock';

/**
 * The shop's working hours for response times (where set): the local weekdays (0 Sunday … 6
 * Saturday) and a daily span in minutes after midnight, [start, end). An end at or before the start
 * runs past midnight (22:00–02:00 belongs to the day it starts on). Without working hours every
 * minute counts.
 */
export type WorkingHours = { days: number[]; start: number; end: number };

/** Waits are cut at this many days of working time (a buyer left for months is not a number to average). */
const MAX_DAYS = 62;

/** The spans [from, to) of working time on one shop day. */
function spansOf(day: number, hours: WorkingHours, clock: ShopClock): [number, number][] {
  if (!hours.days.includes(weekdayOf(day))) return [];
  const midnight = dayStartMs(day, clock);
  const start = midnight + hours.start * MINUTE_MS;
  const end = hours.end > hours.start ? midnight + hours.end * MINUTE_MS : dayStartMs(day + 1, clock) + hours.end * MINUTE_MS;
  return [[start, end]];
}

/**
 * How much of [from, to) lies inside working hours, in ms: a buyer who writes at 23:00 and is
 * answered at 09:05 the next working day, with hours 09:00–18:00, waited 5 minutes. Null hours:
 * the whole span.
 */
export function workingMs(from: number, to: number, hours: WorkingHours | null, clock: ShopClock): number {
  if (to <= from) return 0;
  if (!hours || hours.days.length === 0 || hours.start === hours.end) return to - from;
  let total = 0;
  const first = localDay(from, clock) - 1; // a span past midnight may start the day before
  const last = Math.min(localDay(to, clock), first + MAX_DAYS);
  for (let day = first; day <= last; day++) {
    for (const [s, e] of spansOf(day, hours, clock)) {
      const a = Math.max(s, from);
      const b = Math.min(e, to);
      if (b > a) total += b - a;
    }
  }
  return total;
}
