import { describe, expect, it } from 'vitest';
import { openStore } from '../store';
import { addCustomerWithConversation } from '../store/testing';
import { conversationService } from './conversations';

function setup() {
  const store = openStore(':memory:');
  store.agents.insert({ id: 'a1', nick: '小美', role: 'agent', state: 'online', created_at: 0 });
  let clock = 1_700_000_000_000;
  const service = conversationService(store, () => (clock += 1000));
  return { store, service, ...addCustomerWithConversation(store, 'tb_小鹿') };
}

describe('the conversation service', () => {
  it("marks a conversation as waiting from the buyer's first unanswered message until an agent replies", () => {
    const { service, customerId, conversationId } = setup();
    const first = service.receive({ customerId, text: '在吗？' });
    service.receive({ customerId, text: '这件有M码吗' });
    let summary = service.list('open').find((c) => c.id === conversationId);
    expect(summary).toMatchObject({ waitingSince: first.createdAt, unreadCount: 2, lastMessagePreview: '这件有M码吗' });
    service.send({ id: 'm-reply-1', conversationId, text: '亲，有的哦' }, 'a1');
    summary = service.list('open').find((c) => c.id === conversationId);
    expect(summary).toMatchObject({ waitingSince: null, unreadCount: 0, lastMessagePreview: '亲，有的哦' });
  });

  it('stores an agent reply once however often the same id is sent, and records it in the feed once', () => {
    const { store, service, conversationId } = setup();
    const a = service.send({ id: 'm-1', conversationId, text: '亲，已为您备注' }, 'a1');
    const b = service.send({ id: 'm-1', conversationId, text: '亲，已为您备注' }, 'a1');
    expect(b).toEqual(a);
    expect(store.stats.counts().messages).toBe(1);
    expect(store.changes.page(0, 1000).filter((c) => c.entity === 'message' && c.id === 'm-1')).toHaveLength(1);
  });

  it('opens a new conversation when a buyer without one writes', () => {
    const { store, service } = setup();
    store.customers.insert({ id: 'c-new', nick: '快乐的肥猫2019', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
    const message = service.receive({ customerId: 'c-new', text: '什么时候发货呀' });
    const conversation = service.list('open').find((c) => c.id === message.conversationId);
    expect(conversation).toMatchObject({ customerNick: '快乐的肥猫2019', unreadCount: 1 });
  });

  it('pages a long history newest first without loading all of it', () => {
    const { service, customerId, conversationId } = setup();
    for (let i = 0; i < 120; i++) service.receive({ customerId, text: `第${i}条` });
    const newest = service.page(conversationId, 50);
    expect(newest.messages).toHaveLength(50);
    expect(newest.messages.at(-1)?.text).toBe('第119条');
    expect(newest.hasMore).toBe(true);
    const first = newest.messages[0]!;
    const older = service.page(conversationId, 50, { createdAt: first.createdAt, id: first.id });
    expect(older.messages.at(-1)?.text).toBe('第69条');
  });

  it('refuses a reply to a conversation that does not exist', () => {
    const { service } = setup();
    expect(() => service.send({ id: 'm-x', conversationId: 'nope', text: '亲' }, 'a1')).toThrow(/no conversation/);
  });
});

describe('who a conversation belongs to', () => {
  it('gives a new buyer to the agent at the desk while online, leaves them unassigned while busy, and the first reply claims it', () => {
    const { store, service } = setup();
    store.settings.set('currentAgentId', 'a1');
    store.tx(() => {
      store.customers.insert({ id: 'c-new-1', nick: '新买家1', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
      store.customers.insert({ id: 'c-new-2', nick: '新买家2', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
    });
    const first = service.receive({ customerId: 'c-new-1', text: '在吗' });
    expect(store.conversations.get(first.conversationId)!.agentId).toBe('a1');
    store.agents.setState('a1', 'busy', 0);
    const second = service.receive({ customerId: 'c-new-2', text: '在吗' });
    expect(store.conversations.get(second.conversationId)!.agentId).toBeNull();
    service.send({ id: 'm-claim', conversationId: second.conversationId, text: '在的亲' }, 'a1');
    expect(store.conversations.get(second.conversationId)!.agentId).toBe('a1');
  });
});

describe('bulk ingest', () => {
  it('leaves every conversation exactly as storing the same messages one by one would, and stores a repeat once', () => {
    const a = setup();
    const b = setup();
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const senders = ['buyer', 'buyer', 'agent', 'system'] as const;
    const rows = Array.from({ length: 300 }, (_, i) => ({
      id: `bulk-${String(i).padStart(4, '0')}`,
      sender: senders[Math.floor(rnd() * senders.length)]!,
      text: `消息 ${i}`,
      createdAt: 1_800_000_000_000 + i * 1000,
    }));
    for (const r of rows) {
      a.store.tx(() => {
        a.store.messages.insert({
          id: r.id,
          conversation_id: a.conversationId,
          sender: r.sender,
          agent_id: null,
          kind: 'text',
          text: r.text,
          order_id: null,
          created_at: r.createdAt,
        });
        a.store.conversations.applyMessage(a.conversationId, r.sender, r.createdAt, r.text);
      });
    }
    const toIngest = rows.map((r) => ({ ...r, conversationId: b.conversationId, agentId: null }));
    expect(b.service.ingest(toIngest.slice(0, 150))).toBe(150);
    expect(b.service.ingest(toIngest)).toBe(150); // the first half again: no-ops
    const strip = ({ id: _id, customerId: _c, customerNick: _n, ...rest }: ReturnType<typeof a.service.list>[number]) => rest;
    const one = a.service.list('open').find((c) => c.id === a.conversationId)!;
    const bulk = b.service.list('open').find((c) => c.id === b.conversationId)!;
    expect(strip(bulk)).toEqual(strip(one));
    expect(b.store.stats.counts().messages).toBe(300);
  });
});

describe('ended conversations: reopen and the history', () => {
  it('reopens an ended conversation as the caller’s, once, and refuses while the buyer has another open one', () => {
    const { store, service, customerId, conversationId } = setup();
    store.agents.insert({ id: 'a2', nick: '阿杰', role: 'agent', state: 'online', created_at: 0 });
    service.receive({ customerId, text: '在吗' });
    service.end(conversationId);
    expect(service.list('ended').map((c) => c.id)).toEqual([conversationId]);
    service.reopen(conversationId, 'a2');
    service.reopen(conversationId, 'a2');
    expect(service.list('open').find((c) => c.id === conversationId)).toMatchObject({ status: 'open', agentId: 'a2' });
    expect(service.history({ query: null, agentId: null, before: null, limit: 10 }).items).toEqual([]);
    // Ended again, then the buyer writes: a new conversation is open, so the old one cannot be.
    service.end(conversationId);
    const again = service.receive({ customerId, text: '我又来了' });
    expect(again.conversationId).not.toBe(conversationId);
    expect(() => service.reopen(conversationId, 'a1')).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => service.reopen('nope', 'a1')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('pages the history most recent first, by buyer nick (its % and _ literal) and by agent', () => {
    const { store, service } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const nick = i === 3 ? '100%_真' : `买家${i}`;
      store.customers.insert({ id: `h${i}`, nick, group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
      const m = service.receive({ customerId: `h${i}`, text: `问题${i}` });
      if (i % 2 === 0) service.send({ id: `r${i}`, conversationId: m.conversationId, text: '好的' }, 'a1');
      service.end(m.conversationId);
      ids.push(m.conversationId);
    }
    const first = service.history({ query: null, agentId: null, before: null, limit: 3 });
    expect(first.items.map((c) => c.id)).toEqual([ids[6], ids[5], ids[4]]);
    const second = service.history({ query: null, agentId: null, before: first.next, limit: 3 });
    const third = service.history({ query: null, agentId: null, before: second.next, limit: 3 });
    expect([...second.items, ...third.items].map((c) => c.id)).toEqual([ids[3], ids[2], ids[1], ids[0]]);
    expect(third.next).toBeNull();
    expect(service.history({ query: '%_', agentId: null, before: null, limit: 10 }).items.map((c) => c.customerNick)).toEqual(['100%_真']);
    expect(service.history({ query: '_', agentId: null, before: null, limit: 10 }).items).toHaveLength(1);
    const mine = service.history({ query: null, agentId: 'a1', before: null, limit: 10 }).items;
    expect(mine.map((c) => c.id)).toEqual([ids[6], ids[4], ids[2], ids[0]]);
    expect(mine[0]).toMatchObject({ agentNick: '小美', lastMessagePreview: '好的' });
  });
});
