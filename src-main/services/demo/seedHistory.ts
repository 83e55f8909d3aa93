import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { OrderStatus, Tag } from '../../../shared/domain/types';
import type { Store } from '../../store';
import type { AgentRow } from '../../store/agents';
import type { NewCustomer } from '../../store/customers';
import type { ConversationRow } from '../../store/conversations';
import type { MessageRow } from '../../store/messages';
import type { OrderItemRow, OrderRow } from '../../store/orders';
import { DIALOGUES, NUDGES, type DialogueScript, type Turn } from './data/dialogues';
import { CARRIERS, NICK_PARTS, PRODUCTS, REGIONS, SHOP_NAME, STREETS } from './data/shop';
import { createRandom, fill, type Random } from './random';
import { DAY, HOUR, MINUTE } from './seedContext';
import { address } from './seedPeople';

export type HistorySeedOptions = {
  /** How many messages to add. */
  messages: number;
  /** The newest message is written before this moment. */
  now: number;
  /** Over how many days before `now` the conversations spread (default 365). */
  days?: number;
  /** Same seed, same history (default 20240618). Ids are UUIDv7 and differ between runs. */
  seed?: number;
  /** Messages per transaction (default 50,000). */
  batch?: number;
  onProgress?: (written: number) => void;
};

export type HistorySeedResult = { messages: number; conversations: number; customers: number; orders: number; ms: number };

/** Lines that are not in the scripts: thanks with emoji, and what the system writes into a conversation. */
const BUYER_EXTRAS = ['好的👌', '谢谢亲❤️', '收到啦😊', '好评已给👍', '哈哈哈😂 好的', '麻烦了🙏'];
const AGENT_EXTRAS = ['不客气亲～😊', '祝您生活愉快🌸', '有问题随时找我哦～'];
const SYSTEM_OPENERS = ['买家通过商品页进入咨询：{商品}', '买家通过订单页进入咨询', '买家来自手机淘宝'];
const SYSTEM_CLOSERS = ['会话已结束', '买家已评价：非常满意', '会话超时自动结束'];
/** Shanghai time: the demo shop's clock for choosing business hours. */
const SHOP_OFFSET = 8 * HOUR;

/**
 * UUIDv7 ids as `newId` makes them, with the random bytes drawn from a pool: asking the system for 16
 * bytes per id cost about a tenth of the seeding time. Given its random bytes, uuid's v7 keeps no
 * state, so the millisecond and the counter within it are kept here as `newId`'s own are (a fresh
 * random counter each new millisecond, one more for each id within it): ids sort in the order they
 * are made, and the indexes stay append-mostly.
 */
function pooledIds(): () => string {
  const pool = new Uint8Array(16 * 4096);
  let at = pool.length;
  let msecs = -Infinity;
  let seq = 0;
  return () => {
    if (at === pool.length) {
      randomFillSync(pool);
      at = 0;
    }
    const random = pool.subarray(at, at + 16);
    at += 16;
    const now = Date.now();
    if (now > msecs) {
      msecs = now;
      seq = (((random[6] as number) & 0x7f) << 24) | ((random[7] as number) << 16) | ((random[8] as number) << 8) | (random[9] as number);
    } else {
      seq = (seq + 1) | 0;
      if (seq === 0) msecs++;
    }
    return uuidv7({ random, msecs, seq });
  };
}

type Buyer = { id: string; nick: string; addresses: string[]; orders: number };

/**
 * Writes a long history of ended conversations quickly, for large test and benchmark stores: N
 * realistic Chinese messages over many conversations spread over the past year (business hours,
 * Shanghai time), from the demo dialogues with buyers' own orders as cards, new buyers with groups
 * and tags alongside returning ones, a few system lines and emoji. Needs the demo shop's agents,
 * tags and groups (seed the demo shop first). Writes in batched transactions through the domain
 * queries (orders, conversations and messages through their bulk inserts), so the change feed and the search
 * index are kept as for any other write.
 */
export function seedMessageHistory(store: Store, options: HistorySeedOptions): HistorySeedResult {
  const started = performance.now();
  const rnd = createRandom(options.seed ?? 20240618);
  const days = options.days ?? 365;
  const batch = Math.max(100, options.batch ?? 50_000);
  const newId = pooledIds();
  const total = Math.max(0, Math.floor(options.messages));
  const agents = store.seeding.agents().filter((a) => a.role !== 'owner');
  if (agents.length === 0) throw new Error('the store has no agents: seed the demo shop first');
  const tags = store.seeding.tags();
  const groups = store.seeding.groups();
  const nicks = store.seeding.customerNicks();
  const orderNos = store.seeding.orderNos();
  const buyers: Buyer[] = [];
  const firstDay = Math.floor((options.now + SHOP_OFFSET) / DAY) * DAY - SHOP_OFFSET - days * DAY;
  const result: HistorySeedResult = { messages: 0, conversations: 0, customers: 0, orders: 0, ms: 0 };
  const pendingOrders: { row: OrderRow; items: Omit<OrderItemRow, 'order_id'>[] }[] = [];
  const pendingCustomers: NewCustomer[] = [];

  const newBuyer = (at: number): Buyer => {
    const makeNick = () => {
      const base = `${rnd.pick(NICK_PARTS.adjectives)}${rnd.pick(NICK_PARTS.nouns)}`;
      return rnd.chance(0.25) ? `tb_${base}${rnd.digits(4)}` : `${base}${rnd.int(1, 9999)}`;
    };
    let nick = makeNick();
    while (nicks.has(nick)) nick = makeNick();
    nicks.add(nick);
    const group = groups.length > 0 && rnd.chance(0.6) ? rnd.pick(groups) : undefined;
    const buyer: Buyer = { id: newId(), nick, addresses: [address({ store, rnd, ids: newId, now: at })], orders: 0 };
    pendingCustomers.push({
      row: { id: buyer.id, nick, group_id: group?.id ?? null, remark: '', first_seen_at: at, updated_at: at },
      tags: (rnd.sample(tags, rnd.pick([0, 0, 1, 1, 1, 2, 3])) as Tag[]).map((tag) => ({ tagId: tag.id, at })),
    });
    buyers.push(buyer);
    result.customers++;
    return buyer;
  };

  const newOrder = (buyer: Buyer, status: OrderStatus, at: number): OrderRow => {
    const makeNo = () => `${rnd.int(1, 4)}${rnd.digits(18)}`;
    let orderNo = makeNo();
    while (orderNos.has(orderNo)) orderNo = makeNo();
    orderNos.add(orderNo);
    const product = rnd.pick(PRODUCTS);
    const item: Omit<OrderItemRow, 'order_id'> = {
      id: newId(),
      title: product.title,
      sku: `颜色:${rnd.pick(product.colors)};尺码:${rnd.pick(product.sizes)}`,
      price_cents: product.priceCents,
      quantity: rnd.chance(0.9) ? 1 : 2,
    };
    const carrier = rnd.pick(CARRIERS);
    const shipped = status !== 'pending_payment' && status !== 'to_ship';
    const created = at - rnd.int(1, 72) * HOUR;
    const row: OrderRow = {
      id: newId(),
      order_no: orderNo,
      customer_id: buyer.id,
      status,
      amount_cents: item.price_cents * item.quantity,
      address: buyer.addresses[0] ?? '',
      logistics_company: shipped ? carrier.name : null,
      tracking_no: shipped ? `${carrier.prefix}${rnd.digits(carrier.digits)}` : null,
      created_at: created,
      paid_at: status === 'pending_payment' ? null : created + rnd.int(1, 30) * MINUTE,
      updated_at: at,
    };
    pendingOrders.push({ row, items: [item] });
    buyer.orders++;
    result.orders++;
    return row;
  };

  const conversation = (limit: number, dayStart: number): number => {
    const script = rnd.pick(DIALOGUES);
    let start = dayStart + rnd.int(8 * 60, 23 * 60 + 30) * MINUTE + rnd.int(0, 59_999);
    start = Math.min(start, options.now - 12 * HOUR);
    const returning = buyers.length > 20 && rnd.chance(0.35);
    const buyer = returning ? rnd.pick(buyers) : newBuyer(start - rnd.int(0, (3 * DAY) / MINUTE) * MINUTE);
    const order = script.order ? newOrder(buyer, rnd.pick(script.order), start) : undefined;
    let agent = rnd.pick(agents);
    const values = valuesFor(rnd, order, agent);
    const lines = plan(rnd, script, Boolean(order), agents.length > 1);
    const conversationId = newId();
    const messages: MessageRow[] = [];
    const message = (sender: MessageRow['sender'], agentId: string | null, text: string, at: number): MessageRow => ({
      id: newId(),
      conversation_id: conversationId,
      sender,
      agent_id: agentId,
      kind: 'text',
      text,
      order_id: null,
      created_at: at,
    });
    let time = start;
    let previous: Turn[0] | 'system' = 'b';
    for (const line of lines.slice(0, limit)) {
      if (line.who === 'transfer') {
        const next = rnd.pick(agents.filter((a) => a.id !== agent.id)) ?? agent;
        time += rnd.int(5, 60) * 1000;
        messages.push(message('system', null, `会话已由${agent.nick}转接给${next.nick}`, time));
        agent = next;
        values.客服昵称 = agent.nick;
        previous = 'system';
        continue;
      }
      time += gap(rnd, previous, line.who);
      previous = line.who;
      if (line.who === 'card' && order) {
        messages.push({ ...message('buyer', null, `订单号：${order.order_no}`, time), kind: 'order_card', order_id: order.id });
      } else if (line.who === 'system') {
        messages.push(message('system', null, fill(line.text, values), time));
      } else {
        const sender = line.who === 'a' ? 'agent' : 'buyer';
        messages.push(message(sender, sender === 'agent' ? agent.id : null, fill(line.text, values), time));
      }
    }
    const first = messages[0];
    const last = messages[messages.length - 1];
    if (!first || !last) return 0;
    const row: ConversationRow = {
      id: conversationId,
      customer_id: buyer.id,
      agent_id: agent.id,
      status: 'ended',
      last_message_at: last.created_at,
      last_message_preview: last.text.slice(0, 120),
      unread_count: 0,
      waiting_since: null,
      created_at: first.created_at,
      ended_at: last.created_at + rnd.int(1, 30) * MINUTE,
    };
    pendingConversations.push(row);
    for (const m of messages) pending.push(m);
    result.conversations++;
    return messages.length;
  };

  const pending: MessageRow[] = [];
  const pendingConversations: ConversationRow[] = [];
  store.bulk(() => {
    while (result.messages < total) {
      store.tx(() => {
        const until = Math.min(total, result.messages + batch);
        while (result.messages < until) {
          const day = Math.min(days - 1, Math.floor((result.messages / total) * days));
          result.messages += conversation(until - result.messages, firstDay + day * DAY);
        }
        // New buyers, orders, conversations, then their messages, each kind in one go (change rows written by the database).
        store.customers.insertMany(pendingCustomers);
        store.orders.insertMany(pendingOrders);
        store.conversations.insertMany(pendingConversations);
        store.messages.insertMany(pending);
        pendingCustomers.length = 0;
        pendingOrders.length = 0;
        pendingConversations.length = 0;
        pending.length = 0;
      });
      options.onProgress?.(result.messages);
    }
  });
  result.ms = Math.round(performance.now() - started);
  return result;
}

type Line = { who: Turn[0] | 'system' | 'transfer'; text: string };

/** The conversation's lines: a script (whole, or cut short), now and then a system line, emoji, a transfer. */
function plan(rnd: Random, script: DialogueScript, hasOrder: boolean, canTransfer: boolean): Line[] {
  const turns = script.turns.filter((t) => t[0] !== 'card' || hasOrder);
  const cut = rnd.chance(0.3) ? rnd.int(Math.min(4, turns.length), turns.length) : turns.length;
  const lines: Line[] = turns.slice(0, cut).map(([who, text]) => ({ who, text }));
  if (rnd.chance(0.2)) lines.unshift({ who: 'system', text: rnd.pick(SYSTEM_OPENERS) });
  if (rnd.chance(0.1)) lines.splice(rnd.int(1, Math.max(1, lines.length - 1)), 0, { who: 'b', text: rnd.pick(NUDGES) });
  if (canTransfer && rnd.chance(0.05)) lines.splice(rnd.int(1, lines.length), 0, { who: 'transfer', text: '' });
  if (rnd.chance(0.3)) lines.push({ who: 'b', text: rnd.pick(BUYER_EXTRAS) });
  if (rnd.chance(0.2)) lines.push({ who: 'a', text: rnd.pick(AGENT_EXTRAS) });
  if (rnd.chance(0.5)) lines.push({ who: 'system', text: rnd.pick(SYSTEM_CLOSERS) });
  return lines;
}

function valuesFor(rnd: Random, order: OrderRow | undefined, agent: AgentRow): Record<string, string> {
  const product = rnd.pick(PRODUCTS);
  return {
    商品: product.short,
    颜色: rnd.pick(product.colors),
    尺码: rnd.pick(product.sizes),
    订单号: order?.order_no ?? '',
    物流公司: order?.logistics_company ?? '中通快递',
    物流单号: order?.tracking_no ?? '',
    客服昵称: agent.nick,
    店铺名: SHOP_NAME,
    地址: `${rnd.pick(REGIONS).replace(/ /g, '')}${rnd.pick(STREETS)}${rnd.int(1, 399)}号`,
  };
}

/** Agents answer within seconds to minutes; buyers sometimes come back much later. */
function gap(rnd: Random, previous: Line['who'], next: Line['who']): number {
  if (next === 'system') return rnd.int(1, 30) * 1000;
  if (next === 'a') return rnd.int(10, 180) * 1000;
  if (previous !== 'a') return rnd.int(5, 90) * 1000;
  return rnd.chance(0.1) ? rnd.int(30, 120) * MINUTE : rnd.int(20, 360) * 1000;
}
