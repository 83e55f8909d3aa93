import { describe, expect, it } from 'vitest';
import { claim, DEFAULT_REMINDER_CONFIG, remindersDue, type ReminderConfig, type UnpaidOrder } from './reminders';

// Shanghai wall-clock times on 2026-11-10 (UTC+8), as the shop reads them.
const at = (hhmm: string, day = 10) => Date.parse(`2026-11-${day}T${hhmm}:00+08:00`);
const order = (orderId: string, createdAt: number, more: Partial<UnpaidOrder> = {}): UnpaidOrder => ({
  orderId,
  buyerId: 'b1',
  createdAt,
  status: 'unpaid',
  ...more,
});
const config = (more: Partial<ReminderConfig> = {}): ReminderConfig => ({ ...DEFAULT_REMINDER_CONFIG, preCloseMinutes: null, ...more });
const due = (orders: UnpaidOrder[], now: number, more: Partial<ReminderConfig> = {}, done: Set<string> = new Set()) =>
  remindersDue({ config: config(more), orders, done }, now);

describe('催付 reminders (remindersDue)', () => {
  it('reminds 10 minutes after the order by default, not before', () => {
    const o = order('o1', at('14:00'));
    expect(due([o], at('14:09')).send).toEqual([]);
    expect(due([o], at('14:09')).nextAt).toBe(at('14:10'));
    expect(due([o], at('14:10')).send).toEqual([
      { kind: 'after_order', buyerId: 'b1', orderIds: ['o1'], keys: ['remind:after_order:o1'], dueAt: at('14:10') },
    ]);
  });

  it('reminds at the next chosen hour when the shop picks hours', () => {
    const o = order('o1', at('09:20'));
    const hours = { timing: { kind: 'at_hours' as const, hours: [12, 18] } };
    expect(due([o], at('11:59'), hours).send).toEqual([]);
    expect(due([o], at('12:00'), hours).send.map((r) => r.dueAt)).toEqual([at('12:00')]);
  });

  it('takes an order that says it was reminded of a kind as a stored key: never again, and not grouped in', () => {
    const a = order('o1', at('14:00'), { reminded: { after_order: true } });
    const b = order('o2', at('14:05'));
    const plan = due([a, b], at('14:20'));
    // Only the order not yet reminded goes, alone; the same as with o1's key in `done`.
    expect(plan.send.map((r) => r.orderIds)).toEqual([['o2']]);
    expect(due([a, b], at('14:20'), {}, new Set(['remind:after_order:o1']))).toEqual(
      due([order('o1', at('14:00')), b], at('14:20'), {}, new Set(['remind:after_order:o1'])),
    );
    // Reminded of one kind only: the other still comes.
    const pre = { preCloseMinutes: 60, closeAfterMinutes: 120 };
    expect(due([a], at('15:00'), pre).send.map((r) => r.kind)).toEqual(['pre_close']);
  });

  it('never reminds a buyer who paid meanwhile, or whose order closed', () => {
    expect(due([order('o1', at('14:00'), { status: 'paid' })], at('14:15')).send).toEqual([]);
    expect(due([order('o1', at('14:00'), { status: 'closed' })], at('14:15')).send).toEqual([]);
    // Still unpaid on our side but past the platform's close time: closed all the same.
    expect(due([order('o1', at('14:00'), { closesAt: at('14:12') })], at('14:15')).send).toEqual([]);
  });

  it('drops a reminder more than an hour late instead of sending it', () => {
    const o = order('o1', at('14:00'));
    expect(due([o], at('15:10')).send).toHaveLength(1);
    const late = due([o], at('15:11'));
    expect(late.send).toEqual([]);
    expect(late.drop).toEqual([{ kind: 'after_order', orderId: 'o1', key: 'remind:after_order:o1', reason: 'late' }]);
  });

  it('skips a reminder that falls in quiet hours when the shop chose skip', () => {
    const o = order('o1', at('21:55'));
    const skip = { quietHours: { start: 22 * 60, end: 8 * 60, mode: 'skip' as const } };
    const plan = due([o], at('22:05'), skip);
    expect(plan.send).toEqual([]);
    expect(plan.drop).toEqual([{ kind: 'after_order', orderId: 'o1', key: 'remind:after_order:o1', reason: 'quiet_hours' }]);
    expect(due([o], at('08:00', 11), skip).send).toEqual([]);
  });

  it('sends at opening a reminder that fell in quiet hours when the shop chose send at opening', () => {
    const o = order('o1', at('21:55'));
    expect(due([o], at('23:00')).send).toEqual([]);
    expect(due([o], at('23:00')).nextAt).toBe(at('08:00', 11));
    expect(due([o], at('08:00', 11)).send.map((r) => r.orderIds)).toEqual([['o1']]);
    // Opening is the reminder's time: an hour past opening it is late, and dropped.
    expect(due([o], at('09:01', 11)).drop.map((d) => d.reason)).toEqual(['late']);
  });

  it('holds a due reminder while quiet hours run even when its own time was before them', () => {
    const o = order('o1', at('21:45'));
    expect(due([o], at('22:01')).send).toEqual([]);
    expect(due([o], at('22:01')).nextAt).toBe(at('08:00', 11));
  });

  it('sends one reminder for several unpaid orders of one buyer', () => {
    const orders = [order('o1', at('14:00')), order('o2', at('14:04')), order('o3', at('14:02'), { buyerId: 'b2' })];
    const plan = due(orders, at('14:12'));
    expect(plan.send.map((r) => [r.buyerId, r.orderIds])).toEqual([
      ['b1', ['o1', 'o2']],
      ['b2', ['o3']],
    ]);
    // The order covered early is never reminded again when its own time comes.
    const done = new Set(plan.send.flatMap((r) => r.keys));
    expect(due(orders, at('14:14'), {}, done).send).toEqual([]);
  });

  it('never reminds twice for one order, even with two desks evaluating the same moment', () => {
    const orders = [order('o1', at('14:00'))];
    const table = new Set<string>(); // the durable key table both desks write to
    const deskA = due(orders, at('14:10'), {}, new Set(table));
    const deskB = due(orders, at('14:10'), {}, new Set(table));
    expect(deskA.send).toEqual(deskB.send);
    const sent = [...deskA.send, ...deskB.send].filter((r) => claim(table, r));
    expect(sent).toHaveLength(1);
  });

  it('never reminds twice after a restart: the stored keys are all it needs', () => {
    const orders = [order('o1', at('14:00'))];
    const first = due(orders, at('14:10'));
    const stored = new Set(first.send.flatMap((r) => r.keys));
    expect(due(orders, at('14:11'), {}, stored).send).toEqual([]);
    expect(due(orders, at('14:40'), {}, stored).send).toEqual([]);
  });

  it('sends a pre-close reminder before an unpaid order closes, sooner for a flash-sale order', () => {
    const pre = { preCloseMinutes: 60 };
    const normal = order('o1', at('12:00'));
    const stored = new Set(['remind:after_order:o1', 'remind:after_order:o2']);
    expect(due([normal], at('11:00', 13), pre, stored).send.map((r) => r.kind)).toEqual(['pre_close']);
    expect(due([normal], at('10:59', 13), pre, stored).send).toEqual([]);
    const flash = order('o2', at('10:00'), { flashSale: true });
    const flashPlan = due([flash], at('10:20'), { preCloseMinutes: 10 }, stored);
    expect(flashPlan.send.map((r) => [r.kind, r.orderIds])).toEqual([['pre_close', ['o2']]]);
  });

  it('never reminds before closing earlier than half the order’s open time: a flash-sale order with an hour’s notice at its 15th minute', () => {
    const stored = new Set(['remind:after_order:o3']);
    const flash = order('o3', at('10:00'), { flashSale: true });
    // Default: closes after 30 minutes, 60 minutes' notice. Not at once, not at 10:14; at 10:15.
    expect(due([flash], at('10:00'), { preCloseMinutes: 60 }, stored).send).toEqual([]);
    expect(due([flash], at('10:14'), { preCloseMinutes: 60 }, stored)).toMatchObject({ send: [], nextAt: at('10:15') });
    expect(due([flash], at('10:15'), { preCloseMinutes: 60 }, stored).send.map((r) => r.kind)).toEqual(['pre_close']);
    // Past its close it is never reminded.
    expect(due([flash], at('10:30'), { preCloseMinutes: 60 }, stored).send).toEqual([]);
  });

  it('does nothing when 催付 is off', () => {
    expect(due([order('o1', at('14:00'))], at('14:10'), { enabled: false }).send).toEqual([]);
  });

  it('gives the same keys whenever it is evaluated', () => {
    const o = order('o1', at('14:00'));
    expect(due([o], at('14:10')).send[0]!.keys).toEqual(due([o], at('14:50')).send[0]!.keys);
  });
});
