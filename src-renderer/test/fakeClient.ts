import { fail, ok, type Result } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import type { AppInfo, ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import type { ConversationSummary, Customer, CustomerGroup, MemoEdit, Message, Order, PickerPhrase, ReplyGroup, Tag } from '../../shared/domain/types';
import type { Client, ConnectionState } from '../ipc/client';

/**
 * An in-memory core for renderer tests: just enough of the contract for the desk, with events,
 * a switchable connection, and hooks to make a call fail.
 */
export class FakeCore {
  conversations: ConversationSummary[] = [];
  messages: Message[] = [];
  customers: Customer[] = [];
  orders: Order[] = [];
  tags: Tag[] = [];
  groups: CustomerGroup[] = [];
  replyGroups: ReplyGroup[] = [];
  phrases: PickerPhrase[] = [];
  memoHistory = new Map<string, MemoEdit[]>();
  agents: AppInfo['agent'][] = [
    { id: 'agent-1', nick: '小美', role: 'agent', state: 'online' },
    { id: 'lead-1', nick: '主管-王姐', role: 'supervisor', state: 'online' },
  ];
  calls: { method: MethodName; args: unknown }[] = [];
  /** Makes the next calls of a method fail with this result (until cleared). */
  failures = new Map<MethodName, Result<never>>();
  private listeners = new Map<EventName, Set<(p: never) => void>>();
  private stateListeners = new Set<(s: ConnectionState) => void>();
  private state: ConnectionState = 'open';

  info: AppInfo = {
    version: 'test',
    shop: { id: 'shop', name: '测试小店' },
    agent: { id: 'agent-1', nick: '小美', role: 'agent', state: 'online' },
    demoBuyers: { enabled: false, intervalMs: 20_000 },
  };

  emit<E extends EventName>(name: E, payload: Events[E]) {
    for (const l of [...(this.listeners.get(name) ?? [])]) (l as (p: Events[E]) => void)(payload);
  }

  setConnection(state: ConnectionState) {
    this.state = state;
    for (const l of [...this.stateListeners]) l(state);
  }

  /** A buyer writes: stored, then the same events the real core sends. */
  buyerWrites(conversationId: string, text: string, at = Date.now()) {
    const message: Message = { id: `m-${this.messages.length + 1}`, conversationId, sender: 'buyer', agentId: null, kind: 'text', text, orderId: null, createdAt: at };
    this.messages.push(message);
    const c = this.conversations.find((x) => x.id === conversationId);
    if (c) {
      c.lastMessagePreview = text;
      c.lastMessageAt = at;
      c.unreadCount += 1;
      c.waitingSince ??= at;
    }
    this.emit('messages.added', { message });
    this.emit('conversations.changed', { conversationIds: [conversationId] });
    return message;
  }

  private handle(method: MethodName, args: Record<string, unknown>): Result<unknown> {
    switch (method) {
      case 'app.info':
        return ok(this.info);
      case 'conversations.list':
        return ok(this.conversations.map((c) => ({ ...c })));
      case 'conversations.markRead': {
        const c = this.conversations.find((x) => x.id === args.conversationId);
        if (c) c.unreadCount = 0;
        return ok(null);
      }
      case 'messages.page': {
        const all = this.messages
          .filter((m) => m.conversationId === args.conversationId)
          .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
        const before = args.before as { createdAt: number; id: string } | undefined;
        const older = before ? all.filter((m) => m.createdAt < before.createdAt || (m.createdAt === before.createdAt && m.id < before.id)) : all;
        const limit = (args.limit as number | undefined) ?? 50;
        return ok({ messages: older.slice(-limit), hasMore: older.length > limit });
      }
      case 'messages.send': {
        const existing = this.messages.find((m) => m.id === args.id);
        if (existing) return ok(existing);
        const message: Message = {
          id: args.id as string,
          conversationId: args.conversationId as string,
          sender: 'agent',
          agentId: this.info.agent.id,
          kind: 'text',
          text: args.text as string,
          orderId: null,
          createdAt: Date.now(),
        };
        this.messages.push(message);
        const c = this.conversations.find((x) => x.id === message.conversationId);
        if (c) {
          c.waitingSince = null;
          c.lastMessagePreview = message.text;
        }
        this.emit('messages.added', { message });
        return ok(message);
      }
      case 'customers.get': {
        const c = this.customers.find((x) => x.id === args.customerId);
        return c ? ok(c) : fail('not_found', 'no such customer');
      }
      case 'orders.listByCustomer':
        return ok(this.orders.filter((o) => o.customerId === args.customerId));
      case 'replies.forPicker':
        return ok({ groups: this.replyGroups.map((g) => ({ ...g })), phrases: this.phrases.map((p) => ({ ...p })) });
      case 'replies.markUsed': {
        const p = this.phrases.find((x) => x.id === args.replyId);
        if (!p) return fail('not_found', 'no phrase');
        p.useCount += 1;
        p.lastUsedAt = Date.now();
        return ok({ ...p });
      }
      case 'replies.save': {
        const code = args.code as string;
        const group = this.replyGroups.find((g) => g.id === args.groupId);
        if (!group) return fail('not_found', 'no group');
        if (code && this.phrases.some((p) => p.id !== args.id && p.scope === group.scope && p.code === code)) {
          return fail('conflict', 'code taken', { problems: [{ field: 'code', rule: 'taken' }] });
        }
        const existing = this.phrases.find((p) => p.id === args.id);
        const saved: PickerPhrase = {
          id: args.id as string, scope: group.scope, groupId: group.id, code, title: args.title as string, content: args.content as string,
          searchKeys: `${code} ${args.title as string} ${args.content as string}`, useCount: existing?.useCount ?? 0, lastUsedAt: existing?.lastUsedAt ?? null,
          sort: existing?.sort ?? this.phrases.filter((p) => p.groupId === group.id).length,
        };
        this.phrases = [...this.phrases.filter((p) => p.id !== saved.id), saved];
        this.emit('replies.changed', {});
        return ok(saved);
      }
      case 'replies.delete':
        this.phrases = this.phrases.filter((p) => p.id !== args.id);
        this.emit('replies.changed', {});
        return ok(null);
      case 'replies.move': {
        const moving = this.phrases.find((p) => p.id === args.id)!;
        const others = this.phrases.filter((p) => p.groupId === args.groupId && p.id !== moving.id).sort((a, b) => a.sort - b.sort);
        others.splice(args.index as number, 0, moving);
        others.forEach((p, i) => Object.assign(p, { sort: i, groupId: args.groupId }));
        this.emit('replies.changed', {});
        return ok(null);
      }
      case 'replyGroups.save': {
        const existing = this.replyGroups.find((g) => g.id === args.id);
        if (existing) existing.name = args.name as string;
        else this.replyGroups.push({ id: args.id as string, scope: args.scope as ReplyGroup['scope'], name: args.name as string, sort: this.replyGroups.length });
        this.emit('replies.changed', {});
        return ok(this.replyGroups.find((g) => g.id === args.id)!);
      }
      case 'replyGroups.delete':
        this.replyGroups = this.replyGroups.filter((g) => g.id !== args.id);
        this.phrases = this.phrases.filter((p) => p.groupId !== args.id);
        this.emit('replies.changed', {});
        return ok(null);
      case 'tags.list':
        return ok(this.tags);
      case 'tags.create': {
        const tag = this.tags.find((x) => x.name === args.name) ?? { id: args.id as string, name: args.name as string, color: args.color as string };
        if (!this.tags.includes(tag)) this.tags.push(tag);
        return ok(tag);
      }
      case 'customers.addTag':
      case 'customers.removeTag': {
        const c = this.customers.find((x) => x.id === args.customerId);
        const tag = this.tags.find((x) => x.id === args.tagId);
        if (!c || !tag) return fail('not_found', 'no such customer or tag');
        c.tags = method === 'customers.addTag' ? [...c.tags.filter((x) => x.id !== tag.id), tag] : c.tags.filter((x) => x.id !== tag.id);
        for (const conv of this.conversations) if (conv.customerId === c.id) conv.customerTags = c.tags;
        this.emit('customers.changed', { customerIds: [c.id] });
        this.emit('conversations.changed', { conversationIds: this.conversations.filter((x) => x.customerId === c.id).map((x) => x.id) });
        return ok({ ...c });
      }
      case 'groups.list':
        return ok(this.groups);
      case 'groups.create': {
        const g = this.groups.find((x) => x.name === args.name) ?? { id: args.id as string, name: args.name as string };
        if (!this.groups.includes(g)) this.groups.push(g);
        return ok(g);
      }
      case 'customers.setGroup': {
        const c = this.customers.find((x) => x.id === args.customerId);
        if (!c) return fail('not_found', 'no such customer');
        c.groupId = args.groupId as string | null;
        for (const conv of this.conversations) if (conv.customerId === c.id) conv.customerGroupId = c.groupId;
        this.emit('conversations.changed', { conversationIds: this.conversations.filter((x) => x.customerId === c.id).map((x) => x.id) });
        return ok({ ...c });
      }
      case 'customers.setRemark': {
        const c = this.customers.find((x) => x.id === args.customerId);
        if (!c) return fail('not_found', 'no such customer');
        c.remark = args.remark as string;
        return ok({ ...c });
      }
      case 'orders.setNotes': {
        const ids = args.orderIds as string[];
        const memo = args.memo as string | undefined;
        if (memo !== undefined && gbkBytes(memo) > 1000) return fail('limit_exceeded', 'memo too long');
        const updated = ids.map((id) => {
          const o = this.orders.find((x) => x.id === id)!;
          if (memo !== undefined && memo !== o.memo) {
            const list = this.memoHistory.get(id) ?? [];
            list.unshift({ id: `h${list.length}`, oldMemo: o.memo, newMemo: memo, at: Date.now(), authorId: 'agent-1', authorNick: '小美' });
            this.memoHistory.set(id, list.slice(0, 10));
          }
          if (args.flag !== undefined) o.flag = args.flag as Order['flag'];
          if (memo !== undefined) o.memo = memo;
          return { ...o };
        });
        this.emit('orders.changed', { orderIds: ids });
        return ok(updated);
      }
      case 'orders.memoHistory':
        return ok(this.memoHistory.get(args.orderId as string) ?? []);
      case 'agents.list':
        return ok(this.agents);
      case 'session.switchAgent': {
        const agent = this.agents.find((a) => a.id === args.agentId);
        if (!agent) return fail('not_found', 'no agent');
        this.info = { ...this.info, agent: { ...agent } };
        return ok(this.info);
      }
      case 'conversations.end':
        this.conversations = this.conversations.filter((x) => x.id !== args.conversationId);
        this.emit('conversations.changed', { conversationIds: [args.conversationId as string] });
        return ok(null);
      case 'agents.setState':
        this.info = { ...this.info, agent: { ...this.info.agent, state: args.state as AppInfo['agent']['state'] } };
        return ok(this.info.agent);
      default:
        return fail('unknown_method', method);
    }
  }

  client(): Client {
    return {
      transport: 'websocket',
      call: <M extends MethodName>(method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>> => {
        this.calls.push({ method, args });
        const failure = this.failures.get(method);
        const result = failure ?? this.handle(method, (args ?? {}) as Record<string, unknown>);
        return Promise.resolve(result as Result<ResultOf<M>>);
      },
      on: (event, listener) => {
        const set = this.listeners.get(event) ?? new Set();
        set.add(listener as (p: never) => void);
        this.listeners.set(event, set);
        return () => set.delete(listener as (p: never) => void);
      },
      connection: () => this.state,
      onConnection: (listener) => {
        this.stateListeners.add(listener);
        return () => this.stateListeners.delete(listener);
      },
      close: () => undefined,
    };
  }
}

/** GBK counts a CJK character as 2 bytes, ASCII as 1 (enough for the fake). */
function gbkBytes(text: string): number {
  let n = 0;
  for (const ch of text) n += (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return n;
}

/** A small shop: three conversations, one of them with hostile-looking buyer text. */
export function smallShop(now = Date.now()): FakeCore {
  const core = new FakeCore();
  const tag = { id: 't1', name: '回头客', color: '#52c41a' };
  const people = [
    { id: 'c1', nick: '橙子不酸', waited: 30_000 },
    { id: 'c2', nick: '芒果布丁', waited: 240_000 },
    { id: 'c3', nick: '半夏微凉', waited: null },
  ];
  for (const p of people) {
    core.customers.push({ id: p.id, nick: p.nick, groupId: null, remark: '', firstSeenAt: now - 86_400_000 * 30, tags: p.id === 'c2' ? [tag] : [] });
    core.conversations.push({
      id: `conv-${p.id}`,
      customerId: p.id,
      customerNick: p.nick,
      customerTags: p.id === 'c2' ? [tag] : [],
      customerGroupId: null,
      agentId: 'agent-1',
      status: 'open',
      lastMessageAt: now - (p.waited ?? 600_000),
      lastMessagePreview: '在吗',
      unreadCount: p.waited ? 1 : 0,
      waitingSince: p.waited ? now - p.waited : null,
    });
    core.messages.push({ id: `first-${p.id}`, conversationId: `conv-${p.id}`, sender: 'buyer', agentId: null, kind: 'text', text: '在吗', orderId: null, createdAt: now - (p.waited ?? 600_000) });
  }
  core.messages.push({
    id: 'hostile',
    conversationId: 'conv-c1',
    sender: 'buyer',
    agentId: null,
    kind: 'text',
    text: '<img src=x onerror="window.__pwned=1">看看这个',
    orderId: null,
    createdAt: now - 20_000,
  });
  core.orders.push({
    id: 'o1', orderNo: '4701789617859361180', customerId: 'c1', status: 'shipped', amountCents: 12900, address: '浙江省杭州市', logisticsCompany: '顺丰速运', trackingNo: null,
    createdAt: now - 86_400_000, paidAt: now - 86_400_000, items: [{ id: 'i1', title: '阔腿牛仔裤', sku: '黑色 XL', priceCents: 12900, quantity: 1 }], flag: 0, memo: '',
  });
  core.tags.push(tag, { id: 't2', name: '爱砍价', color: '#e5484d' });
  core.groups.push({ id: 'g-vip', name: '高价值客户' });
  core.replyGroups.push({ id: 'rg1', scope: 'team', name: '物流', sort: 0 }, { id: 'rg2', scope: 'personal', name: '我的', sort: 0 });
  core.phrases.push(
    { id: 'r1', scope: 'team', groupId: 'rg1', code: 'fh', title: '发货时间', content: '{买家昵称}您好，订单{订单号}今天由{物流公司}发出，单号{物流单号}', searchKeys: 'fh 发货时间 fhsj fahuoshijian', useCount: 0, lastUsedAt: null, sort: 0 },
    { id: 'r2', scope: 'team', groupId: 'rg1', code: 'kd', title: '快递', content: '默认中通快递，需要顺丰请补邮费', searchKeys: 'kd 快递 kd kuaidi', useCount: 0, lastUsedAt: null, sort: 1 },
    { id: 'r3', scope: 'personal', groupId: 'rg2', code: 'hi', title: '问候', content: '亲，我是{客服昵称}，很高兴为您服务', searchKeys: 'hi 问候 wh wenhou', useCount: 0, lastUsedAt: null, sort: 2 },
  );
  core.orders.push({
    id: 'o2', orderNo: '1933503234123785764', customerId: 'c1', status: 'completed', amountCents: 4900, address: '浙江省杭州市', logisticsCompany: '中通快递', trackingNo: '78123456789',
    createdAt: now - 86_400_000 * 20, paidAt: now - 86_400_000 * 20, items: [{ id: 'i2', title: '纯棉T恤', sku: '白色 L', priceCents: 4900, quantity: 1 }], flag: 2, memo: '已补发赠品',
  });
  return core;
}
