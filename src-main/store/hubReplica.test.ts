import { describe, expect, it } from 'vitest';
import { openStore } from './index';
import { addCustomerWithConversation } from './testing';

const owner = 'agent-1';
const at = 1_700_000_000_000;

function store() {
  return openStore(':memory:');
}

describe('hub appliers: a hub row into the desk’s tables, with the desk’s own feed row', () => {
  it('writes each entity in its domain shape and reads it back the same', () => {
    const s = store();
    s.tx(() => {
      s.hub.apply('tag', 't1', 'upsert', { id: 't1', name: '老客', color: '#30a46c' }, at, { owner });
      s.hub.apply('customer_group', 'g1', 'upsert', { id: 'g1', name: 'VIP' }, at, { owner });
      s.hub.apply(
        'customer',
        'c1',
        'upsert',
        { id: 'c1', nick: '买家一', groupId: 'g1', remark: '爱砍价', firstSeenAt: at, tags: [] },
        at,
        { owner },
      );
      s.hub.apply('customer_tag', 'c1:t1', 'upsert', { customerId: 'c1', tagId: 't1' }, at + 5, { owner });
      s.hub.apply(
        'conversation',
        'v1',
        'upsert',
        {
          id: 'v1',
          customerId: 'c1',
          agentId: 'a-hub',
          status: 'open',
          lastMessageAt: at,
          lastMessagePreview: '在吗',
          unreadCount: 1,
          waitingSince: at,
        },
        at,
        { owner },
      );
      s.hub.apply(
        'message',
        'm1',
        'upsert',
        { id: 'm1', conversationId: 'v1', sender: 'buyer', agentId: null, kind: 'text', text: '在吗', orderId: null, createdAt: at },
        at,
        { owner },
      );
      s.hub.apply(
        'order',
        'o1',
        'upsert',
        {
          id: 'o1',
          orderNo: 'N1',
          customerId: 'c1',
          status: 'to_ship',
          amountCents: 990,
          address: '上海',
          logisticsCompany: null,
          trackingNo: null,
          createdAt: at,
          paidAt: at,
          flashSale: true,
          items: [{ id: 'i1', title: 'T恤', sku: 'M', priceCents: 990, quantity: 1 }],
          flag: 2,
          memo: '加急',
        },
        at,
        { owner },
      );
      s.hub.apply('phrase_group', 'rg1', 'upsert', { id: 'rg1', scope: 'personal', name: '我的', sort: 0 }, at, { owner });
      s.hub.apply(
        'phrase',
        'r1',
        'upsert',
        {
          id: 'r1',
          scope: 'personal',
          groupId: 'rg1',
          code: 'hi',
          title: '',
          content: '您好',
          useCount: 3,
          searchKeys: 'hi',
          lastUsedAt: null,
          sort: 0,
          image: { hash: 'a'.repeat(64), mime: 'image/png', width: 1, height: 1, bytes: 69 },
        },
        at,
        { owner },
      );
    });
    expect(s.hub.read('customer', 'c1')).toEqual({ id: 'c1', nick: '买家一', groupId: 'g1', remark: '爱砍价', firstSeenAt: at });
    expect(s.hub.read('customer_tag', 'c1:t1')).toEqual({ customerId: 'c1', tagId: 't1', at: at + 5 });
    expect(s.hub.read('order', 'o1')).toMatchObject({ flag: 2, memo: '加急', flashSale: true, items: [{ id: 'i1' }] });
    expect(s.customers.get('c1')?.tags.map((t) => t.name)).toEqual(['老客']);
    // The agent the hub named exists here (a placeholder until the hub's list comes).
    expect(s.agents.get('a-hub')).toBeDefined();
    // Personal phrases are the hub account's own on this desk.
    expect(s.phrases.forPicker(owner).phrases.map((p) => p.id)).toEqual(['r1']);
    // A phrase's picture rides along (its description: the file stays the hub's), to the picker and the feed.
    expect(s.phrases.forPicker(owner).phrases[0]!.image).toEqual({
      hash: 'a'.repeat(64),
      mime: 'image/png',
      width: 1,
      height: 1,
      bytes: 69,
    });
    expect(s.changes.page(0, 100).find((c) => c.entity === 'phrase')?.row).toMatchObject({ image: { hash: 'a'.repeat(64) } });
    // Every write is in the desk's feed for the renderer, in order.
    expect(s.changes.page(0, 100).map((c) => c.entity)).toEqual([
      'tag',
      'customer_group',
      'customer',
      'customer_tag',
      'conversation',
      'message',
      'order',
      'phrase_group',
      'phrase',
    ]);
  });

  it('skips a row whose referent it does not hold, and writes nothing for it', () => {
    const s = store();
    const head = s.changes.head();
    const r = s.tx(() =>
      s.hub.apply(
        'message',
        'm9',
        'upsert',
        { id: 'm9', conversationId: 'nowhere', sender: 'buyer', agentId: null, kind: 'text', text: 'x', orderId: null, createdAt: at },
        at,
        { owner },
      ),
    );
    expect(r).toBe('skipped');
    expect(s.messages.get('m9')).toBeUndefined();
    expect(s.changes.head()).toBe(head);
  });

  it('the hub’s copy of a message replaces the desk’s (its time), and a name the hub gives another tag gives way', () => {
    const s = store();
    const { conversationId } = addCustomerWithConversation(s, '买家');
    s.tx(() =>
      s.messages.insert({
        id: 'm1',
        conversation_id: conversationId,
        sender: 'agent',
        agent_id: null,
        kind: 'text',
        text: '你好',
        order_id: null,
        created_at: at,
      }),
    );
    s.tx(() =>
      s.hub.apply(
        'message',
        'm1',
        'upsert',
        { id: 'm1', conversationId, sender: 'agent', agentId: null, kind: 'text', text: '你好', orderId: null, createdAt: at + 7 },
        at,
        { owner },
      ),
    );
    expect(s.messages.get('m1')?.createdAt).toBe(at + 7);
    // The search index follows the swap (FTS5's own check fails on a stale entry).
    expect(() => s.db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    s.tx(() => s.customers.insertTag({ id: 'local', name: '重复', color: '#000000', created_at: at }));
    s.tx(() => s.hub.apply('tag', 'hub', 'upsert', { id: 'hub', name: '重复', color: '#ffffff' }, at, { owner }));
    expect(s.customers.tagByName('重复')?.id).toBe('hub');
  });

  it('deletes what the hub does not have (a restored shadow), with a delete in the feed', () => {
    const s = store();
    const { customerId } = addCustomerWithConversation(s, '买家');
    s.tx(() => s.customers.insertTag({ id: 't', name: '标', color: '#000000', created_at: at }));
    s.tx(() => s.customers.addTag(customerId, 't', at));
    const head = s.changes.head();
    s.tx(() => s.hub.apply('customer_tag', `${customerId}:t`, 'delete', null, at, { owner }));
    expect(s.customers.get(customerId)?.tags).toEqual([]);
    expect(s.changes.page(head, 10)).toMatchObject([{ entity: 'customer_tag', op: 'delete', row: { customerId, tagId: 't' } }]);
  });
});
