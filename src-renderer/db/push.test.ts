import { describe, expect, it } from 'vitest';
import { fail } from '../../shared/contract/errors';
import { smallShop } from '../test/testShop';
import { drained, engineOn } from './testing/engineOnShop';

describe('pushing', () => {
  it('sends the outbox in queue order, a batch at a time, each action stored once', async () => {
    const shop = smallShop();
    const { engine, db } = engineOn(shop, undefined, { pushBatch: 2 });
    engine.start();
    await drained(engine);
    shop.failures.set('sync.push', fail('unavailable', 'the core is out of reach'));
    for (const remark of ['一', '二', '三', '四', '五']) await engine.mutate('customers.setRemark', { customerId: 'c1', remark });
    shop.failures.delete('sync.push');
    await drained(engine);
    const reached = shop.calls.filter((c) => c.method === 'sync.push' && (c.args as { mutations: unknown[] }).mutations.length > 0);
    expect(
      reached
        .map((c) => (c.args as { mutations: unknown[] }).mutations.length)
        .filter((n) => n > 0)
        .slice(-3),
    ).toEqual([2, 2, 1]);
    expect(shop.mutationArgs<{ remark: string }>('customers.setRemark').map((a) => a.remark)).toEqual(['一', '二', '三', '四', '五']);
    expect(shop.read.customer('c1')!.remark).toBe('五');
    expect(await db.outbox.count()).toBe(0);
  });

  it("says when the core's disk is full, keeps the action, and clears the fault once a push goes through", async () => {
    const shop = smallShop();
    const { engine, db } = engineOn(shop);
    engine.start();
    await drained(engine);
    shop.setDiskFull(true);
    await engine.mutate('messages.send', { id: 'long-reply', conversationId: 'conv-c1', text: '好'.repeat(5000) });
    await expect
      .poll(() => engine.storeFault()?.code, { timeout: 10_000, message: 'the store fault from the push answer' })
      .toBe('storage_full');
    expect((await db.messages.get('long-reply'))!.local?.status).toBe('pending');
    shop.setDiskFull(false);
    await expect.poll(() => engine.storeFault(), { timeout: 10_000, message: 'the fault cleared by a push that went through' }).toBeNull();
    await drained(engine);
    expect((await db.messages.get('long-reply'))!.local).toBeUndefined();
    expect(shop.read.messages('conv-c1').filter((m) => m.id === 'long-reply')).toHaveLength(1);
  });
});
