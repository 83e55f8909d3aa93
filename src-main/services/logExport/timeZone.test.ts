import { describe, expect, it } from 'vitest';
import { isTimeZone, ZonedClock } from './timeZone';

describe('shop time', () => {
  it('reads a day in Asia/Shanghai as 16:00 UTC the day before to 16:00 UTC', () => {
    const clock = new ZonedClock('Asia/Shanghai');
    expect(clock.range('2024-06-18', '2024-06-18')).toEqual({ fromMs: Date.UTC(2024, 5, 17, 16), toMs: Date.UTC(2024, 5, 18, 16) });
    expect(clock.range('2024-12-31', '2025-01-01')).toEqual({ fromMs: Date.UTC(2024, 11, 30, 16), toMs: Date.UTC(2025, 0, 1, 16) });
  });

  it('writes ISO 8601 with the offset and the local wall time', () => {
    const clock = new ZonedClock('Asia/Shanghai');
    const at = Date.UTC(2024, 5, 17, 16, 0, 0, 5);
    expect(clock.iso(at)).toBe('2024-06-18T00:00:00.005+08:00');
    expect(clock.local(at)).toBe('2024-06-18 00:00:00');
    expect(clock.local(at - 6)).toBe('2024-06-17 23:59:59');
    expect(clock.wallDate(at).toISOString()).toBe('2024-06-18T00:00:00.000Z');
  });

  it('follows daylight saving time where the zone has it', () => {
    const ny = new ZonedClock('America/New_York');
    // 2024-03-10 has 23 hours in New York, 2024-11-03 has 25.
    const spring = ny.range('2024-03-10', '2024-03-10');
    expect(spring.toMs - spring.fromMs).toBe(23 * 3_600_000);
    expect(spring.fromMs).toBe(Date.UTC(2024, 2, 10, 5));
    const autumn = ny.range('2024-11-03', '2024-11-03');
    expect(autumn.toMs - autumn.fromMs).toBe(25 * 3_600_000);
    expect(ny.iso(Date.UTC(2024, 2, 10, 6, 59))).toBe('2024-03-10T01:59:00.000-05:00');
    expect(ny.iso(Date.UTC(2024, 2, 10, 7, 0))).toBe('2024-03-10T03:00:00.000-04:00');
    // Going back in time after a later lookup still gives the right offset.
    expect(ny.iso(Date.UTC(2024, 0, 1, 12))).toBe('2024-01-01T07:00:00.000-05:00');
  });

  it('half-hour zones and UTC', () => {
    expect(new ZonedClock('Asia/Kolkata').iso(Date.UTC(2024, 0, 1))).toBe('2024-01-01T05:30:00.000+05:30');
    expect(new ZonedClock('UTC').iso(Date.UTC(2024, 0, 1))).toBe('2024-01-01T00:00:00.000+00:00');
  });

  it('knows a time zone from a typo', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Asia/Shanghia')).toBe(false);
    expect(() => new ZonedClock('Mars/Olympus')).toThrow(RangeError);
  });

  it('writes every instant as toISOString would, in time order and out of it, across days, zones and years', () => {
    /** The plain way: one Date and toISOString per instant. */
    const plain = (clock: ZonedClock, ms: number) => {
      const offset = clock.offset(ms);
      const text = new Date(ms + offset).toISOString();
      const minutes = Math.abs(Math.round(offset / 60_000));
      const suffix = `${offset < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      return { iso: text.slice(0, 23) + suffix, local: `${text.slice(0, 10)} ${text.slice(11, 19)}` };
    };
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const instants: number[] = [0, -1, 1, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_001, 8.6e15, -8.6e15, 1.5];
    // A year of rows in time order (as an export reads them), then the same shuffled, then the far past and future.
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += Math.floor(next() * 7_200_000)) instants.push(t);
    for (let i = 0; i < 2000; i++) instants.push(Math.floor(next() * Date.UTC(2100, 0, 1)));
    for (let i = 0; i < 200; i++) instants.push(Math.floor((next() - 0.5) * 2 * 8.6e15));
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC']) {
      const clock = new ZonedClock(zone);
      const reference = new ZonedClock(zone);
      for (const ms of instants) expect(clock.stamp(ms), `${zone} ${ms}`).toEqual(plain(reference, ms));
    }
  });
});
