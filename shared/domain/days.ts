/**
 * Calendar days written YYYY-MM-DD, read in a shop's time zone: pure arithmetic shared by the core
 * (the export filter) and the renderer (the export screen's default range), so both agree on "today".
 */

/** The first and last day a filter may name: wide enough for any shop's history, narrow enough that
 * every day turns into an instant without overflow (9999-12-31 once became an internal error). */
export const FIRST_DAY = '2000-01-01';
export const LAST_DAY = '2100-12-31';

/** True for a real calendar day written YYYY-MM-DD within FIRST_DAY..LAST_DAY (2024-02-30 is not one). */
export function isCalendarDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  // Fixed-width strings compare as dates.
  return real && s >= FIRST_DAY && s <= LAST_DAY;
}

/** The day `n` days after (or before, for negative n) a day. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day an instant falls on in an IANA time zone ('Asia/Shanghai' at 2024-06-17T16:30Z → 2024-06-18). */
export function dayInTimeZone(ms: number, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD; formatToParts keeps it independent of that anyway.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  const p: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(new Date(ms))) p[type] = value;
  return `${p.year}-${p.month}-${p.day}`;
}

/** The last `days` days up to today in the zone, inclusive: the export screen's default range. */
export function recentDays(nowMs: number, timeZone: string, days: number): { from: string; to: string } {
  const to = dayInTimeZone(nowMs, timeZone);
  return { from: addDays(to, -(days - 1)), to };
}
