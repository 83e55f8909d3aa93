import { shopTimeZone } from '../logExport/timeZone';

type SettingsStore = { settings: { get<T>(key: string, fallback: T): T } };

const formats = new Map<string, Intl.DateTimeFormat>();

/** The shop's UTC offset in minutes at `at` (its time zone setting; Asia/Shanghai: +480). */
export function offsetMinutesAt(store: SettingsStore, at: number): number {
  const zone = shopTimeZone(store);
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
