import { describe, expect, it } from 'vitest';
import { addDays, dayInTimeZone, isCalendarDay, recentDays } from './days';

describe('calendar days', () => {
  it('are real days between 2000-01-01 and 2100-12-31', () => {
    for (const ok of ['2000-01-01', '2024-02-29', '2100-12-31']) expect(isCalendarDay(ok)).toBe(true);
    for (const bad of ['9999-12-31', '1999-12-31', '2101-01-01', '2023-02-29', '2024-13-01', '2024-6-1', '2024-06-18T00:00', ''])
      expect(isCalendarDay(bad)).toBe(false);
  });

  it('are read in the shop’s time zone: the same instant is another day in Shanghai than in New York', () => {
    const instant = Date.UTC(2024, 5, 17, 18, 30); // 02:30 on the 18th in Shanghai, 14:30 on the 17th in New York
    expect(dayInTimeZone(instant, 'Asia/Shanghai')).toBe('2024-06-18');
    expect(dayInTimeZone(instant, 'America/New_York')).toBe('2024-06-17');
    expect(recentDays(instant, 'Asia/Shanghai', 7)).toEqual({ from: '2024-06-12', to: '2024-06-18' });
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});
