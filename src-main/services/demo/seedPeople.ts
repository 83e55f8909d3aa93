import type { AgentRow } from '../../store/agents';
import {
  AGENTS,
  BUYER_NICKS,
  COMMUNITIES,
  CUSTOMER_GROUPS,
  NICK_PARTS,
  REGIONS,
  STREETS,
  SURNAMES,
  TAGS,
  type CustomerGroupName,
} from './data/shop';
import {
  between,
  DAY,
  HOUR,
  type ConversationPlan,
  type CustomerPlan,
  type DemoAgents,
  type OrderPlan,
  type SeedContext,
} from './seedContext';

export const CUSTOMER_COUNT = 72;

const GIVEN_NAMES = ['婷', '静', '丽', '敏', '雪', '琳', '欣', '悦', '佳', '怡', '娟', '洁'];

/** Tags a conversation's topic earns its buyer (an agent would have set them while chatting). */
const TOPIC_TAGS: Record<string, string> = { 议价: '爱砍价', 尺码: '尺码敏感', 催付: '已催付', 发票: '要发票', 退款: '易退货' };

/** Routing's maximum of open conversations for the demo's accounts. */
export const DEMO_MAX_OPEN = 40;

export function writeAgents(ctx: SeedContext): DemoAgents {
  const all = AGENTS.map((a, i): AgentRow => ({
    id: ctx.ids(),
    nick: a.nick,
    role: a.role,
    state: i === 3 ? 'offline' : 'online',
    created_at: ctx.now - 400 * DAY,
    // The demo desk's agent already holds a couple of dozen open chats: room for the demo buyers still to come.
    max_open: DEMO_MAX_OPEN,
  }));
  for (const row of all) ctx.store.agents.insert(row);
  const desk = all[0] as AgentRow;
  // Memos are written by the two agents and the supervisor, not by the owner.
  return { desk, all, writers: all.slice(0, 3) };
}

/** A receiver's address with the phone masked, as the order page shows it. */
export function address(ctx: SeedContext): string {
  const { rnd } = ctx;
  const name = `${rnd.pick(SURNAMES)}*${rnd.pick(GIVEN_NAMES)}`;
  const phone = `1${rnd.pick(['3', '5', '7', '8'])}${rnd.digits(1)}****${rnd.digits(4)}`;
  const street = `${rnd.pick(STREETS)}${rnd.int(1, 399)}号 ${rnd.pick(COMMUNITIES)}${rnd.int(1, 20)}幢${rnd.int(1, 28)}0${rnd.int(1, 4)}室`;
  return `${name} ${phone} ${rnd.pick(REGIONS)} ${street}`;
}

export function planCustomers(ctx: SeedContext): CustomerPlan[] {
  const { rnd } = ctx;
  const nicks = new Set(BUYER_NICKS);
  while (nicks.size < CUSTOMER_COUNT) {
    const nick = `${rnd.pick(NICK_PARTS.adjectives)}${rnd.pick(NICK_PARTS.nouns)}${rnd.pick(NICK_PARTS.suffixes)}`;
    nicks.add(rnd.chance(0.2) ? `tb_${nick}` : nick);
  }
  return [...nicks].map((nick) => ({
    id: ctx.ids(),
    nick,
    // How many orders this buyer tends to place: a few big spenders, some who only look.
    weight: rnd.pick([0, 1, 1, 1, 2, 2, 2, 3, 3, 6]),
    addresses: rnd.chance(0.25) ? [address(ctx), address(ctx)] : [address(ctx)],
  }));
}

type Activity = { firstAt: number; orders: OrderPlan[]; topics: string[] };

function activityOf(customers: CustomerPlan[], orders: OrderPlan[], conversations: ConversationPlan[], now: number) {
  const map = new Map<string, Activity>(customers.map((c) => [c.id, { firstAt: now, orders: [], topics: [] }]));
  for (const o of orders) {
    const a = map.get(o.row.customer_id) as Activity;
    a.orders.push(o);
    a.firstAt = Math.min(a.firstAt, o.row.created_at);
  }
  for (const c of conversations) {
    const a = map.get(c.row.customer_id) as Activity;
    a.topics.push(c.topic);
    a.firstAt = Math.min(a.firstAt, c.row.created_at);
  }
  return map;
}

/** Blacklisted buyers: a couple of those who returned goods, so the group is never empty. */
const BLACKLISTED = 2;

function groupFor(ctx: SeedContext, a: Activity, blacklisted: number): CustomerGroupName | null {
  const completed = a.orders.filter((o) => o.row.status === 'completed').length;
  const spent = a.orders.reduce((sum, o) => sum + (o.row.paid_at ? o.row.amount_cents : 0), 0);
  if (a.orders.length === 0) return ctx.rnd.chance(0.7) ? '潜在客户' : null;
  if (a.orders.length >= 6 || spent >= 200_000) return 'VIP';
  if (blacklisted < BLACKLISTED && a.orders.some((o) => o.row.status === 'refunding')) return '黑名单';
  if (ctx.rnd.chance(0.12)) return null;
  if (completed >= 2) return '老客';
  return '新客';
}

function tagsFor(ctx: SeedContext, a: Activity, group: CustomerGroupName | null): Set<string> {
  const { rnd } = ctx;
  const tags = new Set<string>();
  const has = (status: string) => a.orders.some((o) => o.row.status === status);
  if (has('pending_payment') && rnd.chance(0.6)) tags.add('已催付');
  if (group === 'VIP') tags.add('大客户');
  if (has('refunding') && rnd.chance(0.5)) tags.add('易退货');
  if (a.orders.filter((o) => o.row.status === 'completed').length >= 2 && rnd.chance(0.6)) tags.add('回头客');
  if (rnd.chance(0.3)) tags.add('爱砍价');
  if (rnd.chance(0.3)) tags.add('尺码敏感');
  if (rnd.chance(0.12)) tags.add('学生党');
  if (rnd.chance(0.08)) tags.add('要发票');
  for (const topic of a.topics) {
    const tag = TOPIC_TAGS[topic];
    if (tag) tags.add(tag);
  }
  return tags;
}

/**
 * Writes groups, tags and customers once orders and conversations are planned, so that a buyer is first
 * seen before her first order or chat, and her group and tags fit what she did.
 */
export function writeCustomers(ctx: SeedContext, customers: CustomerPlan[], orders: OrderPlan[], conversations: ConversationPlan[]): void {
  const { store, rnd, now } = ctx;
  const since = now - 500 * DAY;
  const groupIds = new Map<string, string>();
  CUSTOMER_GROUPS.forEach((name, sort) => {
    groupIds.set(name, store.customers.insertGroup({ id: ctx.ids(), name, sort, created_at: since }).id);
  });
  const tagIds = new Map<string, string>();
  for (const t of TAGS)
    tagIds.set(t.name, store.customers.insertTag({ id: ctx.ids(), name: t.name, color: t.color, created_at: since }).id);

  const activity = activityOf(customers, orders, conversations, now);
  let blacklisted = 0;
  for (const c of customers) {
    const a = activity.get(c.id) as Activity;
    const firstSeen =
      a.orders.length + a.topics.length === 0 ? between(ctx, now - 90 * DAY, now - HOUR) : a.firstAt - rnd.int(1, 20 * 24) * HOUR;
    const group = groupFor(ctx, a, blacklisted);
    if (group === '黑名单') blacklisted++;
    const remark = group === 'VIP' && rnd.chance(0.5) ? '老顾客，喜欢宽松款，优先发顺丰' : '';
    store.customers.insert({
      id: c.id,
      nick: c.nick,
      group_id: group ? (groupIds.get(group) ?? null) : null,
      remark,
      first_seen_at: firstSeen,
      updated_at: firstSeen,
    });
    let at = firstSeen;
    for (const tag of tagsFor(ctx, a, group)) {
      at = between(ctx, at, Math.min(now, at + 3 * DAY));
      store.customers.addTag(c.id, tagIds.get(tag) as string, at);
    }
  }
}
