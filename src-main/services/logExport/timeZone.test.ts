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
});
