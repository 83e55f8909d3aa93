import { afterEach, describe, expect, it } from 'vitest';
import type { MutationArgs, MutationName } from '../../shared/sync/mutations';
import { runMutator } from './mutators';
import type { OutboxEntry } from './replicaDb';
import { conversation, customer, entry, freshReplica, order, phrase } from './testing/replicaRows';
import { ReplicaWriter } from './writer';

const dbs: ReturnType<typeof freshReplica>[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.dispose();
});

function replica() {
  const db = freshReplica();
  dbs.push(db);
  return db;
}

type Db = ReturnType<typeof replica>;

/** Runs one mutator the way the outbox does (in a transaction over every table), as agent-1. */
async function run<N extends MutationName>(db: Db, name: N, args: MutationArgs<N>, over: Partial<OutboxEntry> = {}) {
  const e = entry(name, args, over);
  await db.transaction('rw', db.all(), async () => {
    await runMutator(new ReplicaWriter(db), e, 'agent-1');
  });
  return e;
}

describe('the optimistic mutators', () => {
  it('messages.send: a pending bubble, the conversation answered, read, previewed and claimed', async () => {
    const db = replica();
    await db.conversations.put(conversation('k1', { lastMessageAt: 1_000 }));
    const e = await run(db, 'messages.send', { id: 'm1', conversationId: 'k1', text: '今天发货' });
    expect(await db.messages.get('m1')).toMatchObject({
      conversationId: 'k1',
      sender: 'agent',
      agentId: 'agent-1',
      kind: 'text',
      text: '今天发货',
      createdAt: 5_000,
      local: { status: 'pending', mutationId: e.mutationId },
    });
    expect(await db.conversations.get('k1')).toMatchObject({
      lastMessageAt: 5_000,
      lastMessagePreview: '今天发货',
      waitingSince: null,
      unreadCount: 0,
      agentId: 'agent-1',
    });
  });

  it('messages.send: an order card is a card, a refused one a failed bubble that leaves the conversation alone', async () => {
    const db = replica();
    await db.conversations.put(conversation('k1'));
    await run(db, 'messages.send', { id: 'm1', conversationId: 'k1', text: '订单号：1', orderId: 'o1' });
    expect(await db.messages.get('m1')).toMatchObject({ kind: 'order_card', orderId: 'o1' });
    await db.conversations.put(conversation('k2'));
    await run(
      db,
      'messages.send',
      { id: 'm2', conversationId: 'k2', text: '在的' },
      { status: 'rejected', error: { code: 'conflict', message: 'ended' } },
    );
    expect((await db.messages.get('m2'))!.local).toMatchObject({ status: 'failed', error: { code: 'conflict' } });
    expect(await db.conversations.get('k2')).toEqual(conversation('k2'));
  });

  it('messages.send: leaves a message the core already confirmed as it is, and tolerates a conversation that is gone', async () => {
    const db = replica();
    const confirmed = {
      id: 'm1',
      conversationId: 'k1',
      sender: 'agent' as const,
      agentId: 'agent-1',
      kind: 'text' as const,
      text: '已确认',
      orderId: null,
      createdAt: 4_000,
    };
    await db.messages.put(confirmed);
    await run(db, 'messages.send', { id: 'm1', conversationId: 'k1', text: '已确认' });
    expect(await db.messages.get('m1')).toEqual(confirmed);
    await run(db, 'messages.send', { id: 'm2', conversationId: 'gone', text: '在的' });
    expect(await db.conversations.count()).toBe(0);
  });

  it('conversations.markRead and conversations.end', async () => {
    const db = replica();
    await db.conversations.bulkPut([conversation('k1', { unreadCount: 5 }), conversation('k2')]);
    await run(db, 'conversations.markRead', { conversationId: 'k1' });
    await run(db, 'conversations.markRead', { conversationId: 'gone' });
    expect((await db.conversations.get('k1'))!.unreadCount).toBe(0);
    await run(db, 'conversations.end', { conversationId: 'k2' });
    await run(db, 'conversations.end', { conversationId: 'gone' });
    expect(await db.conversations.toCollection().primaryKeys()).toEqual(['k1']);
  });

  it('conversations.reopen: the row conversations.end kept comes back open as this agent’s, with its messages; a refused or unknown one does not', async () => {
    const db = replica();
    const msg = {
      id: 'm1',
      conversationId: 'k2',
      sender: 'buyer' as const,
      agentId: null,
      kind: 'text' as const,
      text: '在吗',
      orderId: null,
      createdAt: 1,
    };
    await db.conversations.bulkPut([conversation('k2', { agentId: 'agent-2' }), conversation('k3')]);
    await db.messages.put(msg);
    await run(db, 'conversations.end', { conversationId: 'k2' });
    await run(db, 'conversations.end', { conversationId: 'k3' });
    // The end's pull: the rows and the messages have left the replica.
    await db.messages.clear();
    await db.shadows.clear();
    await run(db, 'conversations.reopen', { conversationId: 'k2' });
    expect(await db.conversations.get('k2')).toMatchObject({ status: 'open', agentId: 'agent-1' });
    expect(await db.messages.get('m1')).toEqual(msg);
    await run(db, 'conversations.reopen', { conversationId: 'k3' }, { status: 'rejected' });
    await run(db, 'conversations.reopen', { conversationId: 'gone' });
    expect(await db.conversations.toCollection().primaryKeys()).toEqual(['k2']);
  });

  it('conversations.take: an unassigned conversation becomes this agent’s; someone else’s or a missing one stays as it is', async () => {
    const db = replica();
    await db.conversations.bulkPut([conversation('k1', { agentId: null }), conversation('k2', { agentId: 'agent-2' })]);
    await run(db, 'conversations.take', { conversationId: 'k1' });
    await run(db, 'conversations.take', { conversationId: 'k2' });
    await run(db, 'conversations.take', { conversationId: 'gone' });
    expect((await db.conversations.get('k1'))!.agentId).toBe('agent-1');
    expect((await db.conversations.get('k2'))!.agentId).toBe('agent-2');
    expect(await db.conversations.count()).toBe(2);
  });

  it('conversations.transfer: the new owner and the system line with the note, only if the owner is the one the desk saw', async () => {
    const db = replica();
    const roster = { role: 'agent' as const, state: 'online' as const, present: true, maxOpen: 20, disabled: false };
    await db.agents.bulkPut([
      { id: 'agent-1', nick: '小美', ...roster },
      { id: 'agent-2', nick: '阿杰', ...roster },
    ]);
    await db.conversations.bulkPut([
      conversation('k1', { agentId: 'agent-1', lastMessageAt: 1_000 }),
      conversation('k2', { agentId: 'agent-2' }),
    ]);
    await run(db, 'conversations.transfer', {
      id: 'line-1',
      conversationId: 'k1',
      toAgentId: 'agent-2',
      expectedAgentId: 'agent-1',
      note: '要换货',
    });
    expect(await db.conversations.get('k1')).toMatchObject({
      agentId: 'agent-2',
      lastMessageAt: 5_000,
      lastMessagePreview: '会话已由小美转接给阿杰。备注：要换货',
    });
    expect(await db.messages.get('line-1')).toMatchObject({
      sender: 'system',
      conversationId: 'k1',
      text: '会话已由小美转接给阿杰。备注：要换货',
    });
    // Stale (the desk saw agent-1, it is agent-2's): nothing; gone: nothing; to the queue from a colleague's, as the core words it.
    await run(db, 'conversations.transfer', { id: 'line-2', conversationId: 'k2', toAgentId: null, expectedAgentId: 'agent-1', note: '' });
    expect((await db.conversations.get('k2'))!.agentId).toBe('agent-2');
    expect(await db.messages.get('line-2')).toBeUndefined();
    await run(db, 'conversations.transfer', { id: 'line-3', conversationId: 'gone', toAgentId: null, expectedAgentId: null, note: '' });
    expect(await db.messages.get('line-3')).toBeUndefined();
    await run(db, 'conversations.transfer', { id: 'line-4', conversationId: 'k2', toAgentId: null, expectedAgentId: 'agent-2', note: '' });
    expect(await db.messages.get('line-4')).toMatchObject({ text: '小美将阿杰的会话转回队列' });
    expect((await db.conversations.get('k2'))!.agentId).toBeNull();
  });

  it('tags.create and customerGroups.create: a new name is a new row; an id or a name already there adds nothing', async () => {
    const db = replica();
    await run(db, 'tags.create', { id: 't1', name: ' 要发票 ', color: '#30a46c' });
    await run(db, 'tags.create', { id: 't2', name: '要发票', color: '#e5484d' });
    await run(db, 'tags.create', { id: 't1', name: '别的', color: '#e5484d' });
    expect(await db.tags.toArray()).toEqual([{ id: 't1', name: '要发票', color: '#30a46c' }]);
    await run(db, 'customerGroups.create', { id: 'g1', name: '直播粉丝' });
    await run(db, 'customerGroups.create', { id: 'g2', name: '直播粉丝 ' });
    expect(await db.customerGroups.toArray()).toEqual([{ id: 'g1', name: '直播粉丝' }]);
  });

  it('customers.addTag and removeTag: a membership row, only for a buyer and a tag the replica has', async () => {
    const db = replica();
    await db.customers.put(customer('c1'));
    await db.tags.put({ id: 't1', name: '回头客', color: '#52c41a' });
    await run(db, 'customers.addTag', { customerId: 'c1', tagId: 't1' });
    await run(db, 'customers.addTag', { customerId: 'c1', tagId: 'no-tag' });
    await run(db, 'customers.addTag', { customerId: 'no-buyer', tagId: 't1' });
    expect(await db.memberships.toArray()).toEqual([{ customerId: 'c1', tagId: 't1', at: 5_000 }]);
    await run(db, 'customers.addTag', { customerId: 'c1', tagId: 't1' }, { createdAt: 9_000 });
    expect((await db.memberships.toArray())[0]!.at).toBe(5_000); // already on: the first time stays
    await run(db, 'customers.removeTag', { customerId: 'c1', tagId: 't1' });
    await run(db, 'customers.removeTag', { customerId: 'c1', tagId: 'never-on' });
    expect(await db.memberships.count()).toBe(0);
  });

  it('customers.setGroup and setRemark: change the buyer, and a buyer who is gone stays gone', async () => {
    const db = replica();
    await db.customers.put(customer('c1'));
    await run(db, 'customers.setGroup', { customerId: 'c1', groupId: 'g1' });
    await run(db, 'customers.setRemark', { customerId: 'c1', remark: '只收顺丰' });
    await run(db, 'customers.setRemark', { customerId: 'gone', remark: 'x' });
    expect(await db.customers.toArray()).toEqual([customer('c1', { groupId: 'g1', remark: '只收顺丰' })]);
    await run(db, 'customers.setGroup', { customerId: 'c1', groupId: null });
    expect((await db.customers.get('c1'))!.groupId).toBeNull();
  });

  it('orders.setNotes: flag and memo per order (append joins, replace replaces), a new note row where there was none, missing orders skipped', async () => {
    const db = replica();
    await db.orders.bulkPut([order('o1', 'c1'), order('o2', 'c1')]);
    await db.orderNotes.put({ orderId: 'o2', flag: 2, memo: '已补发赠品' });
    await run(db, 'orders.setNotes', { orderIds: ['o1', 'o2', 'gone', 'o1'], flag: 5, memo: '优先发货', memoMode: 'append' });
    expect(await db.orderNotes.toArray()).toEqual([
      { orderId: 'o1', flag: 5, memo: '优先发货' },
      { orderId: 'o2', flag: 5, memo: '已补发赠品；优先发货' },
    ]);
    await run(db, 'orders.setNotes', { orderIds: ['o2'], memo: '换成顺丰', memoMode: 'replace' });
    expect(await db.orderNotes.get('o2')).toEqual({ orderId: 'o2', flag: 5, memo: '换成顺丰' });
    await run(db, 'orders.setNotes', { orderIds: ['o1'], flag: 1 });
    expect(await db.orderNotes.get('o1')).toEqual({ orderId: 'o1', flag: 1, memo: '优先发货' }); // no memo given: kept
    expect(await db.orderNotes.get('gone')).toBeUndefined();
  });

  it('phrases.markUsed: one more use, used now; a phrase that is gone is skipped', async () => {
    const db = replica();
    await db.phrases.put(phrase('p1', { useCount: 3 }));
    await run(db, 'phrases.markUsed', { phraseId: 'p1' });
    await run(db, 'phrases.markUsed', { phraseId: 'gone' });
    expect(await db.phrases.toArray()).toEqual([phrase('p1', { useCount: 4, lastUsedAt: 5_000 })]);
  });
});
