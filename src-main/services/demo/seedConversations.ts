import type { AgentRow } from '../../store/agents';
import type { MessageRow } from '../../store/messages';
import { DIALOGUES, NUDGES, type DialogueScript, type Turn } from './data/dialogues';
import { PRODUCTS, REGIONS, SHOP_NAME, STREETS } from './data/shop';
import { fill } from './random';
import {
  between,
  DAY,
  HOUR,
  MINUTE,
  type ConversationPlan,
  type CustomerPlan,
  type DemoAgents,
  type OrderPlan,
  type SeedContext,
} from './seedContext';

export const OPEN_CONVERSATIONS = 30;
export const ENDED_CONVERSATIONS = 10;
/** Open conversations whose buyer is still waiting for an answer. */
export const WAITING_CONVERSATIONS = 12;

type Buyer = { customer: CustomerPlan; order: OrderPlan | undefined };

function ordersByCustomer(orders: OrderPlan[]): Map<string, OrderPlan[]> {
  const map = new Map<string, OrderPlan[]>();
  for (const o of orders) map.set(o.row.customer_id, [...(map.get(o.row.customer_id) ?? []), o]);
  for (const list of map.values()) list.sort((a, b) => b.row.created_at - a.row.created_at);
  return map;
}

/** A buyer from the pool who fits the script (one with an order of the right status, if it needs one). */
function chooseBuyer(
  ctx: SeedContext,
  script: DialogueScript,
  pool: CustomerPlan[],
  byCustomer: Map<string, OrderPlan[]>,
): Buyer | undefined {
  const fits = (o: OrderPlan) => script.order?.includes(o.row.status) ?? false;
  const candidates = script.order ? pool.filter((c) => byCustomer.get(c.id)?.some(fits)) : pool;
  if (candidates.length === 0) return undefined;
  const customer = ctx.rnd.pick(candidates);
  pool.splice(pool.indexOf(customer), 1);
  return { customer, order: script.order ? byCustomer.get(customer.id)?.find(fits) : undefined };
}

function valuesFor(ctx: SeedContext, order: OrderPlan | undefined, agent: AgentRow): Record<string, string> {
  const { rnd } = ctx;
  const item = order?.items[0];
  const product = PRODUCTS.find((p) => p.title === item?.title) ?? rnd.pick(PRODUCTS);
  return {
    商品: product.short,
    颜色: /颜色:([^;]+)/.exec(item?.sku ?? '')?.[1] ?? rnd.pick(product.colors),
    尺码: /尺码:(.+)$/.exec(item?.sku ?? '')?.[1] ?? rnd.pick(product.sizes),
    订单号: order?.row.order_no ?? '',
    物流公司: order?.row.logistics_company ?? '中通快递',
    物流单号: order?.row.tracking_no ?? '',
    客服昵称: agent.nick,
    店铺名: SHOP_NAME,
    地址: `${rnd.pick(REGIONS).replace(/ /g, '')}${rnd.pick(STREETS)}${rnd.int(1, 399)}号 创意大厦${rnd.int(2, 30)}楼`,
  };
}

/** Seconds to minutes between two turns: agents answer fast, buyers sometimes come back much later. */
function gapBefore(ctx: SeedContext, previous: Turn[0], turn: Turn[0]): number {
  const { rnd } = ctx;
  if (turn === 'a') return rnd.int(10, 180) * 1000;
  if (previous !== 'a') return rnd.int(5, 90) * 1000;
  return rnd.chance(0.1) ? rnd.int(30, 120) * MINUTE : rnd.int(20, 360) * 1000;
}

function turnsFor(ctx: SeedContext, script: DialogueScript, waiting: boolean): Turn[] {
  const { rnd } = ctx;
  const turns = [...script.turns];
  if (!waiting) return turns;
  // Stop after a buyer's turn (keeping at least four messages); sometimes she writes again.
  const stops = turns.flatMap((t, i) => (i >= 3 && t[0] !== 'a' ? [i] : []));
  const cut = turns.slice(0, rnd.pick(stops) + 1);
  if (rnd.chance(0.5)) cut.push(['b', rnd.pick(NUDGES)]);
  return cut;
}

function build(
  ctx: SeedContext,
  script: DialogueScript,
  buyer: Buyer,
  agent: AgentRow,
  at: { last: number; waiting: boolean; ended: boolean },
): ConversationPlan {
  const turns = turnsFor(ctx, script, at.waiting).filter((t) => t[0] !== 'card' || buyer.order);
  const gaps = turns.map((t, i) => (i === 0 ? 0 : gapBefore(ctx, turns[i - 1]?.[0] ?? 'b', t[0])));
  let time = at.last - gaps.reduce((sum, g) => sum + g, 0);
  const conversationId = ctx.ids();
  const start = time;
  const values = valuesFor(ctx, buyer.order, agent);
  const messages = turns.map(([who, text], i): MessageRow => {
    time += gaps[i] ?? 0;
    const card = who === 'card' && buyer.order;
    return {
      id: ctx.ids(),
      conversation_id: conversationId,
      sender: who === 'a' ? 'agent' : 'buyer',
      agent_id: who === 'a' ? agent.id : null,
      kind: card ? 'order_card' : 'text',
      text: card ? `订单号：${buyer.order?.row.order_no}` : fill(text, values),
      order_id: card ? (buyer.order?.row.id ?? null) : null,
      created_at: time,
    };
  });
  return {
    topic: script.topic,
    messages,
    row: {
      id: conversationId,
      customer_id: buyer.customer.id,
      agent_id: turns.some((t) => t[0] === 'a') ? agent.id : null,
      status: at.ended ? 'ended' : 'open',
      last_message_at: start,
      last_message_preview: '',
      unread_count: 0,
      waiting_since: null,
      created_at: start,
      ended_at: at.ended ? at.last + ctx.rnd.int(5, 30) * MINUTE : null,
    },
  };
}

/**
 * Plans the desk's conversations: 30 open ones from the last three days (12 with a buyer still waiting,
 * the longest for a few hours) and 10 ended ones from the last month, each with a different buyer.
 */
export function planConversations(
  ctx: SeedContext,
  customers: CustomerPlan[],
  orders: OrderPlan[],
  agents: DemoAgents,
): ConversationPlan[] {
  const { rnd, now } = ctx;
  const byCustomer = ordersByCustomer(orders);
  const pool = [...customers];
  const waiting = new Set(rnd.sample([...Array(OPEN_CONVERSATIONS).keys()], WAITING_CONVERSATIONS));
  let scripts: DialogueScript[] = [];
  const plans: ConversationPlan[] = [];
  for (let i = 0; i < OPEN_CONVERSATIONS + ENDED_CONVERSATIONS; i++) {
    let script: DialogueScript | undefined;
    let buyer: Buyer | undefined;
    while (!buyer) {
      if (scripts.length === 0) scripts = rnd.sample(DIALOGUES, DIALOGUES.length);
      script = scripts.shift() as DialogueScript;
      buyer = chooseBuyer(ctx, script, pool, byCustomer);
    }
    const ended = i >= OPEN_CONVERSATIONS;
    const isWaiting = waiting.has(i);
    const last = ended
      ? between(ctx, now - 30 * DAY, now - 2 * DAY)
      : isWaiting
        ? i % 6 === 0
          ? between(ctx, now - 5 * HOUR, now - 2 * HOUR)
          : between(ctx, now - 50 * MINUTE, now - MINUTE)
        : rnd.chance(0.5)
          ? between(ctx, now - 3 * HOUR, now - 10 * MINUTE)
          : between(ctx, now - 3 * DAY, now - 3 * HOUR);
    const agent = rnd.chance(0.8) ? agents.desk : (agents.all[1] as AgentRow);
    plans.push(build(ctx, script as DialogueScript, buyer, agent, { last, waiting: isWaiting, ended }));
  }
  return plans;
}

export function writeConversations(ctx: SeedContext, plans: ConversationPlan[]): void {
  const { store } = ctx;
  for (const { row, messages } of plans) {
    store.conversations.insert(row);
    messages.forEach((m, i) => {
      store.messages.insert(m);
      // One change row for the conversation's final state, not one per message.
      store.conversations.applyMessage(row.id, m.sender, m.created_at, m.text, i === messages.length - 1);
    });
  }
}
