import { newId } from '../../shared/domain/ids';
import type { Core } from '../../src-main/core/core';
import { conversationService } from '../../src-main/services/conversations';
import { phraseSearchKeys } from '../../src-main/services/phrases/searchKeys';
import type { OrderRow } from '../../src-main/store/orders';

const DAY = 86_400_000;

/**
 * Writes the renderer tests' small shop (src-renderer/test/testShop.ts says what is in it) into an
 * empty core: people, orders and phrases through the store's queries as the demo seed writes them,
 * messages through the conversation service's ingest (so every conversation's aggregate, waiting
 * time and unread count are the core's own).
 */
export function writeSmallShop(core: Core, now: number): void {
  const { store } = core;
  store.tx(() => {
    store.settings.set('shop', { id: 'shop', name: '测试小店' });
    store.agents.insert({ id: 'agent-1', nick: '小美', role: 'agent', state: 'online', created_at: now - 400 * DAY });
    store.agents.insert({ id: 'lead-1', nick: '主管-王姐', role: 'supervisor', state: 'online', created_at: now - 400 * DAY });
    store.settings.set('currentAgentId', 'agent-1');
    store.customers.insertTag({ id: 't1', name: '回头客', color: '#52c41a', created_at: now - 100 * DAY });
    store.customers.insertTag({ id: 't2', name: '爱砍价', color: '#e5484d', created_at: now - 100 * DAY });
    store.customers.insertGroup({ id: 'g-vip', name: '高价值客户', sort: 0, created_at: now - 100 * DAY });
    for (const [id, nick] of [
      ['c1', '橙子不酸'],
      ['c2', '芒果布丁'],
      ['c3', '半夏微凉'],
    ] as const) {
      store.customers.insert({ id, nick, group_id: null, remark: '', first_seen_at: now - 30 * DAY, updated_at: now - 30 * DAY });
      store.conversations.insert({
        id: `conv-${id}`,
        customer_id: id,
        agent_id: 'agent-1',
        status: 'open',
        last_message_at: now - 30 * DAY,
        last_message_preview: '',
        unread_count: 0,
        waiting_since: null,
        created_at: now - DAY,
        ended_at: null,
      });
    }
    store.customers.addTag('c2', 't1', now - 10 * DAY);
    const order = (row: Omit<OrderRow, 'updated_at'>, item: { id: string; title: string; sku: string }) =>
      store.orders.insert({ ...row, updated_at: row.created_at }, [{ ...item, price_cents: row.amount_cents, quantity: 1 }]);
    order(
      {
        id: 'o1',
        order_no: '4701789617859361180',
        customer_id: 'c1',
        status: 'shipped',
        amount_cents: 12900,
        address: '浙江省杭州市',
        logistics_company: '顺丰速运',
        tracking_no: null,
        created_at: now - DAY,
        paid_at: now - DAY,
      },
      { id: 'i1', title: '阔腿牛仔裤', sku: '黑色 XL' },
    );
    order(
      {
        id: 'o2',
        order_no: '1933503234123785764',
        customer_id: 'c1',
        status: 'completed',
        amount_cents: 4900,
        address: '浙江省杭州市',
        logistics_company: '中通快递',
        tracking_no: '78123456789',
        created_at: now - 20 * DAY,
        paid_at: now - 20 * DAY,
      },
      { id: 'i2', title: '纯棉T恤', sku: '白色 L' },
    );
    store.orders.setNote('o2', { flag: 2, memo: '已补发赠品' }, 'lead-1', now - 19 * DAY, newId());
    store.phrases.insertGroup({ id: 'rg1', scope: 'team', owner: '', name: '物流', sort: 0, created_at: now - 100 * DAY });
    store.phrases.insertGroup({ id: 'rg2', scope: 'personal', owner: 'agent-1', name: '我的', sort: 0, created_at: now - 100 * DAY });
    store.phrases.insertGroup({ id: 'rg-lead', scope: 'personal', owner: 'lead-1', name: '我的', sort: 0, created_at: now - 100 * DAY });
    const phrase = (
      id: string,
      groupId: string,
      scope: 'team' | 'personal',
      sort: number,
      p: { code: string; title: string; content: string },
      owner = 'agent-1',
    ) =>
      store.phrases.insert({
        id,
        scope,
        owner: scope === 'team' ? '' : owner,
        group_id: groupId,
        ...p,
        search_keys: phraseSearchKeys(p),
        use_count: 0,
        last_used_at: null,
        sort,
        created_at: now - 100 * DAY,
        updated_at: now - 100 * DAY,
      });
    phrase('r1', 'rg1', 'team', 0, {
      code: 'fh',
      title: '发货时间',
      content: '{买家昵称}您好，订单{订单号}今天由{物流公司}发出，单号{物流单号}',
    });
    phrase('r2', 'rg1', 'team', 1, { code: 'kd', title: '快递', content: '默认中通快递，需要顺丰请补邮费' });
    phrase('r3', 'rg2', 'personal', 2, { code: 'hi', title: '问候', content: '亲，我是{客服昵称}，很高兴为您服务' });
    phrase('r4', 'rg-lead', 'personal', 0, { code: 'hi', title: '问候', content: '亲，我是主管{客服昵称}' }, 'lead-1');
  });
  const buyer = (id: string, conversationId: string, text: string, createdAt: number) => ({
    id,
    conversationId,
    sender: 'buyer' as const,
    agentId: null,
    text,
    createdAt,
  });
  conversationService(store, () => now).ingest([
    buyer('first-c1', 'conv-c1', '在吗', now - 30_000),
    buyer('hostile', 'conv-c1', '<img src=x onerror="window.__pwned=1">看看这个', now - 20_000),
    buyer('first-c2', 'conv-c2', '在吗', now - 240_000),
    buyer('first-c3', 'conv-c3', '在吗', now - 600_000),
    { id: 'answer-c3', conversationId: 'conv-c3', sender: 'agent', agentId: 'agent-1', text: '在的，您说', createdAt: now - 590_000 },
  ]);
}
