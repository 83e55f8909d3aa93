import { afterEach, describe, expect, it } from 'vitest';
import { setDeskAgent } from './account';
import { queueMutation, requeueRejectedSend } from './outbox';
import { conversation, customer, entry, freshReplica } from './testing/replicaRows';

const dbs: ReturnType<typeof freshReplica>[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.dispose();
});

function replica() {
  const db = freshReplica();
  dbs.push(db);
  return db;
}

describe('the outbox', () => {
  it("queues an action and shows its effect in one go, as the desk's agent", async () => {
    const db = replica();
    await db.conversations.put(conversation('k1'));
    await db.setMeta('agentId', 'agent-1');
    const queued = await queueMutation(db, 'messages.send', { id: 'm1', conversationId: 'k1', text: '在的' }, 7_000);
    expect(await db.outbox.toArray()).toEqual([{ ...queued, seq: 1 }]);
    expect(await db.messages.get('m1')).toMatchObject({
      agentId: 'agent-1',
      createdAt: 7_000,
      local: { status: 'pending', mutationId: queued.mutationId },
    });
    expect((await db.conversations.get('k1'))!.agentId).toBe('agent-1');
    // the server value under it was kept for the next rebase
    expect((await db.shadows.get('conversations|k1'))!.row).toEqual(conversation('k1'));
  });

  it('queues nothing when the effect cannot be written (one transaction)', async () => {
    const db = replica();
    await db.customers.put(customer('c1'));
    db.close(); // IndexedDB gone
    await expect(queueMutation(db, 'customers.setRemark', { customerId: 'c1', remark: 'x' }, 1)).rejects.toThrow();
    await db.open();
    expect(await db.outbox.count()).toBe(0);
  });

  it('sends a refused reply again under a new mutation id and the same message id; anything else is left alone', async () => {
    const db = replica();
    const refused = entry(
      'messages.send',
      { id: 'm1', conversationId: 'k1', text: '在的' },
      { status: 'rejected', error: { code: 'conflict', message: 'x' } },
    );
    const pending = entry('messages.send', { id: 'm2', conversationId: 'k1', text: '还在' });
    await db.outbox.bulkAdd([refused, pending]);
    expect(await requeueRejectedSend(db, 'm2', 9_000)).toBe(false); // not refused: nothing to retry
    expect(await requeueRejectedSend(db, 'm1', 9_000)).toBe(true);
    expect(await requeueRejectedSend(db, 'm1', 9_500)).toBe(false); // already retried
    const after = await db.outbox.orderBy('seq').toArray();
    expect(after.map((e) => [(e.args as { id: string }).id, e.status])).toEqual([
      ['m2', 'pending'],
      ['m1', 'pending'],
    ]);
    expect(after[1]!.mutationId).not.toBe(refused.mutationId);
    expect((await db.messages.get('m1'))!.local).toMatchObject({ status: 'pending', mutationId: after[1]!.mutationId });
  });
});

describe('the agent at the desk', () => {
  it('is noted the first time and again, and another account marks the replica for a rebuild', async () => {
    const db = replica();
    await db.meta.bulkPut([
      { key: 'cursor', value: 40 },
      { key: 'ready', value: true },
    ]);
    expect(await setDeskAgent(db, 'agent-1')).toBe(false);
    expect(await setDeskAgent(db, 'agent-1')).toBe(false);
    expect(await db.getMeta('cursor', null)).toBe(40);
    expect(await setDeskAgent(db, 'lead-1')).toBe(true);
    expect(await db.getMeta('agentId', null)).toBe('lead-1');
    expect(await db.getMeta('cursor', null)).toBeNull();
    expect(await db.getMeta('ready', null)).toBeNull();
  });
});
