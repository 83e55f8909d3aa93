import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../shared/domain/ids';
import type { MessagePage } from '../../shared/contract/methods';
import type { Agent, ConversationSummary } from '../../shared/domain/types';
import type { Change, PullResult } from '../../shared/sync/protocol';
import type { Core } from '../../src-main/core/core';
import { storeDiff } from './compareStores';
import { act, drain, hubAgents, inProcessHub, joinDesk, makeHub, openDesk, type TestDesk } from './team';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c();
});

async function team(desks: number) {
  const hub = makeHub();
  const accounts = new Map<string, string>();
  let hubCore: Core | null = hub.core;
  const end = inProcessHub(() => hubCore, accounts);
  const agents = await hubAgents(end);
  const made: TestDesk[] = [];
  for (let i = 0; i < desks; i++) made.push(joinDesk(end, accounts, `d${i}`, agents[i % agents.length]!));
  cleanup.push(() => {
    for (const d of made) {
      d.core.close();
      fs.rmSync(d.dir, { recursive: true, force: true });
    }
    hubCore?.close();
    fs.rmSync(hub.dir, { recursive: true, force: true });
  });
  return {
    hub: hub.core,
    desks: made,
    agents,
    end,
    accounts,
    setHub: (c: Core | null) => {
      hubCore = c;
    },
  };
}

const openConversations = (core: Core) => core.store.conversations.list('open', core.store.customers.tagsByCustomer());

describe('tier 2: a desk core as a replica of the team hub', () => {
  it('a new desk bootstraps from the hub: the shop is the hub’s, with only the newest page of each open conversation', async () => {
    const hub = makeHub();
    cleanup.push(() => {
      hub.core.close();
      fs.rmSync(hub.dir, { recursive: true, force: true });
    });
    // A long history in one conversation: the desk must not download it.
    const long = openConversations(hub.core)[0]!;
    hub.core.store.tx(() => {
      for (let i = 0; i < 120; i++) {
        hub.core.store.messages.insert({
          id: newId(),
          conversation_id: long.id,
          sender: 'buyer',
          agent_id: null,
          kind: 'text',
          text: `历史 ${i}`,
          order_id: null,
          created_at: 1_600_000_000_000 + i,
        });
      }
    });
    const accounts = new Map<string, string>();
    const end = inProcessHub(() => hub.core, accounts);
    const [agent] = await hubAgents(end);
    const desk = joinDesk(end, accounts, 'new', agent!);
    cleanup.push(() => {
      desk.core.close();
      fs.rmSync(desk.dir, { recursive: true, force: true });
    });
    expect(await drain(hub.core, [desk])).toBeNull();
    expect(storeDiff(hub.core.store, desk.core.store, agent!.id)).toEqual([]);
    const held = desk.core.store.db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck().get(long.id) as number;
    expect(held).toBe(50);
    // Older pages come from the hub when the agent scrolls up.
    const newest = (await desk.core.call('messages.page', { conversationId: long.id, limit: 50 }, 'r')) as { ok: true; value: MessagePage };
    const older = (await desk.core.call(
      'messages.page',
      { conversationId: long.id, limit: 50, before: { createdAt: newest.value.messages[0]!.createdAt, id: newest.value.messages[0]!.id } },
      'r',
    )) as { ok: true; value: MessagePage };
    expect(older.value.messages).toHaveLength(50);
    expect(older.value.messages.every((m) => desk.core.store.messages.get(m.id) === undefined)).toBe(true);
    // The desk acts as the hub's account, and its demo shop never came into being.
    const info = (await desk.core.call('app.info', {}, 'r')) as { ok: true; value: { agent: Agent } };
    expect(info.value.agent.id).toBe(agent!.id);
    expect(await desk.core.call('session.switchAgent', { agentId: agent!.id }, 'r')).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('an action applies on the desk at once, lands on the hub once, and reaches the colleague’s desk', async () => {
    const t = await team(2);
    await drain(t.hub, t.desks);
    const [a, b] = t.desks as [TestDesk, TestDesk];
    const c = openConversations(a.core)[0]!;
    const { mutationId, outcome } = await act(a, 'messages.send', { id: 'm-hello', conversationId: c.id, text: '您好，在的' });
    expect(outcome?.status).toBe('applied');
    // Locally at once, before the hub has it.
    expect(a.core.store.messages.get('m-hello')?.text).toBe('您好，在的');
    expect(await drain(t.hub, t.desks)).toBeNull();
    expect(t.hub.store.db.prepare("SELECT count(*) FROM messages WHERE id = 'm-hello'").pluck().get()).toBe(1);
    expect(t.hub.store.mutations.get(mutationId)?.status).toBe('applied');
    expect(b.core.store.messages.get('m-hello')?.text).toBe('您好，在的');
    // The hub's copy is the message: its time, on every desk.
    expect(a.core.store.messages.get('m-hello')).toEqual(t.hub.store.messages.get('m-hello'));
    for (const d of t.desks) expect(storeDiff(t.hub.store, d.core.store, d.agent.id)).toEqual([]);
  });

  it('offline: actions apply and wait, survive a restart of the app, and go out once when the hub is back; a colleague’s change made meanwhile arrives', async () => {
    const t = await team(2);
    await drain(t.hub, t.desks);
    const [a, b] = t.desks as [TestDesk, TestDesk];
    const c = openConversations(a.core)[0]!;
    a.link.cut();
    await act(a, 'customers.setRemark', { customerId: c.customerId, remark: '离线时写的备注' });
    await act(a, 'messages.send', { id: 'm-offline', conversationId: c.id, text: '离线回复' });
    expect(a.core.teamSync!.status()).toMatchObject({ online: false, pending: 2 });
    // The colleague tags the same buyer meanwhile.
    const tag = a.core.store.customers.tags()[0]!;
    await act(b, 'customers.addTag', { customerId: c.customerId, tagId: tag.id });
    expect(await drain(t.hub, [b])).toBeNull();

    // The app restarts while the hub is still out of reach.
    a.core.close();
    const reopened = openDesk(a);
    a.core = reopened;
    expect(reopened.teamSync!.status()).toMatchObject({ pending: 2 });
    expect(reopened.store.customers.get(c.customerId)?.remark).toBe('离线时写的备注');
    expect(reopened.store.messages.get('m-offline')?.text).toBe('离线回复');

    a.link.mend();
    expect(await drain(t.hub, t.desks)).toBeNull();
    expect(t.hub.store.customers.get(c.customerId)?.remark).toBe('离线时写的备注');
    expect(t.hub.store.db.prepare("SELECT count(*) FROM messages WHERE id = 'm-offline'").pluck().get()).toBe(1);
    expect(reopened.store.customers.get(c.customerId)?.tags.map((x) => x.id)).toContain(tag.id);
    for (const d of t.desks) expect(storeDiff(t.hub.store, d.core.store, d.agent.id)).toEqual([]);
  });

  it('a reply the hub refuses is undone on the desk and reported to its renderer as refused, with what it was', async () => {
    const t = await team(2);
    await drain(t.hub, t.desks);
    const [a, b] = t.desks as [TestDesk, TestDesk];
    const c = openConversations(a.core)[0]!;
    a.link.cut();
    const before = a.core.store.conversations.get(c.id)!;
    const sent = await act(a, 'messages.send', { id: 'm-late', conversationId: c.id, text: '太晚了' });
    expect(a.core.store.messages.get('m-late')).toBeDefined();
    // The colleague ends the conversation first.
    await act(b, 'conversations.end', { conversationId: c.id });
    expect(await drain(t.hub, [b])).toBeNull();
    const cursorBefore = a.core.sync.feedId();
    const localHead = a.core.store.changes.head();
    a.link.mend();
    expect(await drain(t.hub, t.desks)).toBeNull();
    expect(t.hub.store.mutations.get(sent.mutationId)?.status).toBe('rejected');
    expect(a.core.store.messages.get('m-late')).toBeUndefined();
    expect(a.core.store.conversations.get(c.id)).toMatchObject({ status: 'ended', lastMessagePreview: before.lastMessagePreview });
    // The renderer hears of it through the desk's feed: a rejected record of its own mutation, with the reply's text.
    const pulled = (await a.core.call('sync.pull', { cursor: localHead, limit: 1000 }, 'r')) as {
      ok: true;
      value: Extract<PullResult, { kind: 'changes' }>;
    };
    expect(a.core.sync.feedId()).toBe(cursorBefore);
    const record = pulled.value.changes.find((x: Change) => x.entity === 'mutation' && x.id === sent.mutationId);
    expect(record?.row).toMatchObject({
      status: 'rejected',
      clientId: a.clientId,
      name: 'messages.send',
      args: { id: 'm-late', text: '太晚了' },
    });
    expect(a.core.store.mutations.get(sent.mutationId)?.status).toBe('rejected');
    for (const d of t.desks) expect(storeDiff(t.hub.store, d.core.store, d.agent.id)).toEqual([]);
  });

  it('two desks set one remark: the hub’s order decides, and both desks end with it (memo edits keep their history on the hub)', async () => {
    const t = await team(2);
    await drain(t.hub, t.desks);
    const [a, b] = t.desks as [TestDesk, TestDesk];
    const c = openConversations(a.core)[0]!;
    await act(a, 'customers.setRemark', { customerId: c.customerId, remark: '甲' });
    await act(b, 'customers.setRemark', { customerId: c.customerId, remark: '乙' });
    // a pushes first, then b: b's write is the later one on the hub.
    await a.core.teamSync!.idle();
    await b.core.teamSync!.idle();
    expect(await drain(t.hub, t.desks)).toBeNull();
    expect(t.hub.store.customers.get(c.customerId)?.remark).toBe('乙');
    expect(a.core.store.customers.get(c.customerId)?.remark).toBe('乙');
    const orderId = t.hub.store.db.prepare('SELECT id FROM orders ORDER BY id LIMIT 1').pluck().get() as string;
    await act(a, 'orders.setNotes', { orderIds: [orderId], memo: '甲的备注' });
    await act(b, 'orders.setNotes', { orderIds: [orderId], memo: '乙的备注' });
    expect(await drain(t.hub, t.desks)).toBeNull();
    // Last writer on the hub wins the memo; the other's text is kept in the history there.
    const memo = t.hub.store.orders.get(orderId)!.memo;
    expect(a.core.store.orders.get(orderId)!.memo).toBe(memo);
    const history = (await a.core.call('orders.memoHistory', { orderId }, 'r')) as { ok: true; value: { newMemo: string }[] };
    expect(
      history.value
        .map((h) => h.newMemo)
        .slice(0, 2)
        .sort(),
    ).toEqual(['乙的备注', '甲的备注']);
    for (const d of t.desks) expect(storeDiff(t.hub.store, d.core.store, d.agent.id)).toEqual([]);
  });

  it('A transfers a conversation to B with a note: B’s desk (and its renderer) gets it with the whole history and the note; a stale transfer is refused by the hub and undone on A', async () => {
    const t = await team(3);
    await drain(t.hub, t.desks);
    const [a, b, lead] = t.desks as [TestDesk, TestDesk, TestDesk];
    expect(lead.agent.role).toBe('supervisor');
    const owned = openConversations(t.hub).filter((c) => c.agentId === a.agent.id);
    const [c, c2] = owned as [ConversationSummary, ConversationSummary];
    const history = t.hub.store.messages.page(c.id, 50).messages.map((m) => m.id);
    expect(history.length).toBeGreaterThan(0);
    const bHead = b.core.store.changes.head();

    const note = '买家要换尺码，订单已核对';
    const sent = await act(a, 'conversations.transfer', {
      id: 'line-1',
      conversationId: c.id,
      toAgentId: b.agent.id,
      expectedAgentId: a.agent.id,
      note,
    });
    expect(sent.outcome?.status).toBe('applied');
    // On A's desk at once, before the hub has it.
    expect(a.core.store.conversations.get(c.id)?.agentId).toBe(b.agent.id);
    expect(await drain(t.hub, t.desks)).toBeNull();
    expect(t.hub.store.mutations.get(sent.mutationId)?.status).toBe('applied');
    expect(t.hub.store.conversations.get(c.id)?.agentId).toBe(b.agent.id);
    const line = '会话已由小美转接给阿杰。备注：买家要换尺码，订单已核对';
    expect(t.hub.store.messages.get('line-1')).toMatchObject({ sender: 'system', text: line });
    // B's desk: the conversation is B's, with its history and the note at the end.
    expect(b.core.store.conversations.get(c.id)).toMatchObject({ agentId: b.agent.id, lastMessagePreview: line });
    const page = (await b.core.call('messages.page', { conversationId: c.id, limit: 50 }, 'renderer-d1')) as {
      ok: true;
      value: MessagePage;
    };
    expect(page.value.messages.map((m) => m.id)).toEqual([...history.slice(-49), 'line-1']);
    expect(page.value.messages.at(-1)).toMatchObject({ sender: 'system', text: line });
    // …and B's renderer hears of both through B's own feed.
    const pulled = (await b.core.call('sync.pull', { cursor: bHead, limit: 1000 }, 'renderer-d1')) as {
      ok: true;
      value: Extract<PullResult, { kind: 'changes' }>;
    };
    const about = pulled.value.changes.filter((x) => x.id === c.id || x.id === 'line-1');
    expect(about.map((x) => x.entity)).toEqual(expect.arrayContaining(['conversation', 'message']));
    expect(about.filter((x) => x.entity === 'conversation').at(-1)?.row).toMatchObject({ agentId: b.agent.id });

    // A is offline and hands c2 on, while the supervisor has already put it back in the queue: the hub refuses A's.
    a.link.cut();
    const stale = await act(a, 'conversations.transfer', {
      id: 'line-2',
      conversationId: c2.id,
      toAgentId: b.agent.id,
      expectedAgentId: a.agent.id,
      note: '',
    });
    expect(stale.outcome?.status).toBe('applied');
    expect(a.core.store.conversations.get(c2.id)?.agentId).toBe(b.agent.id);
    const reassigned = await act(lead, 'conversations.transfer', {
      id: 'line-3',
      conversationId: c2.id,
      toAgentId: null,
      expectedAgentId: a.agent.id,
      note: '',
    });
    expect(reassigned.outcome?.status).toBe('applied');
    expect(await drain(t.hub, [b, lead])).toBeNull();
    a.link.mend();
    expect(await drain(t.hub, t.desks)).toBeNull();
    expect(t.hub.store.mutations.get(stale.mutationId)).toMatchObject({ status: 'rejected', error: { code: 'conflict' } });
    expect(a.core.store.conversations.get(c2.id)?.agentId).toBeNull();
    expect(a.core.store.messages.get('line-2')).toBeUndefined();
    expect(a.core.store.messages.get('line-3')?.text).toBe('主管-王姐将小美的会话转回队列');
    for (const d of t.desks) expect(storeDiff(t.hub.store, d.core.store, d.agent.id)).toEqual([]);
  });

  it('the roster reaches every desk through the hub’s feed: who is at a connected desk, and a maximum a supervisor set', async () => {
    const t = await team(2);
    const [a, b] = t.desks as [TestDesk, TestDesk];
    // The hub marks both desks' agents present once it settles; each desk holds the hub's roster.
    await expect
      .poll(async () => {
        await drain(t.hub, t.desks);
        return [a.agent.id, b.agent.id].map((id) => b.core.store.agents.get(id)?.present);
      })
      .toEqual([true, true]);
    const lead = t.agents.find((x) => x.role === 'supervisor')!;
    const r = await t.end.call('routing.setMaxOpen', { agentIds: [a.agent.id], maxOpen: 3 }, 'lead-at-the-hub');
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    t.hub.signIn('lead-at-the-hub', lead.id);
    expect(await t.hub.call('routing.setMaxOpen', { agentIds: [a.agent.id], maxOpen: 3 }, 'lead-at-the-hub')).toMatchObject({ ok: true });
    expect(await drain(t.hub, t.desks)).toBeNull();
    expect(b.core.store.agents.get(a.agent.id)?.maxOpen).toBe(3);
    for (const d of t.desks) expect(storeDiff(t.hub.store, d.core.store, d.agent.id)).toEqual([]);
  });

  it('a cursor older than the hub keeps rebuilds the desk from the snapshot, keeping its pending actions', async () => {
    const t = await team(1);
    await drain(t.hub, t.desks);
    const [a] = t.desks as [TestDesk];
    const c = openConversations(a.core)[0]!;
    a.link.cut();
    await act(a, 'customers.setRemark', { customerId: c.customerId, remark: '重建前' });
    // The hub moves on and forgets the part of its feed the desk has not seen.
    t.hub.store.tx(() => t.hub.store.customers.setRemark(openConversations(t.hub)[1]!.customerId, '别人改的', Date.now()));
    t.hub.store.tx(() => t.hub.store.changes.prune(t.hub.store.changes.head()));
    const feedBefore = a.core.sync.feedId();
    a.link.mend();
    expect(await drain(t.hub, t.desks)).toBeNull();
    expect(t.hub.store.customers.get(c.customerId)?.remark).toBe('重建前');
    expect(storeDiff(t.hub.store, a.core.store, a.agent.id)).toEqual([]);
    // The renderer's replica is told to rebuild too.
    expect(a.core.sync.feedId()).not.toBe(feedBefore);
    expect(a.cursors.every((x, i) => i === 0 || x >= a.cursors[i - 1]!)).toBe(true);
  });

  it('a desk without team settings stays standalone: nothing is queued for a hub', async () => {
    const hub = makeHub();
    cleanup.push(() => {
      hub.core.close();
      fs.rmSync(hub.dir, { recursive: true, force: true });
    });
    expect(hub.core.teamSync).toBeNull();
    const c: ConversationSummary = openConversations(hub.core)[0]!;
    const r = await hub.core.call(
      'sync.push',
      {
        clientId: newId(),
        mutations: [{ mutationId: newId(), name: 'customers.setRemark', args: { customerId: c.customerId, remark: 'x' } }],
      },
      'r',
    );
    expect(r).toMatchObject({ ok: true, value: { results: [{ status: 'applied' }] } });
    expect(hub.core.store.hubOutbox.count()).toBe(0);
  });
});
