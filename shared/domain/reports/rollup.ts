import { askingDayOf, isInquiry } from './attribution';
import { foldConversation, type AuthorCounts, type FoldedDay, type FoldOptions, type ReportMessage } from './fold';
import type { QuestionCount } from './text';

/**
 * The whole rollup of a shop computed from scratch: every conversation's days, whether each asked
 * before ordering, and the asking day each order follows. This is the reference: the store keeps the
 * same rows incrementally as messages and orders are written, and a test compares the two after
 * random writes. The selections below are what the store's queries answer for a period.
 */

export type ReportOrder = { id: string; customerId: string; createdAt: number; amountCents: number; paidAt: number | null };
export type ReportShop = {
  conversations: readonly { id: string; customerId: string }[];
  messages: readonly ReportMessage[];
  orders: readonly ReportOrder[];
};

export type ConvDayRow = FoldedDay & { inquiry: boolean };

/** An order that followed asking, with the day and agent it belongs to. */
export type OrderRow = {
  orderId: string;
  customerId: string;
  createdAt: number;
  amountCents: number;
  paid: boolean;
  conversationId: string;
  /** The asking day. */
  day: number;
  agentId: string;
};

export type Rollup = { convDays: ConvDayRow[]; orders: OrderRow[] };

export function buildRollup(shop: ReportShop, options: FoldOptions): Rollup {
  const byConversation = new Map<string, ReportMessage[]>();
  for (const m of shop.messages) {
    const list = byConversation.get(m.conversationId);
    if (list) list.push(m);
    else byConversation.set(m.conversationId, [m]);
  }
  const orderTimes = new Map<string, number[]>();
  for (const o of shop.orders) {
    const list = orderTimes.get(o.customerId);
    if (list) list.push(o.createdAt);
    else orderTimes.set(o.customerId, [o.createdAt]);
  }
  const convDays: ConvDayRow[] = [];
  for (const c of shop.conversations) {
    for (const d of foldConversation(c, byConversation.get(c.id) ?? [], options)) {
      const inquiry = d.firstBuyerAt !== null && isInquiry(d.firstBuyerAt, orderTimes.get(c.customerId) ?? []);
      convDays.push({ ...d, inquiry });
    }
  }
  const asking = new Map<string, (ConvDayRow & { firstBuyerAt: number })[]>();
  for (const d of convDays) {
    if (d.firstBuyerAt === null) continue;
    const list = asking.get(d.customerId);
    if (list) list.push(d as ConvDayRow & { firstBuyerAt: number });
    else asking.set(d.customerId, [d as ConvDayRow & { firstBuyerAt: number }]);
  }
  const orders: OrderRow[] = [];
  for (const o of shop.orders) {
    const d = askingDayOf(o.createdAt, asking.get(o.customerId) ?? []);
    if (!d) continue;
    orders.push({
      orderId: o.id,
      customerId: o.customerId,
      createdAt: o.createdAt,
      amountCents: o.amountCents,
      paid: o.paidAt !== null,
      conversationId: d.conversationId,
      day: d.day,
      agentId: d.agentId,
    });
  }
  return { convDays, orders };
}

/** Days `from..to` (day numbers, inclusive), cut into slots of `width` days counted from `origin` (the chart's series). */
export type PeriodSpec = { from: number; to: number; width: number; origin: number };

export const slotOf = (day: number, spec: PeriodSpec) => Math.floor((day - spec.origin) / spec.width);

/** What a report reads for a period: the store's queries return exactly these. */
export type PeriodRows = {
  /** Conversation days on which the buyer wrote (the buyer by id, or by the store's integer key). */
  convDays: {
    day: number;
    customerId: string | number;
    agentId: string;
    buyerMsgs: number;
    inquiry: boolean;
    late: boolean;
    openSince: number | null;
    openUntil: number | null;
  }[];
  /** Author counts summed per slot and author. */
  authors: ({ slot: number; agentId: string } & AuthorCounts)[];
  /** Responses per slot, agent, first-or-not and bucket. */
  hist: { slot: number; agentId: string; first: 0 | 1; bucket: number; n: number }[];
  /** Orders that followed asking on a day of the period. */
  orders: { day: number; customerId: string; agentId: string; amountCents: number; paid: boolean }[];
};

const inPeriod = (day: number, spec: PeriodSpec) => day >= spec.from && day <= spec.to;

/** The reference selection of a period from a rollup (the store answers the same with SQL over its tables). */
export function selectPeriod(rollup: Rollup, spec: PeriodSpec): PeriodRows {
  const rows: PeriodRows = { convDays: [], authors: [], hist: [], orders: [] };
  const authors = new Map<string, { slot: number; agentId: string } & AuthorCounts>();
  const hist = new Map<string, PeriodRows['hist'][number]>();
  for (const d of rollup.convDays) {
    if (!inPeriod(d.day, spec)) continue;
    const slot = slotOf(d.day, spec);
    if (d.buyerMsgs > 0) {
      rows.convDays.push({
        day: d.day,
        customerId: d.customerId,
        agentId: d.agentId,
        buyerMsgs: d.buyerMsgs,
        inquiry: d.inquiry,
        late: d.late,
        openSince: d.openSince,
        openUntil: d.openUntil,
      });
    }
    for (const [agentId, c] of Object.entries(d.authors)) {
      const key = `${slot}|${agentId}`;
      const sum = authors.get(key) ?? { slot, agentId, msgs: 0, auto: 0, responses: 0, responseMs: 0, firsts: 0, firstMs: 0 };
      sum.msgs += c.msgs;
      sum.auto += c.auto;
      sum.responses += c.responses;
      sum.responseMs += c.responseMs;
      sum.firsts += c.firsts;
      sum.firstMs += c.firstMs;
      authors.set(key, sum);
    }
    for (const [agentId, first, bucket] of d.hist) {
      const key = `${slot}|${agentId}|${first}|${bucket}`;
      const h = hist.get(key) ?? { slot, agentId, first, bucket, n: 0 };
      h.n++;
      hist.set(key, h);
    }
  }
  rows.authors = [...authors.values()];
  rows.hist = [...hist.values()];
  for (const o of rollup.orders) {
    if (inPeriod(o.day, spec))
      rows.orders.push({ day: o.day, customerId: o.customerId, agentId: o.agentId, amountCents: o.amountCents, paid: o.paid });
  }
  return rows;
}

/** Buyer messages per weekday (0 Sunday) and hour over the days, for one agent's conversations or all. */
export function selectHeatmap(rollup: Rollup, from: number, to: number, agentId?: string): number[][] {
  const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const d of rollup.convDays) {
    if (d.day < from || d.day > to || (agentId !== undefined && d.agentId !== agentId)) continue;
    const row = grid[(((d.day + 4) % 7) + 7) % 7]!;
    d.hours.forEach((n, h) => (row[h]! += n));
  }
  return grid;
}

/** Word counts over the days, most first (ties by the word), at most `limit`. */
export function selectWords(rollup: Rollup, from: number, to: number, limit: number): { word: string; n: number }[] {
  const counts = new Map<string, number>();
  for (const d of rollup.convDays) {
    if (d.day < from || d.day > to) continue;
    for (const [w, n] of Object.entries(d.words)) counts.set(w, (counts.get(w) ?? 0) + n);
  }
  return [...counts]
    .map(([word, n]) => ({ word, n }))
    .sort(byCountThen((r) => r.word))
    .slice(0, limit);
}

/** Question counts over the days, most first (ties by key), at most `limit`; the wording is the greatest seen. */
export function selectQuestions(rollup: Rollup, from: number, to: number, limit: number): QuestionCount[] {
  const counts = new Map<string, QuestionCount>();
  for (const d of rollup.convDays) {
    if (d.day < from || d.day > to) continue;
    for (const [key, [n, sample]] of Object.entries(d.questions)) {
      const q = counts.get(key);
      if (!q) counts.set(key, { key, count: n, sample });
      else {
        q.count += n;
        if (sample > q.sample) q.sample = sample;
      }
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)).slice(0, limit);
}

function byCountThen<T extends { n: number }>(key: (r: T) => string) {
  return (a: T, b: T) => b.n - a.n || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}
