import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { newId } from '../../shared/domain/ids';
import type { Change, PushResult } from '../../shared/sync/protocol';
import { Core } from '../core/core';

const dirs: string[] = [];
const cores: Core[] = [];

afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open(dir: string, options: Partial<ConstructorParameters<typeof Core>[0]> = {}) {
  const core = new Core({ dataDir: dir, demoBuyers: { enabled: false }, presenceDebounceMs: 5, log: () => undefined, ...options });
  cores.push(core);
  return core;
}

/** The demo shop (小美, 阿杰, 主管-王姐, 店主), with helpers to sit agents at desks and let buyers write. */
function demoShop(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-routing-'))) {
  if (!dirs.includes(dir)) dirs.push(dir);
  const core = open(dir);
  const id = (nick: string) => core.store.agents.list().find((a) => a.nick === nick)!.id;
  async function call<M extends MethodName>(connection: string, method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>> {
    return (await core.call(method, args, connection)) as Result<ResultOf<M>>;
  }
  async function ok<M extends MethodName>(connection: string, method: M, args: ArgsIn<M>): Promise<ResultOf<M>> {
    const r = await call(connection, method, args);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  }
  /** Signs a desk (a connection) in as the agent. */
  const sit = (connection: string, nick: string) => ok(connection, 'session.switchAgent', { agentId: id(nick) });
  let buyers = 0;
  /** A new buyer writes: a new conversation, routed. Returns its owner's nick (null: the queue). */
  function newBuyer(): { conversationId: string; owner: string | null } {
    buyers += 1;
    const customerId = `buyer-${buyers}-${newId()}`;
    core.store.tx(() =>
      core.store.customers.insert({
        id: customerId,
        nick: `新买家${customerId}`,
        group_id: null,
        remark: '',
        first_seen_at: 0,
        updated_at: 0,
      }),
    );
    const m = core.conversations.receive({ customerId, text: '在吗' });
    const agentId = core.store.conversations.get(m.conversationId)!.agentId;
    return { conversationId: m.conversationId, owner: agentId === null ? null : core.store.agents.get(agentId)!.nick };
  }
  const conversation = (conversationId: string) => core.store.conversations.get(conversationId)!;
  return { core, dir, id, call, ok, sit, newBuyer, conversation };
}

describe('routing new buyers', () => {
  it('gives them in turn to the agents 在线 at a connected desk, never to one 挂起 or gone, and queues them when nobody can take one', async () => {
    const shop = demoShop();
    await shop.sit('d1', '小美');
    await shop.sit('d2', '阿杰');
    expect([1, 2, 3, 4].map(() => shop.newBuyer().owner)).toEqual(['小美', '阿杰', '小美', '阿杰']);
    await shop.ok('d2', 'agents.setState', { state: 'busy' });
    expect([1, 2].map(() => shop.newBuyer().owner)).toEqual(['小美', '小美']);
    // 小美's last desk goes: she counts as 离线 for routing at once, whatever her state says.
    shop.core.disconnect('d1');
    const queued = shop.newBuyer();
    expect(queued.owner).toBeNull();
    expect(shop.conversation(queued.conversationId)).toMatchObject({ status: 'open', agentId: null });
    // The supervisor and the owner were never at a desk: nobody routed anything to them.
    const led = (nick: string) => shop.core.store.agents.openCountOf(shop.id(nick));
    expect([led('主管-王姐'), led('店主')]).toEqual([0, 0]);
  });

  it('stops at each agent’s maximum of open conversations, which a supervisor sets and an agent may not', async () => {
    const shop = demoShop();
    await shop.sit('d1', '小美');
    await shop.sit('lead', '主管-王姐');
    await shop.ok('lead', 'agents.setState', { state: 'busy' });
    const open = shop.core.store.agents.openCountOf(shop.id('小美'));
    expect(await shop.call('d1', 'routing.setMaxOpen', { agentIds: [shop.id('小美')], maxOpen: 100 })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    const head = shop.core.store.changes.head();
    const roster = await shop.ok('lead', 'routing.setMaxOpen', { agentIds: [shop.id('小美')], maxOpen: open + 1 });
    expect(roster.find((a) => a.nick === '小美')?.maxOpen).toBe(open + 1);
    // Every desk hears of it: the agent's row in the feed.
    const pulled = (await shop.ok('d1', 'sync.pull', { cursor: head, limit: 100 })) as { changes: Change[] };
    expect(pulled.changes.filter((c) => c.entity === 'agent').map((c) => c.row)).toEqual([
      expect.objectContaining({ nick: '小美', maxOpen: open + 1 }),
    ]);
    expect([1, 2].map(() => shop.newBuyer().owner)).toEqual(['小美', null]);
    expect(await shop.call('lead', 'routing.setMaxOpen', { agentIds: ['nobody'], maxOpen: 5 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await shop.call('lead', 'routing.setMaxOpen', { agentIds: [shop.id('小美')], maxOpen: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
  });

  it('goes on where the round robin stood after a restart', async () => {
    const first = demoShop();
    await first.sit('d1', '小美');
    await first.sit('d2', '阿杰');
    expect(first.newBuyer().owner).toBe('小美');
    first.core.close();
    cores.splice(cores.indexOf(first.core), 1);
    const again = demoShop(first.dir);
    await again.sit('d1', '小美');
    await again.sit('d2', '阿杰');
    expect(again.newBuyer().owner).toBe('阿杰');
  });

  it('reads the roster once for the new buyers of one transaction, and still never passes a change made within it', async () => {
    const shop = demoShop();
    await shop.sit('d1', '小美');
    await shop.sit('d2', '阿杰');
    const store = shop.core.store;
    const [mei, jie] = [shop.id('小美'), shop.id('阿杰')];
    const openOf = (id: string) => store.agents.openCountOf(id);
    // The supervisor sets the maximums from a desk, 挂起 (no buyers for her): two more each.
    await shop.sit('lead', '主管-王姐');
    await shop.ok('lead', 'agents.setState', { state: 'busy' });
    await shop.ok('lead', 'routing.setMaxOpen', { agentIds: [mei], maxOpen: openOf(mei) + 2 });
    await shop.ok('lead', 'routing.setMaxOpen', { agentIds: [jie], maxOpen: openOf(jie) + 2 });
    let rosterReads = 0;
    const roster = store.agents.routingRoster.bind(store.agents);
    store.agents.routingRoster = () => {
      rosterReads += 1;
      return roster();
    };
    // Five buyers in one commit (a group commit's): in turn, each agent to their maximum, then the queue.
    const owners = store.tx(() => [1, 2, 3, 4, 5].map(() => shop.newBuyer().owner));
    expect(owners).toEqual(['小美', '阿杰', '小美', '阿杰', null]);
    expect(rosterReads).toBe(1);
    // The next transaction reads it again.
    expect(shop.newBuyer().owner).toBeNull();
    expect(rosterReads).toBe(2);

    // Within one transaction: 阿杰 goes 挂起 after the roster was read, and 小美 is given a conversation
    // by hand (转接) that fills her; each is seen at the next buyer. Her maximum raised by one within
    // it is seen from the next transaction on (a kept entry may pass someone over, never overfill).
    await shop.ok('lead', 'routing.setMaxOpen', { agentIds: [mei], maxOpen: openOf(mei) + 2 });
    await shop.ok('lead', 'routing.setMaxOpen', { agentIds: [jie], maxOpen: openOf(jie) + 2 });
    const queued = store.conversations.list('open', new Map()).find((c) => c.agentId === null)!;
    const seen = store.tx(() => {
      const first = shop.newBuyer().owner; // 小美 or 阿杰, whoever is next in turn
      store.agents.setState(jie, 'busy', Date.now());
      const second = shop.newBuyer().owner; // not 阿杰 any more
      store.conversations.assign(queued.id, mei, Date.now());
      const third = shop.newBuyer().owner; // 小美 is full now: the queue
      store.agents.setMaxOpen([mei], openOf(mei) + 1, Date.now());
      const fourth = shop.newBuyer().owner; // kept as full until this transaction ends
      return [first, second, third, fourth];
    });
    expect(seen.slice(1)).toEqual(['小美', null, null]);
    expect(store.tx(() => [shop.newBuyer().owner, shop.newBuyer().owner])).toEqual(['小美', null]);
    expect(openOf(mei)).toBe(store.agents.get(mei)!.maxOpen);
  });

  it('gives a standalone desk’s buyers to the agent who last sat here while no window is open, as before', async () => {
    const shop = demoShop();
    await shop.sit('d1', '阿杰');
    shop.core.disconnect('d1');
    expect(shop.newBuyer().owner).toBe('阿杰');
  });
});

describe('接入 and 转接 through the contract', () => {
  it('lets any agent take a conversation from the queue, once: a second taker meets a conflict', async () => {
    const shop = demoShop();
    await shop.sit('d1', '小美');
    await shop.ok('d1', 'agents.setState', { state: 'busy' });
    const { conversationId, owner } = shop.newBuyer();
    expect(owner).toBeNull();
    await shop.sit('d2', '阿杰');
    expect(await shop.ok('d2', 'conversations.take', { conversationId })).toBeNull();
    expect(shop.conversation(conversationId).agentId).toBe(shop.id('阿杰'));
    // Taking one's own again changes nothing; another agent cannot take it from them.
    expect(await shop.ok('d2', 'conversations.take', { conversationId })).toBeNull();
    expect(await shop.call('d1', 'conversations.take', { conversationId })).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { agentId: shop.id('阿杰') } },
    });
    expect(await shop.call('d1', 'conversations.take', { conversationId: 'no-such-conversation' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await shop.ok('d2', 'conversations.end', { conversationId });
    expect(await shop.call('d1', 'conversations.take', { conversationId })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('transfers with a note that stays in the history as a system line; the owner may, another agent may not, a supervisor may reassign any', async () => {
    const shop = demoShop();
    await shop.sit('d1', '小美');
    const { conversationId } = shop.newBuyer();
    const xiaomei = shop.id('小美');
    const ajie = shop.id('阿杰');
    await shop.sit('d2', '阿杰');
    // Not 阿杰's to give away.
    expect(
      await shop.call('d2', 'conversations.transfer', { id: newId(), conversationId, toAgentId: ajie, expectedAgentId: xiaomei, note: '' }),
    ).toMatchObject({ ok: false, error: { code: 'unauthorized' } });

    const lineId = newId();
    await shop.ok('d1', 'conversations.transfer', {
      id: lineId,
      conversationId,
      toAgentId: ajie,
      expectedAgentId: xiaomei,
      note: '要换尺码，订单已核对',
    });
    expect(shop.conversation(conversationId)).toMatchObject({
      agentId: ajie,
      lastMessagePreview: '会话已由小美转接给阿杰。备注：要换尺码，订单已核对',
    });
    const page = await shop.ok('d2', 'messages.page', { conversationId });
    expect(page.messages.map((m) => [m.sender, m.text])).toEqual([
      ['buyer', '在吗'],
      ['system', '会话已由小美转接给阿杰。备注：要换尺码，订单已核对'],
    ]);
    // The buyer is still waiting: a system line is no answer.
    expect(shop.conversation(conversationId).waitingSince).not.toBeNull();
    // The same transfer again (a retry) is done already: one line.
    await shop.ok('d1', 'conversations.transfer', {
      id: lineId,
      conversationId,
      toAgentId: ajie,
      expectedAgentId: xiaomei,
      note: '要换尺码，订单已核对',
    });
    expect((await shop.ok('d2', 'messages.page', { conversationId })).messages).toHaveLength(2);

    // The supervisor's screen still showed 小美 as the owner, but it is 阿杰's now: stale, refused, nothing written.
    await shop.sit('lead', '主管-王姐');
    const messages = shop.core.store.db.prepare('SELECT count(*) FROM messages').pluck();
    const before = messages.get();
    expect(
      await shop.call('lead', 'conversations.transfer', {
        id: newId(),
        conversationId,
        toAgentId: null,
        expectedAgentId: xiaomei,
        note: '',
      }),
    ).toMatchObject({ ok: false, error: { code: 'conflict', details: { agentId: ajie } } });
    expect(messages.get()).toBe(before);
    expect(shop.conversation(conversationId).agentId).toBe(ajie);

    await shop.ok('lead', 'conversations.transfer', { id: newId(), conversationId, toAgentId: null, expectedAgentId: ajie, note: '' });
    expect(shop.conversation(conversationId)).toMatchObject({ agentId: null, lastMessagePreview: '主管-王姐将阿杰的会话转回队列' });
  });

  it('refuses a transfer of a conversation or to a colleague that does not exist, to where it already is, and a note past 500 characters', async () => {
    const shop = demoShop();
    await shop.sit('d1', '小美');
    const { conversationId } = shop.newBuyer();
    const me = shop.id('小美');
    const refused = async (args: Partial<ArgsIn<'conversations.transfer'>>) =>
      shop.call('d1', 'conversations.transfer', {
        id: newId(),
        conversationId,
        toAgentId: shop.id('阿杰'),
        expectedAgentId: me,
        note: '',
        ...args,
      });
    expect(await refused({ conversationId: 'gone' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await refused({ toAgentId: 'nobody' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await refused({ toAgentId: me })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await refused({ note: '长'.repeat(501) })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(shop.conversation(conversationId).agentId).toBe(me);
  });

  it('runs as a mutation: a stale transfer pushed from a desk is recorded as refused, and the next one still applies', async () => {
    const shop = demoShop();
    await shop.sit('d1', '小美');
    const { conversationId } = shop.newBuyer();
    const me = shop.id('小美');
    const ajie = shop.id('阿杰');
    const push = await shop.ok('d1', 'sync.push', {
      clientId: newId(),
      mutations: [
        {
          mutationId: newId(),
          name: 'conversations.transfer',
          args: { id: newId(), conversationId, toAgentId: ajie, expectedAgentId: ajie, note: '' },
        },
        {
          mutationId: newId(),
          name: 'conversations.transfer',
          args: { id: newId(), conversationId, toAgentId: ajie, expectedAgentId: me, note: '交给你' },
        },
      ],
    });
    expect((push as PushResult).results.map((r) => [r.status, r.error?.code ?? null])).toEqual([
      ['rejected', 'conflict'],
      ['applied', null],
    ]);
    expect(shop.conversation(conversationId).agentId).toBe(ajie);
  });
});

describe('presence (who is at a connected desk)', () => {
  it('on a hub: written into the roster once it settles, each agent once whatever their number of desks, and gone with their last desk', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-presence-'));
    dirs.push(dir);
    const hub = open(dir, { hub: {} });
    hub.store.tx(() => {
      hub.store.agents.insert({ id: 'a', nick: '甲', role: 'agent', state: 'online', created_at: 1 });
      hub.store.agents.insert({ id: 'b', nick: '乙', role: 'agent', state: 'online', created_at: 2 });
      hub.store.customers.insert({ id: 'c1', nick: '买家一', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
      hub.store.customers.insert({ id: 'c2', nick: '买家二', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
    });
    const present = () =>
      hub.store.agents
        .list()
        .filter((a) => a.present)
        .map((a) => a.id);
    const head = hub.store.changes.head();
    hub.signIn('a-desk-1', 'a');
    hub.signIn('a-desk-2', 'a');
    hub.signIn('b-desk', 'b');
    await expect.poll(present).toEqual(['a', 'b']);
    hub.disconnect('a-desk-1');
    hub.disconnect('b-desk');
    // Routing reads the live sessions, not the column: 乙 left a moment ago and gets nothing.
    expect(hub.store.conversations.get(hub.conversations.receive({ customerId: 'c1', text: '在吗' }).conversationId)?.agentId).toBe('a');
    await expect.poll(present).toEqual(['a']);
    hub.disconnect('a-desk-2');
    await expect.poll(present).toEqual([]);
    expect(hub.store.conversations.get(hub.conversations.receive({ customerId: 'c2', text: '在吗' }).conversationId)?.agentId).toBeNull();
    const fed = hub.store.changes.page(head, 100).filter((c) => c.entity === 'agent');
    expect(fed.map((c) => `${c.id}:${String((c.row as { present: boolean }).present)}`)).toEqual([
      'a:true',
      'b:true',
      'b:false',
      'a:false',
    ]);
  });

  it('is put right when the core starts (a hub stopped with desks on it), and a CLI run beside the app writes none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-presence-'));
    dirs.push(dir);
    const hub = open(dir, { hub: {} });
    hub.store.tx(() => hub.store.agents.insert({ id: 'a', nick: '甲', role: 'agent', state: 'online', created_at: 1 }));
    hub.signIn('desk', 'a');
    await expect.poll(() => hub.store.agents.get('a')?.present).toBe(true);
    const cli = open(dir, { hub: {}, presence: false });
    expect(cli.store.agents.get('a')?.present).toBe(true);
    cli.close();
    hub.close();
    const again = open(dir, { hub: {} });
    expect(again.store.agents.get('a')?.present).toBe(false);
  });
});
