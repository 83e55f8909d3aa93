import { describe, expect, it } from 'vitest';
import {
  buildRollup,
  dayNumber,
  fixedOffsetClock,
  groupQuestions,
  HOUR_MS,
  selectHeatmap,
  selectPeriod,
  selectQuestions,
  selectWords,
  seriesSpec,
  summarize,
  type Metrics,
  type ReportMessage,
  type ReportShop,
  type WorkingHours,
} from './index';

/**
 * A small shop whose right answers are worked out by hand below (Asia/Shanghai, +08:00).
 * Day 0 is Monday 2024-06-17; agents 小美 (a1) and 小丽 (a2).
 * - b1 asks about a dress with 小美 (c1), is answered in 60 s and 20 s, says 好的 (no wait), orders
 *   o1 at 10:10 and pays; orders o1b the next morning at 09:00 (within 24 h of asking) and pays.
 * - b2 haggles with 小丽 (c2): answered in 40 s, then waits 4 min 30 s (late), and leaves.
 * - b3 ordered o3 at 09:00 and writes at 14:00 (after-sales: not asking before ordering); an
 *   automatic message at 14:00:10 does not count; 小美 answers at 14:02:10 (130 s).
 * - b4 writes 在吗？ at 15:00 in an unassigned conversation (c4) nobody answers.
 * - b5 writes at 23:59 (c5), 小丽 answers at 00:01:30 on day 1 (150 s, on day 1); b5 orders o5 at
 *   00:30 on day 1 and does not pay: the order follows the asking of day 0, which is 小丽's.
 */
const clock = fixedOffsetClock(480);
const D0 = dayNumber('2024-06-17');
const at = (day: number, hms: string) => {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  return (D0 + day) * 86_400_000 + ((h * 60 + m) * 60 + s) * 1000 - 8 * HOUR_MS;
};
let n = 0;
const msg = (
  conversationId: string,
  sender: ReportMessage['sender'],
  agentId: string | null,
  text: string,
  createdAt: number,
): ReportMessage => ({
  id: `m${String(++n).padStart(3, '0')}`,
  conversationId,
  sender,
  agentId,
  kind: 'text',
  text,
  createdAt,
});

const shop: ReportShop = {
  conversations: [
    { id: 'c1', customerId: 'b1' },
    { id: 'c2', customerId: 'b2' },
    { id: 'c3', customerId: 'b3' },
    { id: 'c4', customerId: 'b4' },
    { id: 'c5', customerId: 'b5' },
  ],
  messages: [
    msg('c1', 'buyer', null, '这款连衣裙什么时候发货呀？', at(0, '10:00:00')),
    msg('c1', 'system', null, '买家通过商品页进入咨询', at(0, '10:00:05')),
    msg('c1', 'buyer', null, '有XL码吗', at(0, '10:00:30')),
    msg('c1', 'agent', 'a1', '亲，今天下单明天发货哦', at(0, '10:01:00')),
    msg('c1', 'buyer', null, '包邮吗？', at(0, '10:02:00')),
    msg('c1', 'agent', 'a1', '包邮的亲', at(0, '10:02:20')),
    msg('c1', 'buyer', null, '好的', at(0, '10:03:00')),
    msg('c2', 'buyer', null, '能便宜点吗', at(0, '11:00:00')),
    msg('c2', 'agent', 'a2', '亲，已经是活动价了', at(0, '11:00:40')),
    msg('c2', 'buyer', null, '那算了', at(0, '11:01:00')),
    msg('c2', 'agent', 'a2', '好的亲，有需要再来', at(0, '11:05:30')),
    msg('c3', 'buyer', null, '什么时候发货', at(0, '14:00:00')),
    msg('c3', 'agent', null, '您好，客服马上回复您', at(0, '14:00:10')),
    msg('c3', 'agent', 'a1', '今天下午发出', at(0, '14:02:10')),
    msg('c4', 'buyer', null, '在吗？', at(0, '15:00:00')),
    msg('c5', 'buyer', null, '还有货吗', at(0, '23:59:00')),
    msg('c5', 'agent', 'a2', '有的', at(1, '00:01:30')),
  ],
  orders: [
    { id: 'o1', customerId: 'b1', createdAt: at(0, '10:10:00'), amountCents: 19_900, paidAt: at(0, '10:12:00') },
    { id: 'o1b', customerId: 'b1', createdAt: at(1, '09:00:00'), amountCents: 9_900, paidAt: at(1, '09:01:00') },
    { id: 'o3', customerId: 'b3', createdAt: at(0, '09:00:00'), amountCents: 5_000, paidAt: at(0, '09:05:00') },
    { id: 'o5', customerId: 'b5', createdAt: at(1, '00:30:00'), amountCents: 8_800, paidAt: null },
  ],
};

const S = 1000;
const now = at(1, '12:00:00');

function report(from: number, to: number, hours: WorkingHours | null = null) {
  const rollup = buildRollup(shop, { clock, workingHours: hours });
  const spec = seriesSpec({ from, to });
  return summarize(selectPeriod(rollup, spec), spec, { now, clock, workingHours: hours }, ['a1', 'a2']);
}
const of = (r: ReturnType<typeof report>, agentId: string): Metrics => r.totals.agents.find((a) => a.agentId === agentId)!.metrics;

describe('the report of a hand-made shop', () => {
  it('counts day 0 for the team as worked out by hand', () => {
    const team = report(D0, D0).totals.team;
    expect(team).toEqual({
      received: 5, // b1..b5 wrote
      asked: 4, // b3 had ordered within the 24 h before writing
      ordered: 2, // b1 (o1, o1b), b5 (o5)
      paid: 1, // b1
      orderRate: 2 / 4,
      payRate: 1 / 4,
      // first responses of the day: 60 s (c1), 40 s (c2), 130 s (c3, counted from 14:00:00, past the automatic message)
      firstResponse: { count: 3, meanMs: Math.round((230 * S) / 3), medianMs: 60 * S, p90Ms: 130 * S },
      // every response: 20, 40, 60, 130, 270 s
      response: { count: 5, meanMs: 104 * S, medianMs: 60 * S, p90Ms: 270 * S },
      buyerMessages: 9, // c1: 4, c2: 2, c3, c4, c5: 1 each
      agentMessages: 5, // typed by 小美 (3) and 小丽 (2) on day 0
      autoMessages: 1,
      answerRatio: 5 / 9,
      salesCents: 29_800, // o1 + o1b, both after b1's asking on day 0
      paidOrders: 2,
      avgOrderCents: 29_800, // one paying buyer
      unanswered: 2, // b2 waited 4.5 min; b4 is still waiting; b5 waited 2.5 min
    });
  });

  it('gives each agent their conversation days, the replies they typed and the orders their asking led to', () => {
    const r = report(D0, D0);
    const a1 = of(r, 'a1');
    expect([a1.received, a1.asked, a1.ordered, a1.paid, a1.salesCents, a1.paidOrders]).toEqual([2, 1, 1, 1, 29_800, 2]);
    expect([a1.buyerMessages, a1.agentMessages, a1.unanswered]).toEqual([5, 3, 0]);
    expect(a1.firstResponse).toEqual({ count: 2, meanMs: 95 * S, medianMs: 60 * S, p90Ms: 130 * S });
    expect(a1.response).toEqual({ count: 3, meanMs: 70 * S, medianMs: 60 * S, p90Ms: 130 * S });
    const a2 = of(r, 'a2');
    // b5's day 0 had no reply that day: it is 小丽's, who answered its wait after midnight
    expect([a2.received, a2.asked, a2.ordered, a2.paid, a2.salesCents]).toEqual([2, 2, 1, 0, 0]);
    expect([a2.buyerMessages, a2.agentMessages, a2.unanswered, a2.orderRate]).toEqual([3, 2, 1, 0.5]);
    expect(a2.response).toEqual({ count: 2, meanMs: 155 * S, medianMs: 40 * S, p90Ms: 270 * S });
    const nobody = of(r, '');
    expect([nobody.received, nobody.asked, nobody.unanswered, nobody.autoMessages, nobody.agentMessages]).toEqual([1, 1, 1, 1, 0]);
  });

  it('counts the reply after midnight on the day it was typed, and buyers once over two days', () => {
    const r = report(D0, D0 + 1);
    expect(r.totals.team.received).toBe(5);
    expect(r.totals.team.response.count).toBe(6);
    expect(of(r, 'a2').firstResponse).toEqual({ count: 2, meanMs: 95 * S, medianMs: 40 * S, p90Ms: 150 * S });
    // day 1 alone: nobody wrote, 小丽 answered once, and no asking happened (o1b and o5 belong to day 0)
    const day1 = r.series.find((p) => p.slot === 1)!.team;
    expect([day1.received, day1.asked, day1.ordered, day1.response.count, day1.salesCents]).toEqual([0, 0, 0, 1, 0]);
    expect(report(D0 + 1, D0 + 1).totals.team.salesCents).toBe(0);
  });

  it('counts waits in working hours only, where the shop has them', () => {
    const weekdays: WorkingHours = { days: [1, 2, 3, 4, 5], start: 9 * 60, end: 18 * 60 };
    const r = report(D0, D0 + 1, weekdays);
    // b5 wrote at 23:59 and was answered at 00:01:30: no working time passed
    expect(of(r, 'a2').firstResponse.medianMs).toBe(0);
    // everything on day 0 lies within 09:00–18:00
    expect(report(D0, D0, weekdays).totals.team.response).toEqual(report(D0, D0).totals.team.response);
  });

  it('maps buyer messages by weekday and hour', () => {
    const grid = selectHeatmap(buildRollup(shop, { clock, workingHours: null }), D0, D0 + 1);
    expect(grid[1]![10]).toBe(4); // Monday 10:00–11:00: c1's four buyer messages
    expect(grid[1]![11]).toBe(2);
    expect(grid[1]![23]).toBe(1);
    expect(grid.flat().reduce((a, b) => a + b, 0)).toBe(9);
  });

  it('finds the hot words and groups similar questions, each with a term to search for', () => {
    const rollup = buildRollup(shop, { clock, workingHours: null });
    const words = selectWords(rollup, D0, D0, 10);
    expect(words[0]).toEqual({ word: '发货', n: 2 });
    expect(words.map((w) => w.word)).toEqual(expect.arrayContaining(['连衣裙', '包邮', '便宜', 'xl']));
    expect(words.map((w) => w.word)).not.toContain('好的');
    const questions = selectQuestions(rollup, D0, D0, 100);
    // 在吗？ is no question; 那算了 asks nothing
    expect(questions.map((q) => q.key).sort()).toEqual(
      ['什么时候发货', '包邮吗', '有xl码吗', '能便宜点吗', '还有货吗', '这款连衣裙什么时候发货'].sort(),
    );
    const groups = groupQuestions(questions, 10);
    expect(groups[0]).toMatchObject({ count: 2, keys: ['什么时候发货', '这款连衣裙什么时候发货'], term: '发货' });
  });
});
