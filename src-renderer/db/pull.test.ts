import { describe, expect, it } from 'vitest';
import { fail } from '../../shared/contract/errors';
import { smallShop } from '../test/testShop';
import { BuyerFill } from './buyers';
import { Puller } from './pull';
import { engineOn, drained } from './testing/engineOnShop';

describe('pulling', () => {
  it("brings the core's changes with their cursor, and keeps the agent's pending action on top", async () => {
    const shop = smallShop();
    const { engine, db } = engineOn(shop);
    engine.start();
    await drained(engine);
    shop.failures.set('sync.push', fail('unavailable', 'the core is out of reach'));
    await engine.mutate('customers.setRemark', { customerId: 'c1', remark: '本机的备注' });
    // meanwhile a supervisor puts the same buyer in a group
    await shop.call('customers.setGroup', { customerId: 'c1', groupId: 'g-vip' });
    // (the push keeps failing and retrying, so the engine is never idle here: wait for what the desk shows)
    await expect
      .poll(() => db.customers.get('c1'), { timeout: 10_000, message: 'the pulled group under the pending remark' })
      .toMatchObject({ groupId: 'g-vip', remark: '本机的备注' });
    expect(await db.outbox.count()).toBe(1);
    shop.failures.delete('sync.push');
    await drained(engine);
    expect(await db.outbox.count()).toBe(0);
    expect(shop.read.customer('c1')).toMatchObject({ groupId: 'g-vip', remark: '本机的备注' });
  });

  it('takes in a conversation that opens in the core, with its newest messages', async () => {
    const shop = smallShop();
    const { engine, db } = engineOn(shop);
    engine.start();
    await drained(engine);
    await shop.call('conversations.end', { conversationId: 'conv-c3' });
    await drained(engine);
    expect(await db.conversations.get('conv-c3')).toBeUndefined();
    expect(await db.messages.where('conversationId').equals('conv-c3').count()).toBe(0);
    const message = shop.buyerWrites('c3', '我又来了');
    await drained(engine);
    expect(await db.conversations.get(message.conversationId)).toMatchObject({ customerId: 'c3', unreadCount: 1 });
    expect((await db.messages.where('conversationId').equals(message.conversationId).toArray()).map((m) => m.text)).toEqual(['我又来了']);
  });

  it("drops a chunk that does not start at the replica's cursor (a late answer to an older pull)", async () => {
    const shop = smallShop();
    const { engine, db } = engineOn(shop);
    engine.start();
    await drained(engine);
    const cursor = (await db.getMeta<number>('cursor', 0))!;
    const feedId = (await db.getMeta<string>('feedId', ''))!;
    const stale = {
      seq: cursor + 1,
      entity: 'customer',
      id: 'c1',
      op: 'upsert',
      row: { id: 'c1', nick: '旧答案', groupId: null, remark: '', firstSeenAt: 0 },
      at: 0,
    } as const;
    const ctx = {
      db,
      opts: { pullLimit: 1000, now: Date.now } as never,
      status: { setError: () => undefined } as never,
      stopped: () => false,
      call: () => Promise.reject(new Error('no calls')),
    };
    const puller = new Puller(ctx, { running: false } as never, () => undefined, new BuyerFill(ctx));
    expect(await puller.applyChunk(cursor - 1, feedId, [stale], cursor + 1)).toBe(false);
    expect(await puller.applyChunk(cursor, 'another-shop-file', [stale], cursor + 1)).toBe(false);
    expect((await db.customers.get('c1'))!.nick).toBe('橙子不酸');
    expect(await db.getMeta('cursor', 0)).toBe(cursor);
    expect(await puller.applyChunk(cursor, feedId, [stale], cursor + 1)).toBe(true);
    expect((await db.customers.get('c1'))!.nick).toBe('旧答案');
    expect(await db.getMeta('cursor', 0)).toBe(cursor + 1);
  });
});
