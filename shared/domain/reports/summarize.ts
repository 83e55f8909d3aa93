import { percentileOf } from './buckets';
import type { ShopClock } from './clock';
import { LATE_MS } from './fold';
import { slotOf, type PeriodRows, type PeriodSpec } from './rollup';
import { workingMs, type WorkingHours } from './workingHours';

/**
 * The metrics of one agent, or of the team, over a period, from the period's rows (see rollup.ts
 * for how the rows are made and fold.ts / attribution.ts for what counts). Buyers are counted once
 * per period, whatever the number of days or conversations:
 * - 接待人数 `received`: buyers who wrote (in the agent's conversation days);
 * - 询单人数 `asked`: of those, buyers who asked before ordering on some day;
 * - `ordered` / `paid`: buyers with an order that followed their asking (paid: one with a payment);
 *   询单转化率 `orderRate` = ordered ÷ asked, `payRate` = paid ÷ asked;
 * - response times: first response of each conversation day, and every response; mean exact,
 *   median and p90 by nearest rank over the time buckets (exact to the second below 2 minutes);
 * - 答问比 `answerRatio` = messages agents typed ÷ buyer messages;
 * - `salesCents` = the paid orders' amounts, 客单价 `avgOrderCents` = sales ÷ paying buyers;
 * - `unanswered`: buyers who waited more than 3 minutes (working time) for a reply at least once,
 *   answered late or not yet (a wait still open counts up to `now`).
 * An agent's row counts the conversation days they are the agent of, and the messages and
 * responses they typed. The agent '' is nobody: buyers no agent has answered, and automatic messages.
 */

export type TimeStat = { count: number; meanMs: number | null; medianMs: number | null; p90Ms: number | null };

export type Metrics = {
  received: number;
  asked: number;
  ordered: number;
  paid: number;
  orderRate: number | null;
  payRate: number | null;
  firstResponse: TimeStat;
  response: TimeStat;
  buyerMessages: number;
  agentMessages: number;
  autoMessages: number;
  answerRatio: number | null;
  salesCents: number;
  paidOrders: number;
  avgOrderCents: number | null;
  unanswered: number;
};

export type AgentMetrics = { agentId: string; metrics: Metrics };
export type Totals = { team: Metrics; agents: AgentMetrics[] };
export type SeriesPoint = { slot: number; team: Metrics };

export type SummarizeContext = { now: number; clock: ShopClock; workingHours: WorkingHours | null; lateMs?: number };

class Scope {
  received = new Set<string | number>();
  asked = new Set<string | number>();
  ordered = new Set<string | number>();
  paid = new Set<string | number>();
  unanswered = new Set<string | number>();
  buyerMessages = 0;
  agentMessages = 0;
  autoMessages = 0;
  responses = 0;
  responseMs = 0;
  firsts = 0;
  firstMs = 0;
  all = new Map<number, number>();
  first = new Map<number, number>();
  salesCents = 0;
  paidOrders = 0;

  metrics(): Metrics {
    const rate = (n: number, d: number) => (d > 0 ? n / d : null);
    const stat = (count: number, ms: number, hist: Map<number, number>): TimeStat => ({
      count,
      meanMs: count > 0 ? Math.round(ms / count) : null,
      medianMs: percentileOf(hist, 50),
      p90Ms: percentileOf(hist, 90),
    });
    return {
      received: this.received.size,
      asked: this.asked.size,
      ordered: this.ordered.size,
      paid: this.paid.size,
      orderRate: rate(this.ordered.size, this.asked.size),
      payRate: rate(this.paid.size, this.asked.size),
      firstResponse: stat(this.firsts, this.firstMs, this.first),
      response: stat(this.responses, this.responseMs, this.all),
      buyerMessages: this.buyerMessages,
      agentMessages: this.agentMessages,
      autoMessages: this.autoMessages,
      answerRatio: rate(this.agentMessages, this.buyerMessages),
      salesCents: this.salesCents,
      paidOrders: this.paidOrders,
      avgOrderCents: this.paid.size > 0 ? Math.round(this.salesCents / this.paid.size) : null,
      unanswered: this.unanswered.size,
    };
  }
}

const add = (m: Map<number, number>, k: number, n: number) => m.set(k, (m.get(k) ?? 0) + n);

/** Team and agents over the whole rows, and the team per slot of `spec` (the chart's series). */
export function summarize(
  rows: PeriodRows,
  spec: PeriodSpec,
  ctx: SummarizeContext,
  agentIds: readonly string[] = [],
): { totals: Totals; series: SeriesPoint[] } {
  const lateMs = ctx.lateMs ?? LATE_MS;
  const order = new Map(agentIds.map((id, i) => [id, i]));
  const rank = (id: string) => order.get(id) ?? agentIds.length;
  const team = new Scope();
  const agents = new Map<string, Scope>(agentIds.map((id) => [id, new Scope()]));
  const slots = new Map<number, Scope>();
  const agentScope = (agentId: string): Scope => {
    let a = agents.get(agentId);
    if (!a) agents.set(agentId, (a = new Scope()));
    return a;
  };
  const slotScope = (slot: number): Scope => {
    let s = slots.get(slot);
    if (!s) slots.set(slot, (s = new Scope()));
    return s;
  };
  for (const d of rows.convDays) {
    const late = d.late || (d.openSince !== null && workingMs(d.openSince, d.openUntil ?? ctx.now, ctx.workingHours, ctx.clock) > lateMs);
    for (const s of [team, agentScope(d.agentId), slotScope(slotOf(d.day, spec))]) {
      s.received.add(d.customerId);
      if (d.inquiry) s.asked.add(d.customerId);
      if (late) s.unanswered.add(d.customerId);
      s.buyerMessages += d.buyerMsgs;
    }
  }
  for (const a of rows.authors) {
    for (const s of [team, agentScope(a.agentId), slotScope(a.slot)]) {
      s.agentMessages += a.msgs;
      s.autoMessages += a.auto;
      s.responses += a.responses;
      s.responseMs += a.responseMs;
      s.firsts += a.firsts;
      s.firstMs += a.firstMs;
    }
  }
  for (const h of rows.hist) {
    for (const s of [team, agentScope(h.agentId), slotScope(h.slot)]) {
      add(s.all, h.bucket, h.n);
      if (h.first) add(s.first, h.bucket, h.n);
    }
  }
  for (const o of rows.orders) {
    for (const s of [team, agentScope(o.agentId), slotScope(slotOf(o.day, spec))]) {
      s.ordered.add(o.customerId);
      if (o.paid) {
        s.paid.add(o.customerId);
        s.salesCents += o.amountCents;
        s.paidOrders++;
      }
    }
  }
  return {
    // The agents asked for in their order, then any other (nobody '' among them) by id: the same whatever order the rows came in.
    totals: {
      team: team.metrics(),
      agents: [...agents]
        .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
        .map(([agentId, s]) => ({ agentId, metrics: s.metrics() })),
    },
    series: [...slots].sort((a, b) => a[0] - b[0]).map(([slot, s]) => ({ slot, team: s.metrics() })),
  };
}

/** The metrics of nobody over nothing (a day of the series without a message). */
export function emptyMetrics(): Metrics {
  return new Scope().metrics();
}
