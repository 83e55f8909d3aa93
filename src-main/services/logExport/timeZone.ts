/**
 * Shop-time arithmetic without a date library: the offset of an IANA zone at an instant comes from
 * Intl and is cached, so formatting a million rows costs a range check and one toISOString each.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Zones asked about already (a hub asks at every buyer message; building a formatter costs ~0.1 ms). */
const knownZones = new Map<string, boolean>();

export function isTimeZone(tz: string): boolean {
  const known = knownZones.get(tz);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    valid = true;
  } catch {
    valid = false;
  }
  // Bounded: the setting is the owner's, but nothing here may grow without end.
  if (knownZones.size >= 64) knownZones.clear();
  knownZones.set(tz, valid);
  return valid;
}

/** The shop's time zone (setting `timeZone`), or the default when unset or unknown to Intl. */
export function shopTimeZone(store: { settings: { get<T>(key: string, fallback: T): T } }): string {
  const tz = store.settings.get<string>('timeZone', DEFAULT_TIME_ZONE);
  return typeof tz === 'string' && isTimeZone(tz) ? tz : DEFAULT_TIME_ZONE;
}

const QUARTER_HOUR = 15 * 60_000;
const DAY = 24 * 60 * 60_000;
/** 10000-01-01T00:00:00Z: up to here `toISOString` writes four-digit years, the form `stamp` builds itself. */
const FOUR_DIGIT_YEARS_END = 253_402_300_800_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

export class ZonedClock {
  private readonly parts: Intl.DateTimeFormat;
  /** Per UTC day: the zone's offset when it is the same all day, else null (a change that day). */
  private readonly days = new Map<number, number | null>();
  private spanStart = 0;
  private spanEnd = 0;
  private spanOffset = 0;
  private readonly suffixes = new Map<number, string>();
  /** The local day `stamp` wrote last (days since the epoch) and its 'YYYY-MM-DD'. */
  private stampDay = Number.NaN;
  private stampDayText = '';

  constructor(readonly timeZone: string) {
    if (!isTimeZone(timeZone)) throw new RangeError(`unknown time zone ${timeZone}`);
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /**
   * Local time minus UTC at the instant, in milliseconds (+8 h for Asia/Shanghai). Looked up once per
   * UTC day (the offset at its first and last second agree on all but the two days a year with a
   * daylight-saving change, which fall back to quarter hours); rows in time order hit the last span.
   */
  offset(ms: number): number {
    if (ms >= this.spanStart && ms < this.spanEnd) return this.spanOffset;
    const day = Math.floor(ms / DAY);
    let whole = this.days.get(day);
    if (whole === undefined) {
      const first = this.computeOffset(day * DAY);
      whole = first === this.computeOffset(day * DAY + DAY - 1000) ? first : null;
      if (this.days.size > 10_000) this.days.clear();
      this.days.set(day, whole);
    }
    if (whole !== null) {
      this.spanStart = day * DAY;
      this.spanEnd = this.spanStart + DAY;
      this.spanOffset = whole;
    } else {
      this.spanStart = Math.floor(ms / QUARTER_HOUR) * QUARTER_HOUR;
      this.spanEnd = this.spanStart + QUARTER_HOUR;
      this.spanOffset = this.computeOffset(this.spanStart);
    }
    return this.spanOffset;
  }

  private computeOffset(ms: number): number {
    const p: Record<string, number> = {};
    for (const { type, value } of this.parts.formatToParts(new Date(ms))) {
      if (type !== 'literal') p[type] = Number(value);
    }
    const asUtc = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
    return asUtc - Math.floor(ms / 1000) * 1000;
  }

  /** The instant local midnight of the day starts ('2024-06-18' → 2024-06-17T16:00:00Z in Shanghai). */
  dayStart(day: string): number {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const wall = Date.UTC(y, m - 1, d);
    // Two rounds settle the offset on either side of a daylight-saving change.
    let t = wall - this.offset(wall);
    t = wall - this.offset(t);
    return t;
  }

  /** [start, end) of the days from..to inclusive. */
  range(from: string, to: string): { fromMs: number; toMs: number } {
    const [y, m, d] = to.split('-').map(Number) as [number, number, number];
    const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
    return { fromMs: this.dayStart(from), toMs: this.dayStart(next) };
  }

  /**
   * Both forms at once (one offset lookup): ISO 8601 with offset, and local for people. The date is
   * written once per local day (rows come in time order) and the clock from tables, which is what
   * `toISOString` would give (an export of a million rows spent a tenth of its time in it); instants
   * outside four-digit years, or not whole milliseconds, take `toISOString` itself.
   */
  stamp(ms: number): { iso: string; local: string } {
    const offset = this.offset(ms);
    let suffix = this.suffixes.get(offset);
    if (suffix === undefined) {
      suffix = offsetSuffix(offset);
      this.suffixes.set(offset, suffix);
    }
    const wall = ms + offset;
    if (!(wall >= 0 && wall < FOUR_DIGIT_YEARS_END && Number.isInteger(wall))) {
      const text = new Date(wall).toISOString();
      return { iso: text.slice(0, 23) + suffix, local: `${text.slice(0, 10)} ${text.slice(11, 19)}` };
    }
    const day = Math.floor(wall / DAY);
    if (day !== this.stampDay) {
      this.stampDay = day;
      this.stampDayText = new Date(day * DAY).toISOString().slice(0, 10);
    }
    let rest = wall - day * DAY;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const clock = `${TWO_DIGITS[hours] as string}:${TWO_DIGITS[minutes] as string}:${TWO_DIGITS[seconds] as string}`;
    return {
      iso: `${this.stampDayText}T${clock}.${THREE_DIGITS[rest - seconds * 1000] as string}${suffix}`,
      local: `${this.stampDayText} ${clock}`,
    };
  }

  /** ISO 8601 with the shop's offset: '2024-06-18T10:03:04.567+08:00'. */
  iso(ms: number): string {
    return this.stamp(ms).iso;
  }

  /** Shop-local time for people: '2024-06-18 10:03:04'. */
  local(ms: number): string {
    return this.stamp(ms).local;
  }

  /** A Date whose UTC fields read as the shop's wall time (what spreadsheet date cells hold). */
  wallDate(ms: number): Date {
    return new Date(Math.floor((ms + this.offset(ms)) / 1000) * 1000);
  }
}

function offsetSuffix(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(Math.round(offset / 60_000));
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
