import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import type { EventName } from '../../shared/contract/events';
import type { Change } from '../../shared/sync/protocol';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { Core } from './core';

const dirs: string[] = [];
const cores: Core[] = [];

function demoCore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-desk-'));
  dirs.push(dir);
  const core = new Core({ dataDir: dir, demoBuyers: { enabled: false } });
  cores.push(core);
  const events: EventName[] = [];
  core.on((name) => events.push(name));
  async function call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<ResultOf<M>> {
    const result = (await core.call(method, args, 'test')) as Result<ResultOf<M>>;
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
  /** What a desk poked now would pull: the changes after `cursor`, as entity:id. */
  async function pulled(cursor: number): Promise<string[]> {
    const page = (await call('sync.pull', { cursor, limit: 1000 })) as { changes: Change[] };
    return page.changes.map((c) => `${c.entity}:${c.id}`);
  }
  return { core, call, events, pulled };
}

afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the desk tools through the contract', () => {
  it('tags a buyer: the tag shows on the conversation list, and removing it takes it off', async () => {
    const { core, call, events, pulled } = demoCore();
    const [conversation] = await call('conversations.list', { status: 'open' });
    const tag = await call('tags.create', { id: 'tag-vip-2', name: '双十一大客户', color: '#8e4ec6' });
    const cursor = core.store.changes.head();
    events.length = 0;
    await call('customers.addTag', { customerId: conversation!.customerId, tagId: tag.id });
    let listed = (await call('conversations.list', { status: 'open' })).find((c) => c.id === conversation!.id);
    expect(listed!.customerTags.map((t) => t.name)).toContain('双十一大客户');
    // One poke, and what it leads a desk to pull: the tag row and the list's row.
    expect(events).toEqual(['sync.poked']);
    expect(await pulled(cursor)).toEqual(
      expect.arrayContaining([`customer_tag:${conversation!.customerId}:${tag.id}`, `conversation:${conversation!.id}`]),
    );
    await call('customers.removeTag', { customerId: conversation!.customerId, tagId: tag.id });
    listed = (await call('conversations.list', { status: 'open' })).find((c) => c.id === conversation!.id);
    expect(listed!.customerTags.map((t) => t.name)).not.toContain('双十一大客户');
    // the same name again is the same tag, not a second one
    const again = await call('tags.create', { id: 'tag-other', name: '双十一大客户', color: '#e5484d' });
    expect(again.id).toBe('tag-vip-2');
  });

  it('puts a buyer in one customer group and refuses the 101st group of the shop', async () => {
    const { core, call } = demoCore();
    const [conversation] = await call('conversations.list', { status: 'open' });
    const group = await call('customerGroups.create', { id: 'grp-new', name: '直播间粉丝' });
    await call('customers.setGroup', { customerId: conversation!.customerId, groupId: group.id });
    const listed = (await call('conversations.list', { status: 'open' })).find((c) => c.id === conversation!.id);
    expect(listed!.customerGroupId).toBe('grp-new');
    const existing = (await call('customerGroups.list', {})).length;
    for (let i = existing; i < 100; i++) await call('customerGroups.create', { id: `grp-${i}`, name: `分组${i}` });
    const refused = await core.call('customerGroups.create', { id: 'grp-101', name: '第101个' }, 'test');
    expect(refused).toMatchObject({ ok: false, error: { code: 'limit_exceeded' } });
    expect(await call('customerGroups.list', {})).toHaveLength(100);
  });

  it('flags several orders red with one memo at once, keeping who wrote it in the history', async () => {
    const { core, call, events, pulled } = demoCore();
    const conversations = await call('conversations.list', { status: 'open' });
    let orders: Awaited<ReturnType<typeof call<'orders.listByCustomer'>>> = [];
    for (const c of conversations) {
      orders = await call('orders.listByCustomer', { customerId: c.customerId });
      if (orders.length >= 2) break;
    }
    const ids = orders.slice(0, 2).map((o) => o.id);
    const cursor = core.store.changes.head();
    events.length = 0;
    const updated = await call('orders.setNotes', { orderIds: ids, flag: 1, memo: '加急，顺丰发出 🚚 𠮷' });
    expect(updated.map((o) => [o.flag, o.memo])).toEqual([
      [1, '加急，顺丰发出 🚚 𠮷'],
      [1, '加急，顺丰发出 🚚 𠮷'],
    ]);
    expect(events).toEqual(['sync.poked']);
    expect(await pulled(cursor)).toEqual(ids.map((id) => `order:${id}`));
    const history = await call('orders.memoHistory', { orderId: ids[0]! });
    expect(history[0]).toMatchObject({ newMemo: '加急，顺丰发出 🚚 𠮷', authorNick: '小美' });
    // flag only: the memo stays
    const [flagged] = await call('orders.setNotes', { orderIds: [ids[0]!], flag: 3 });
    expect(flagged).toMatchObject({ flag: 3, memo: '加急，顺丰发出 🚚 𠮷' });
  });

  it('refuses a memo over 1000 GBK bytes and an unknown order in a batch, changing none of the orders', async () => {
    const { core, call } = demoCore();
    const c = (await call('conversations.list', { status: 'open' }))[0]!;
    const [order] = await call('orders.listByCustomer', { customerId: c.customerId });
    const before = order!;
    const tooLong = await core.call('orders.setNotes', { orderIds: [before.id], memo: '备'.repeat(501) }, 'test');
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'limit_exceeded' } });
    const mixed = await core.call('orders.setNotes', { orderIds: [before.id, 'no-such-order'], flag: 5 }, 'test');
    expect(mixed).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const [after] = await call('orders.listByCustomer', { customerId: c.customerId });
    expect(after).toMatchObject({ flag: before.flag, memo: before.memo });
    // exactly at the limit is fine: 500 Chinese characters are 1000 GBK bytes
    const [atLimit] = await call('orders.setNotes', { orderIds: [before.id], memo: '备'.repeat(500) });
    expect(atLimit!.memo).toHaveLength(500);
  });

  it('keeps only the last 10 memo edits of an order', async () => {
    const { call } = demoCore();
    const c = (await call('conversations.list', { status: 'open' }))[0]!;
    const [order] = await call('orders.listByCustomer', { customerId: c.customerId });
    for (let i = 1; i <= 13; i++) await call('orders.setNotes', { orderIds: [order!.id], memo: `第${i}次备注` });
    const history = await call('orders.memoHistory', { orderId: order!.id });
    expect(history).toHaveLength(10);
    expect(history[0]!.newMemo).toBe('第13次备注');
  });

  it('gives the picker every team phrase with pinyin search keys, and counts uses', async () => {
    const { call } = demoCore();
    const { groups, phrases } = await call('phrases.forPicker', {});
    expect(groups.map((g) => g.name)).toEqual(expect.arrayContaining(['售前', '售中', '物流', '催付', '售后']));
    expect(phrases.length).toBeGreaterThanOrEqual(40);
    const shipping = phrases.find((p) => p.content.includes('发货'))!;
    expect(shipping.searchKeys).toContain('fahuo');
    const used = await call('phrases.markUsed', { phraseId: shipping.id });
    expect(used.useCount).toBe(shipping.useCount + 1);
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('ends a conversation and switches the agent to busy', async () => {
    const { call } = demoCore();
    const [first] = await call('conversations.list', { status: 'open' });
    await call('conversations.end', { conversationId: first!.id });
    expect((await call('conversations.list', { status: 'open' })).map((c) => c.id)).not.toContain(first!.id);
    await call('agents.setState', { state: 'busy' });
    expect((await call('app.info', {})).agent.state).toBe('busy');
  });
});
