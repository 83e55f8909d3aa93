/**
 * Shop-local days and hours for the reports, without a date library. A day is a number: the days
 * since 1970-01-01 of the shop's calendar (so a weekday is arithmetic and a period is a range of
 * integers in SQL). The offset of the shop's zone comes from a `ShopClock` (the core passes its
 * ZonedClock, tests a fixed offset), so these functions stay pure.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Local time minus UTC at an instant, in ms (+8 h for Asia/Shanghai). */
export type ShopClock = { offset(ms: number): number };

/** A zone with one offset all year (Asia/Shanghai is +480 minutes). */
export function fixedOffsetClock(minutes: number): ShopClock {
  const offset = minutes * MINUTE_MS;
  return { offset: () => offset };
}

/** The shop-local day an instant falls on, as a day number. */
export function localDay(ms: number, clock: ShopClock): number {
  return Math.floor((ms + clock.offset(ms)) / DAY_MS);
}

/** The shop-local hour (0–23) of an instant. */
export function localHour(ms: number, clock: ShopClock): number {
  const local = ms + clock.offset(ms);
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/** The weekday of a day number: 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** '2024-06-18' → its day number. The string must be a calendar day (see shared/domain/days.ts). */
export function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** A day number → '2024-06-18'. */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The instant a shop-local day starts. Two rounds settle the offset on either side of a summer-time
 * change (the zone's offset at the wall time is what counts, not at UTC midnight).
 */
export function dayStartMs(day: number, clock: ShopClock): number {
  const wall = day * DAY_MS;
  let t = wall - clock.offset(wall);
  t = wall - clock.offset(t);
  return t;
}
