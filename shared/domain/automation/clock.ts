/**
 * Times of day for the automation engines. The engines never read a clock: every function takes
 * `now` (ms since the epoch) and the shop's UTC offset in minutes (Asia/Shanghai: +480, no summer
 * time), so a test controls time completely and two desks evaluating one moment agree.
 */

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/** A daily span of local time in minutes after midnight, [start, end); start > end runs past midnight. */
export type DailySpan = { start: number; end: number };

export const minutes = (n: number) => n * MINUTE;

/** Minutes after local midnight at `at`. */
export function localMinute(at: number, offsetMinutes: number): number {
  const m = Math.floor(at / MINUTE) + offsetMinutes;
  return ((m % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
}

/** The local weekday at `at`: 0 Sunday … 6 Saturday. */
export function localWeekday(at: number, offsetMinutes: number): number {
  const days = Math.floor((at + offsetMinutes * MINUTE) / (DAY_MINUTES * MINUTE));
  return (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function inSpan(span: DailySpan, at: number, offsetMinutes: number): boolean {
  if (span.start === span.end) return false;
  const m = localMinute(at, offsetMinutes);
  return span.start < span.end ? m >= span.start && m < span.end : m >= span.start || m < span.end;
}

/** The first moment at or after `at` that lies outside the span (its end, if `at` is inside). */
export function spanEnd(span: DailySpan, at: number, offsetMinutes: number): number {
  if (!inSpan(span, at, offsetMinutes)) return at;
  const m = localMinute(at, offsetMinutes);
  const ahead = (span.end - m + DAY_MINUTES) % DAY_MINUTES;
  const startOfMinute = at - (at % MINUTE);
  return startOfMinute + ahead * MINUTE;
}

/** The first moment at or after `at` whose local time is one of the hours, on the hour. */
export function nextChosenHour(hours: readonly number[], at: number, offsetMinutes: number): number | null {
  const valid = hours.filter((h) => Number.isInteger(h) && h >= 0 && h < 24);
  if (valid.length === 0) return null;
  const m = localMinute(at, offsetMinutes);
  const exact = at % MINUTE === 0;
  let best = Infinity;
  for (const h of valid) {
    let ahead = (h * 60 - m + DAY_MINUTES) % DAY_MINUTES;
    if (ahead === 0 && !exact) ahead = DAY_MINUTES;
    best = Math.min(best, ahead);
  }
  return at - (at % MINUTE) + best * MINUTE;
}
