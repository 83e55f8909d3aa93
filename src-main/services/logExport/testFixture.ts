import type { MessageKind, MessageSender } from '../../../shared/domain/types';
import type { Store } from '../../store';

/**
 * A small shop for the export tests, written through the store like the app writes, and kept here
 * as plain data so tests compute what an export must contain without the export's SQL.
 * Times sit on the edges of 2024-06-18 in Asia/Shanghai (UTC+8): 2024-06-18 00:00 there is
 * 2024-06-17T16:00:00Z.
 */
export const SHANGHAI_DAY_START = Date.UTC(2024, 5, 17, 16, 0, 0); // 2024-06-18 00:00:00.000 +08:00
const HOUR = 3_600_000;

export const AGENTS = [
  { id: 'ag-mei', nick: '小美', role: 'agent' as const },
  { id: 'ag-jie', nick: '阿杰', role: 'agent' as const },
  { id: 'ag-wang', nick: '主管-王姐', role: 'supervisor' as const },
  { id: 'ag-boss', nick: '店主', role: 'owner' as const },
];

export const GROUPS = [
  { id: 'g-vip', name: 'VIP' },
  { id: 'g-new', name: '新客' },
];
export const TAGS = [
  { id: 't-haggle', name: '爱砍价' },
  { id: 't-invoice', name: '要发票' },
];

export const CUSTOMERS = [
  { id: 'cu-lu', nick: 'tb_小鹿乱撞', groupId: 'g-vip', tags: ['t-haggle'] },
  { id: 'cu-calc', nick: '=cmd|calc', groupId: 'g-new', tags: ['t-invoice'] },
  { id: 'cu-orange', nick: '橙子,不酸"', groupId: null, tags: ['t-haggle', 't-invoice'] },
];

export const CONVERSATIONS = [
  { id: 'k1', customerId: 'cu-lu', agentId: 'ag-mei' },
  { id: 'k2', customerId: 'cu-calc', agentId: 'ag-jie' },
  { id: 'k3', customerId: 'cu-orange', agentId: null },
  { id: 'k4', customerId: 'cu-lu', agentId: 'ag-jie' },
];

export const ORDER = { id: 'o1', orderNo: '2024061812345678901', customerId: 'cu-lu' };

export type FixtureMessage = {
  id: string;
  conversationId: string;
  sender: MessageSender;
  agentId: string | null;
  kind: MessageKind;
  text: string;
  orderId: string | null;
  createdAt: number;
};

const m = (
  id: string,
  conversationId: string,
  sender: MessageSender,
  text: string,
  createdAt: number,
  extra: Partial<FixtureMessage> = {},
): FixtureMessage => ({
  id,
  conversationId,
  sender,
  agentId: sender === 'agent' ? (CONVERSATIONS.find((c) => c.id === conversationId)?.agentId ?? null) : null,
  kind: 'text',
  text,
  orderId: null,
  createdAt,
  ...extra,
});

const D = SHANGHAI_DAY_START;
export const MESSAGES: FixtureMessage[] = [
  m('m00', 'k1', 'buyer', '昨天的消息', D - 1),
  m('m01', 'k1', 'buyer', '在吗？👋', D),
  m('m02', 'k1', 'agent', '亲，在的～ 有什么可以帮您？', D + 1 * HOUR),
  m('m03', 'k1', 'buyer', '这件𠮷野家同款有M码吗\n第二行\r\n第三行', D + 2 * HOUR),
  m('m04', 'k1', 'agent', '=HYPERLINK("http://evil.example","点我")', D + 3 * HOUR),
  m('m05', 'k1', 'buyer', `订单号：${ORDER.orderNo}`, D + 4 * HOUR, { kind: 'order_card', orderId: ORDER.id }),
  m('m06', 'k2', 'buyer', '+86 138 0000 0000', D + 5 * HOUR),
  m('m07', 'k2', 'agent', '-5元优惠券已发放', D + 6 * HOUR),
  m('m08', 'k2', 'buyer', '@所有人 发货了吗', D + 7 * HOUR),
  m('m09', 'k2', 'buyer', '\t制表符开头', D + 8 * HOUR),
  m('m10', 'k2', 'buyer', '\r回车开头', D + 9 * HOUR),
  m('m11', 'k2', 'system', '会话已由阿杰转接给小美', D + 10 * HOUR),
  m('m12', 'k3', 'buyer', '<img src=x onerror=alert(1)>', D + 11 * HOUR),
  m('m13', 'k3', 'buyer', 'He said "hi", then left, 好吧', D + 12 * HOUR),
  m('m14', 'k3', 'buyer', '我要退款', D + 13 * HOUR),
  m('m15', 'k3', 'system', '会话超时自动结束', D + 24 * HOUR - 1),
  m('m16', 'k4', 'buyer', '明天的消息', D + 24 * HOUR),
];

/** Writes the fixture shop into an empty store. `currentAgent` is the desk's agent (its role gates exports). */
export function writeFixture(store: Store, currentAgent = 'ag-boss'): void {
  const at = D - 30 * 24 * HOUR;
  store.tx(() => {
    store.settings.set('shop', { id: 'shop-1', name: '小桃家<女装>旗舰店' });
    store.settings.set('currentAgentId', currentAgent);
    for (const a of AGENTS) store.agents.insert({ ...a, state: 'online', created_at: at });
    GROUPS.forEach((g, sort) => store.customers.insertGroup({ ...g, sort, created_at: at }));
    for (const t of TAGS) store.customers.insertTag({ ...t, color: '#e5484d', created_at: at });
    for (const c of CUSTOMERS) {
      store.customers.insert({ id: c.id, nick: c.nick, group_id: c.groupId, remark: '', first_seen_at: at, updated_at: at });
      for (const t of c.tags) store.customers.addTag(c.id, t, at);
    }
    store.orders.insert(
      {
        id: ORDER.id,
        order_no: ORDER.orderNo,
        customer_id: ORDER.customerId,
        status: 'shipped',
        amount_cents: 25_900,
        address: '浙江省 杭州市 西湖区 文三路1号',
        logistics_company: '中通快递',
        tracking_no: '78123456789012',
        created_at: at,
        paid_at: at,
        updated_at: at,
      },
      [{ id: 'oi1', title: '休闲西装外套女<春秋>小西服', sku: '颜色:卡其;尺码:S', price_cents: 25_900, quantity: 1 }],
    );
    for (const c of CONVERSATIONS) {
      const first = MESSAGES.find((x) => x.conversationId === c.id)?.createdAt ?? at;
      store.conversations.insert({
        id: c.id,
        customer_id: c.customerId,
        agent_id: c.agentId,
        status: 'ended',
        last_message_at: first,
        last_message_preview: '',
        unread_count: 0,
        waiting_since: null,
        created_at: first,
        ended_at: null,
      });
    }
    for (const x of MESSAGES) {
      store.messages.insert({
        id: x.id,
        conversation_id: x.conversationId,
        sender: x.sender,
        agent_id: x.agentId,
        kind: x.kind,
        text: x.text,
        order_id: x.orderId,
        created_at: x.createdAt,
      });
    }
  });
}

/** What the export should say about a fixture message, computed from the fixture alone. */
export function expectedOf(x: FixtureMessage) {
  const conversation = CONVERSATIONS.find((c) => c.id === x.conversationId);
  const customer = CUSTOMERS.find((c) => c.id === conversation?.customerId);
  const agentId = x.agentId ?? conversation?.agentId ?? null;
  return {
    ...x,
    buyerNick: customer?.nick ?? '',
    customerId: customer?.id ?? '',
    groupId: customer?.groupId ?? null,
    tags: customer?.tags ?? [],
    agentId,
    agent: AGENTS.find((a) => a.id === agentId)?.nick ?? null,
    orderNo: x.orderId === ORDER.id ? ORDER.orderNo : null,
  };
}
