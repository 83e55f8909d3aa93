import { shopTimeZone } from '../logExport/timeZone';

type SettingsStore = { settings: { get<T>(key: string, fallback: T): T } };

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The last minute asked, per zone: every buyer message asks (the automation's hours), and at a
 * thousand a second nearly all fall in the minute before. `formatToParts` was a twentieth of the
 * hub's CPU per message; a zone's offset moves only on a whole minute.
 */
const lastMinute = new Map<string, { minute: number; offset: number }>();

/** The shop's UTC offset in minutes at `at` (its time zone setting; Asia/Shanghai: +480). */
export function offsetMinutesAt(store: SettingsStore, at: number): number {
  const zone = shopTimeZone(store);
  const minute = Math.floor(at / 60_000);
  const known = lastMinute.get(zone);
  if (known && known.minute === minute) return known.offset;
  const offset = computeOffset(zone, at);
  lastMinute.set(zone, { minute, offset });
  return offset;
}

/** `offsetMinutesAt` without the cache (its test compares the two). */
export function computeOffset(zone: string, at: number): number {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((local - (at - (at % 60_000))) / 60_000);
}
