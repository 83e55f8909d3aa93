import { afterEach, describe, expect, it } from 'vitest';
import { conversation, customer, freshReplica } from './testing/replicaRows';
import { ReplicaWriter, restoreShadows } from './writer';

const dbs: ReturnType<typeof freshReplica>[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.dispose();
});

function replica() {
  const db = freshReplica();
  dbs.push(db);
  return db;
}

describe('shadows under optimistic writes', () => {
  it('records the server value at the first touch of a row, not at later ones', async () => {
    const db = replica();
    await db.customers.put(customer('c1', { remark: '服务器的备注' }));
    await db.transaction('rw', db.all(), async () => {
      const w = new ReplicaWriter(db);
      await w.put('customers', customer('c1', { remark: '第一次' }));
      await w.put('customers', customer('c1', { remark: '第二次' }));
    });
    // a second writer (a later mutation) touching the same row keeps the first shadow too
    await db.transaction('rw', db.all(), async () => {
      await new ReplicaWriter(db).put('customers', customer('c1', { remark: '第三次' }));
    });
    expect((await db.customers.get('c1'))!.remark).toBe('第三次');
    expect(await db.shadows.toArray()).toEqual([
      { id: 'customers|c1', table: 'customers', key: 'c1', row: customer('c1', { remark: '服务器的备注' }) },
    ]);
  });

  it('restores every shadowed row to its server value before a chunk: changed rows back, created rows gone, deleted rows back', async () => {
    const db = replica();
    await db.conversations.put(conversation('k1', { unreadCount: 4 }));
    await db.conversations.put(conversation('k2'));
    await db.transaction('rw', db.all(), async () => {
      const w = new ReplicaWriter(db);
      await w.update('conversations', 'k1', (c) => ({ ...c, unreadCount: 0 }));
      await w.delete('conversations', 'k2');
      await w.put('memberships', { customerId: 'c1', tagId: 't1', at: 1 });
    });
    expect(await db.conversations.count()).toBe(1);
    await db.transaction('rw', db.all(), async () => {
      await restoreShadows(db);
    });
    expect((await db.conversations.get('k1'))!.unreadCount).toBe(4);
    expect(await db.conversations.get('k2')).toEqual(conversation('k2'));
    expect(await db.memberships.count()).toBe(0);
    expect(await db.shadows.count()).toBe(0);
  });

  it('leaves a missing row missing on update, and shadows nothing for it', async () => {
    const db = replica();
    await db.transaction('rw', db.all(), async () => {
      await new ReplicaWriter(db).update('customers', 'gone', (c) => ({ ...c, remark: 'x' }));
    });
    expect(await db.customers.count()).toBe(0);
    expect(await db.shadows.count()).toBe(0);
  });
});
