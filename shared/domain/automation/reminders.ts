import { inSpan, minutes, nextChosenHour, spanEnd, type DailySpan } from './clock';

/**
 * 催付 (payment reminders) as a pure function: `remindersDue(state, now)` says which reminders to
 * send now and which to give up, each with the keys the caller must store (durably, UNIQUE) before
 * sending. The engine keeps no state of its own: evaluated again after a restart, or by a second
 * desk at the same moment, it returns the same reminder under the same keys, and a key already
 * stored is never due again. See docs/architecture.md, "Automation engines".
 */

export type QuietHours = DailySpan & { mode: 'skip' | 'send_at_opening' };

export type ReminderConfig = {
  enabled: boolean;
  /** When the first reminder is due: N minutes after the order, or at the next chosen local hour. */
  timing: { kind: 'after'; minutes: number } | { kind: 'at_hours'; hours: number[] };
  /** A last reminder this long before an unpaid order closes (null: none). */
  preCloseMinutes: number | null;
  /** Unpaid orders close this long after they were placed (Taobao: 72 h); flash-sale orders sooner. */
  closeAfterMinutes: number;
  flashCloseAfterMinutes: number;
  quietHours: QuietHours | null;
  /** A reminder this much past its time is dropped, not sent. */
  lateDropMinutes: number;
  /** The shop's UTC offset in minutes. */
  offsetMinutes: number;
};

export const DEFAULT_REMINDER_CONFIG: ReminderConfig = {
  enabled: true,
  timing: { kind: 'after', minutes: 10 },
  preCloseMinutes: 60,
  closeAfterMinutes: 72 * 60,
  flashCloseAfterMinutes: 30,
  quietHours: { start: 22 * 60, end: 8 * 60, mode: 'send_at_opening' },
  lateDropMinutes: 60,
  offsetMinutes: 480,
};

export type UnpaidOrder = {
  orderId: string;
  buyerId: string;
  createdAt: number;
  status: 'unpaid' | 'paid' | 'closed';
  flashSale?: boolean;
  /** When the platform closes it, if it said; otherwise from the config. */
  closesAt?: number;
  /**
   * The kinds already reminded (sent or dropped), as the store keeps them beside the order: the same
   * as their keys in `done`, without a key built and looked up per order and round.
   */
  reminded?: Partial<Record<ReminderKind, boolean>>;
};

export type ReminderKind = 'after_order' | 'pre_close';

export type ReminderState = {
  config: ReminderConfig;
  orders: readonly UnpaidOrder[];
  /** Keys stored so far (sent or dropped): never due again (and any kind an order says it was `reminded` of). */
  done: ReadonlySet<string>;
};

/** One message to one buyer, covering every order it names. */
export type DueReminder = { kind: ReminderKind; buyerId: string; orderIds: string[]; keys: string[]; dueAt: number };
export type DroppedReminder = { kind: ReminderKind; orderId: string; key: string; reason: 'late' | 'quiet_hours' };
export type ReminderPlan = {
  send: DueReminder[];
  drop: DroppedReminder[];
  /** The next moment something may become due, for a timer. */ nextAt: number | null;
};

export function reminderKey(kind: ReminderKind, orderId: string): string {
  return `remind:${kind}:${orderId}`;
}

export function closesAt(order: UnpaidOrder, config: ReminderConfig): number {
  return order.closesAt ?? order.createdAt + minutes(order.flashSale ? config.flashCloseAfterMinutes : config.closeAfterMinutes);
}

function dueAt(kind: ReminderKind, order: UnpaidOrder, config: ReminderConfig): number | null {
  if (kind === 'pre_close') {
    if (config.preCloseMinutes === null) return null;
    // At most half the order's open time before it closes: a 30-minute flash-sale order with the
    // default hour's notice is reminded at its 15th minute, never the moment it is placed.
    const close = closesAt(order, config);
    return close - Math.min(minutes(config.preCloseMinutes), Math.max(0, close - order.createdAt) / 2);
  }
  if (config.timing.kind === 'after') return order.createdAt + minutes(config.timing.minutes);
  return nextChosenHour(config.timing.hours, order.createdAt, config.offsetMinutes);
}

/** When the reminder may go out given quiet hours, or null when quiet hours skip it. */
function sendableAt(at: number, config: ReminderConfig): number | null {
  const q = config.quietHours;
  if (!q || !inSpan(q, at, config.offsetMinutes)) return at;
  return q.mode === 'skip' ? null : spanEnd(q, at, config.offsetMinutes);
}

export function remindersDue(state: ReminderState, now: number): ReminderPlan {
  const { config, done } = state;
  const plan: ReminderPlan = { send: [], drop: [], nextAt: null };
  if (!config.enabled) return plan;
  const later = (at: number) => {
    plan.nextAt = plan.nextAt === null ? at : Math.min(plan.nextAt, at);
  };
  const quietNow = config.quietHours !== null && inSpan(config.quietHours, now, config.offsetMinutes);
  const isOpen = (o: UnpaidOrder) => o.status === 'unpaid' && now < closesAt(o, config);
  const lateMs = minutes(config.lateDropMinutes);
  for (const kind of ['after_order', 'pre_close'] as const) {
    // Orders still open and not yet reminded of this kind. A key is looked up only where it changes
    // the answer (due now, or a sooner nextAt): over 100k orders, building every key costs the most.
    const dueBuyers = new Set<string>();
    const notDone = (order: UnpaidOrder) => order.reminded?.[kind] !== true && !done.has(reminderKey(kind, order.orderId));
    const laterIfOpen = (at: number, order: UnpaidOrder) => {
      if ((plan.nextAt === null || at < plan.nextAt) && notDone(order)) later(at);
    };
    for (const order of state.orders) {
      if (!isOpen(order)) continue;
      const due = dueAt(kind, order, config);
      if (due === null) continue;
      const at = sendableAt(due, config);
      if (at === null) {
        if (now < due) laterIfOpen(due, order);
        else if (notDone(order))
          plan.drop.push({ kind, orderId: order.orderId, key: reminderKey(kind, order.orderId), reason: 'quiet_hours' });
      } else if (now < at) laterIfOpen(at, order);
      else if (!notDone(order)) continue;
      else if (now - at > lateMs) plan.drop.push({ kind, orderId: order.orderId, key: reminderKey(kind, order.orderId), reason: 'late' });
      else if (quietNow) later(spanEnd(config.quietHours!, now, config.offsetMinutes));
      else dueBuyers.add(order.buyerId);
    }
    const dropped = new Set(plan.drop.map((d) => d.key));
    // Each due buyer's open orders not yet reminded, grouped once (a scan per buyer is quadratic).
    const byBuyer = new Map<string, UnpaidOrder[]>();
    if (dueBuyers.size > 0) {
      for (const o of state.orders) {
        if (!dueBuyers.has(o.buyerId) || !isOpen(o) || !notDone(o)) continue;
        const list = byBuyer.get(o.buyerId);
        if (list) list.push(o);
        else byBuyer.set(o.buyerId, [o]);
      }
    }
    for (const buyerId of dueBuyers) {
      // One message covers every open order of the buyer placed by now, due or not yet: a buyer
      // with three unpaid orders hears about them once.
      const orders = byBuyer
        .get(buyerId)!
        .filter((o) => o.createdAt <= now && !dropped.has(reminderKey(kind, o.orderId)))
        .sort((a, b) => a.createdAt - b.createdAt || (a.orderId < b.orderId ? -1 : 1));
      const first = dueAt(kind, orders[0]!, config) ?? now;
      plan.send.push({
        kind,
        buyerId,
        orderIds: orders.map((o) => o.orderId),
        keys: orders.map((o) => reminderKey(kind, o.orderId)),
        dueAt: first,
      });
    }
  }
  plan.send.sort((a, b) => a.dueAt - b.dueAt || (a.buyerId < b.buyerId ? -1 : 1));
  return plan;
}

/**
 * What a durable key table does, in memory: claims a reminder only if none of its keys is taken, and
 * takes them all. The core does the same with INSERT into a UNIQUE column inside one transaction;
 * this is the model the tests run two desks against.
 */
export function claim(taken: Set<string>, reminder: { keys: readonly string[] }): boolean {
  if (reminder.keys.some((k) => taken.has(k))) return false;
  for (const k of reminder.keys) taken.add(k);
  return true;
}
