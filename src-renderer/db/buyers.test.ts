import { describe, expect, it } from 'vitest';
import { fail } from '../../shared/contract/errors';
import { smallShop } from '../test/testShop';
import { conversationSummaries } from './queries';
import { engineOn, drained } from './testing/engineOnShop';

/** The replica holds the buyers the desk works on (issue 18): the first screen's, then who turns up. */
describe('the buyers a replica holds', () => {
  it('starts with the buyers of open conversations only, and fetches an old buyer who writes again with tags and orders', async () => {
    const shop = smallShop();
    // 橙子不酸 (two orders, one flagged with a memo) and 芒果布丁 (tagged 回头客) have no open conversation.
    await shop.call('conversations.end', { conversationId: 'conv-c1' });
    await shop.call('conversations.end', { conversationId: 'conv-c2' });
    const { engine, db } = engineOn(shop);
    engine.start();
    await drained(engine);
    expect((await db.customers.toArray()).map((c) => c.id)).toEqual(['c3']);
    expect(await db.orders.count()).toBe(0);
    expect(await db.memberships.count()).toBe(0);
    // The shop's lists are whole: a tag or group picker needs every one.
    expect(await db.tags.count()).toBe(2);
    expect(await db.customerGroups.count()).toBe(1);

    const first = shop.buyerWrites('c1', '上次那条裤子还有吗');
    const second = shop.buyerWrites('c2', '在吗');
    await drained(engine);
    expect(await db.customers.get('c1')).toMatchObject({ nick: '橙子不酸' });
    expect((await db.orders.where('customerId').equals('c1').toArray()).map((o) => o.id).sort()).toEqual(['o1', 'o2']);
    expect(await db.orderNotes.get('o2')).toMatchObject({ flag: 2, memo: '已补发赠品' });
    expect(await db.memberships.where('customerId').equals('c2').toArray()).toMatchObject([{ tagId: 't1' }]);
    // The list shows them by name, with their last words.
    const list = (await conversationSummaries(db)) ?? [];
    expect(list.find((c) => c.id === first.conversationId)).toMatchObject({ customerNick: '橙子不酸' });
    expect(list.find((c) => c.id === second.conversationId)).toMatchObject({ customerNick: '芒果布丁' });
  });

  it('asks again after a failed fetch, and the buyer’s later changes arrive through the feed', async () => {
    const shop = smallShop();
    await shop.call('conversations.end', { conversationId: 'conv-c1' });
    const { engine, db } = engineOn(shop);
    engine.start();
    await drained(engine);
    shop.failures.set('sync.snapshot', fail('unavailable', 'the core is out of reach'));
    shop.buyerWrites('c1', '在吗');
    await expect.poll(() => shop.calls.filter((c) => c.method === 'sync.snapshot').length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await db.customers.get('c1')).toBeUndefined();
    shop.failures.delete('sync.snapshot');
    await expect.poll(() => db.customers.get('c1'), { timeout: 10_000 }).toMatchObject({ nick: '橙子不酸' });
    await shop.call('customers.setRemark', { customerId: 'c1', remark: '老客户，优先发货' });
    await drained(engine);
    expect(await db.customers.get('c1')).toMatchObject({ remark: '老客户，优先发货' });
  });
});
