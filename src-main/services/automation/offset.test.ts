import { describe, expect, it } from 'vitest';
import { computeOffset, offsetMinutesAt } from './offset';

const shop = (timeZone: string) => ({
  settings: { get: <T>(key: string, fallback: T): T => (key === 'timeZone' ? (timeZone as T) : fallback) },
});

describe('offsetMinutesAt (the shop’s UTC offset, the last minute kept per zone)', () => {
  it('answers as the uncached computation minute by minute across DST changes, back and forth between zones', () => {
    // New York springs forward at 07:00 UTC on 2026-03-08 and falls back at 06:00 UTC on 2026-11-01; Shanghai never moves.
    const spring = Date.UTC(2026, 2, 8, 7, 0);
    const fall = Date.UTC(2026, 10, 1, 6, 0);
    const times: number[] = [];
    for (const edge of [spring, fall]) for (let s = -180; s <= 180; s += 7) times.push(edge + s * 1000);
    for (const at of times) {
      for (const zone of ['America/New_York', 'Asia/Shanghai', 'America/New_York']) {
        expect(offsetMinutesAt(shop(zone), at)).toBe(computeOffset(zone, at));
      }
    }
    expect(offsetMinutesAt(shop('America/New_York'), spring - 1)).toBe(-300);
    expect(offsetMinutesAt(shop('America/New_York'), spring)).toBe(-240);
    expect(offsetMinutesAt(shop('America/New_York'), fall - 1)).toBe(-240);
    expect(offsetMinutesAt(shop('America/New_York'), fall)).toBe(-300);
    expect(offsetMinutesAt(shop('Asia/Shanghai'), fall)).toBe(480);
  });
});
