import { describe, expect, it, vi } from 'vitest';
import { fail } from '../../shared/contract/errors';
import { smallShop } from '../test/testShop';
import { Rebuilder } from './rebuild';
import { heldByAnother, REBUILD_TAKEOVER_MS } from './rebuildLock';
import { ReplicaDb } from './replicaDb';
import { drained, engineOn, replicaName } from './testing/engineOnShop';

const snapshots = (calls: { method: string; args: unknown }[]) =>
  calls.filter((c) => c.method === 'sync.snapshot' && (c.args as { part: string }).part === 'tag').length;

describe('the window lock of a rebuild', () => {
  it("is another window's while its marker is fresh, and free once it is older than the takeover delay", () => {
    expect(heldByAnother(null, 'me', 1_000)).toBe(false);
    expect(heldByAnother({ id: 'me', at: 1_000 }, 'me', 1_000)).toBe(false);
    expect(heldByAnother({ id: 'other', at: 1_000 }, 'me', 1_000 + REBUILD_TAKEOVER_MS - 1)).toBe(true);
    expect(heldByAnother({ id: 'other', at: 1_000 }, 'me', 1_000 + REBUILD_TAKEOVER_MS)).toBe(false);
  });

  it('lets two windows of one replica build it once between them', async () => {
    const shop = smallShop();
    const name = replicaName();
    const first = engineOn(shop, name);
    const second = engineOn(shop, name);
    first.engine.start();
    second.engine.start();
    await Promise.all([drained(first.engine), drained(second.engine)]);
    expect(snapshots(shop.calls)).toBe(1);
    expect(await first.db.conversations.count()).toBe(3);
    expect(await second.db.getMeta('rebuild', null)).toBeNull();
  });

  it("waits while another window's marker is fresh, and takes over one its window left behind", async () => {
    const shop = smallShop();
    const name = replicaName();
    const other = new ReplicaDb(name);
    await other.setMeta('rebuild', { id: 'a-window-that-closed', at: 10_000 });
    other.close();
    let clock = 10_000 + REBUILD_TAKEOVER_MS - 1_000;
    const { engine, db } = engineOn(shop, name, { now: () => clock });
    const tries = vi.spyOn(Rebuilder.prototype, 'run');
    engine.start();
    // still fresh: the engine tries again and again without building
    await expect.poll(() => tries.mock.calls.length, { timeout: 10_000, message: 'a few tries at the rebuild' }).toBeGreaterThanOrEqual(3);
    expect(snapshots(shop.calls)).toBe(0);
    expect(await db.conversations.count()).toBe(0);
    clock += 1_000;
    await expect.poll(() => db.getMeta('ready', false), { timeout: 10_000, message: 'the replica built after the takeover' }).toBe(true);
    expect(await db.conversations.count()).toBe(3);
    expect(await db.getMeta('rebuild', null)).toBeNull();
    tries.mockRestore();
  });

  it("keeps the agent's pending actions visible through a rebuild, and the outbox with them", async () => {
    const shop = smallShop();
    const { engine, db } = engineOn(shop);
    shop.failures.set('sync.push', fail('unavailable', 'the core is out of reach'));
    // queued before the replica ever held the buyer: it lands on top once the snapshot brings her
    await engine.mutate('customers.setRemark', { customerId: 'c2', remark: '先记下' });
    engine.start();
    await expect
      .poll(() => db.customers.get('c2'), { timeout: 10_000, message: 'the buyer, with the pending remark' })
      .toMatchObject({ nick: '芒果布丁', remark: '先记下' });
    expect(await db.outbox.count()).toBe(1);
    shop.failures.delete('sync.push');
    await drained(engine);
    expect(await db.outbox.count()).toBe(0);
    expect(shop.read.customer('c2')!.remark).toBe('先记下');
  });
});
