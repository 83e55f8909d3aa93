import { describe, expect, it } from 'vitest';
import { bucketMs, bucketOf, BUCKET_COUNT, percentileOf } from './buckets';
import { dayNumber, dayStartMs, dayString, fixedOffsetClock, HOUR_MS, localDay, localHour, MINUTE_MS, weekdayOf } from './clock';
import { presetDays, previousPeriod, seriesSpec } from './periods';
import { isAcknowledgement, isQuestion, questionKey, wordsOf } from './text';
import { workingMs } from './workingHours';
import { askingDayOf, isInquiry } from './attribution';

const clock = fixedOffsetClock(480);

describe('shop days', () => {
  it('reads days and hours in the shop zone', () => {
    const d = dayNumber('2024-06-18');
    expect(dayString(d)).toBe('2024-06-18');
    expect(weekdayOf(d)).toBe(2); // a Tuesday
    const midnight = dayStartMs(d, clock);
    expect(new Date(midnight).toISOString()).toBe('2024-06-17T16:00:00.000Z');
    expect(localDay(midnight, clock)).toBe(d);
    expect(localDay(midnight - 1, clock)).toBe(d - 1);
    expect(localHour(midnight + 13 * HOUR_MS + 59 * MINUTE_MS, clock)).toBe(13);
  });

  it('names the presets, the previous period and the series slots', () => {
    const today = dayNumber('2024-06-19'); // a Wednesday
    expect(presetDays('today', today)).toEqual({ from: today, to: today });
    expect(presetDays('yesterday', today)).toEqual({ from: today - 1, to: today - 1 });
    expect(presetDays('last7', today)).toEqual({ from: today - 6, to: today });
    expect(presetDays('last30', today)).toEqual({ from: today - 29, to: today });
    expect(previousPeriod({ from: today - 6, to: today })).toEqual({ from: today - 13, to: today - 7 });
    expect(seriesSpec({ from: today - 6, to: today })).toEqual({ from: today - 6, to: today, width: 1, origin: today - 6 });
    const year = seriesSpec({ from: today - 364, to: today });
    expect(year.width).toBe(7);
    expect(weekdayOf(year.origin)).toBe(1); // weeks start on Monday
    expect(year.origin).toBeLessThanOrEqual(today - 364);
  });
});

describe('response time buckets', () => {
  it('are exact to the second below two minutes and coarser after', () => {
    expect(bucketMs(bucketOf(59_400))).toBe(59_000);
    expect(bucketMs(bucketOf(119_999))).toBe(119_000);
    expect(bucketMs(bucketOf(123_000))).toBe(120_000);
    expect(bucketMs(bucketOf(601_000))).toBe(600_000);
    expect(bucketOf(30 * 86_400_000)).toBe(BUCKET_COUNT - 1);
    expect(bucketOf(-5)).toBe(0);
  });

  it('give percentiles by nearest rank', () => {
    const h = new Map([1, 2, 3, 4].map((s) => [bucketOf(s * 1000), 1]));
    expect(percentileOf(h, 50)).toBe(2000);
    expect(percentileOf(h, 90)).toBe(4000);
    expect(percentileOf(new Map(), 50)).toBeNull();
  });
});

describe('working hours', () => {
  const monday = dayNumber('2024-06-17');
  const t = (day: number, h: number, m = 0) => dayStartMs(monday + day, clock) + (h * 60 + m) * MINUTE_MS;
  const hours = { days: [1, 2, 3, 4, 5], start: 9 * 60, end: 18 * 60 };

  it('count only the time inside them', () => {
    expect(workingMs(t(0, 10), t(0, 10, 5), null, clock)).toBe(5 * MINUTE_MS);
    expect(workingMs(t(0, 23), t(1, 9, 5), hours, clock)).toBe(5 * MINUTE_MS);
    expect(workingMs(t(0, 17), t(1, 10), hours, clock)).toBe(2 * HOUR_MS);
    // Friday 17:00 to Monday 09:30: an hour on Friday, half an hour on Monday
    expect(workingMs(t(4, 17), t(7, 9, 30), hours, clock)).toBe(90 * MINUTE_MS);
    expect(workingMs(t(5, 10), t(5, 11), hours, clock)).toBe(0);
  });

  it('run past midnight when the end is before the start', () => {
    const night = { days: [0, 1, 2, 3, 4, 5, 6], start: 22 * 60, end: 2 * 60 };
    expect(workingMs(t(0, 21), t(1, 3), night, clock)).toBe(4 * HOUR_MS);
    expect(workingMs(t(1, 1), t(1, 1, 30), night, clock)).toBe(30 * MINUTE_MS);
  });
});

describe('buyer text', () => {
  it('knows a thank-you from a question and a nudge', () => {
    for (const t of ['好的', '好的👌', '谢谢亲❤️', '收到啦😊', 'OK', '👍']) expect(isAcknowledgement(t), t).toBe(true);
    for (const t of ['？？', '在吗？', '什么时候发货', '好的，那我拍L']) expect(isAcknowledgement(t), t).toBe(false);
    expect(isQuestion('在吗？')).toBe(false);
    expect(isQuestion('亲？')).toBe(false);
    expect(isQuestion('可以发顺丰吗')).toBe(true);
    expect(isQuestion('我要退款')).toBe(false);
  });

  it('keys a question without greetings, punctuation, particles or numbers', () => {
    expect(questionKey('亲，什么时候发货呀？')).toBe('什么时候发货');
    expect(questionKey('请问 什么时候发货')).toBe('什么时候发货');
    expect(questionKey('订单1234567能今天发吗')).toBe('订单#能今天发吗');
    expect(questionKey('在吗？')).toBeNull();
  });

  it('splits words with the segmenter and the shop lexicon, without stop words or numbers', () => {
    expect(wordsOf('可以发顺丰吗')).toEqual(['顺丰']);
    expect(wordsOf('退款什么时候到账')).toEqual(['退款', '到账']);
    expect(wordsOf('165cm 52kg穿什么码')).toEqual([]);
    expect(wordsOf('这个面料起球吗？起球')).toEqual(['面料', '起球']);
  });
});

describe('asking before ordering', () => {
  const H = HOUR_MS;
  it('is writing with no order in the 24 hours before', () => {
    expect(isInquiry(100 * H, [])).toBe(true);
    expect(isInquiry(100 * H, [90 * H])).toBe(false);
    expect(isInquiry(100 * H, [76 * H])).toBe(false); // exactly 24 h before is inside
    expect(isInquiry(100 * H, [75 * H, 100 * H])).toBe(true); // 25 h before, and the same instant, are outside
  });

  it('gives an order to the latest asking day within 24 hours before it', () => {
    const day = (conversationId: string, firstBuyerAt: number, inquiry = true) => ({
      conversationId,
      day: 0,
      agentId: conversationId,
      firstBuyerAt,
      inquiry,
    });
    const days = [day('x', 10 * H), day('y', 20 * H), day('z', 21 * H, false), day('w', 40 * H)];
    expect(askingDayOf(30 * H, days)?.conversationId).toBe('y');
    expect(askingDayOf(45 * H, days)?.conversationId).toBe('w');
    expect(askingDayOf(5 * H, days)).toBeNull();
    expect(askingDayOf(70 * H, days)).toBeNull();
  });
});
