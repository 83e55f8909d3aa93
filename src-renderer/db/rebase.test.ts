import { afterEach, describe, expect, it } from 'vitest';
import { rebase, recordOutcomes, replay, settle } from './rebase';
import { conversation, customer, entry, freshReplica } from './testing/replicaRows';
import { ReplicaWriter } from './writer';
import { runMutator } from './mutators';

const dbs: ReturnType<typeof freshReplica>[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.dispose();
});

function replica() {
  const db = freshReplica();
  dbs.push(db);
  return db;
}

const applied = (mutationId: string, seq: number) => ({ mutationId, status: 'applied' as const, seq, error: null });
const refused = (mutationId: string, seq: number) => ({
  mutationId,
  status: 'rejected' as const,
  seq,
  error: { code: 'conflict' as const, message: 'the conversation has ended' },
});

describe('settling the outbox', () => {
  it('drops an entry only once the cursor has reached the seq where the core recorded it', async () => {
    const db = replica();
    const e = entry('customers.setRemark', { customerId: 'c1', remark: '要发票' });
    await db.outbox.add(e);
    await db.transaction('rw', db.all(), async () => {
      await settle(db, 100); // no outcome known yet: stays
      await recordOutcomes(db, [applied(e.mutationId, 120)]);
      await settle(db, 119); // recorded past the cursor: the pulled rows do not hold it yet
    });
    expect(await db.outbox.count()).toBe(1);
    await db.transaction('rw', db.all(), async () => {
      await settle(db, 120);
    });
    expect(await db.outbox.count()).toBe(0);
  });

  it('keeps a refused reply as rejected (a failed bubble with a retry), and turns any other refusal into a notice', async () => {
    const db = replica();
    const reply = entry('messages.send', { id: 'm1', conversationId: 'k1', text: '在的' });
    const remark = entry('customers.setRemark', { customerId: 'c1', remark: '要发票' });
    await db.outbox.bulkAdd([reply, remark]);
    await db.transaction('rw', db.all(), async () => {
      await recordOutcomes(db, [refused(reply.mutationId, 10), refused(remark.mutationId, 11)]);
      await settle(db, 11);
    });
    expect(await db.outbox.toArray()).toEqual([
      expect.objectContaining({ mutationId: reply.mutationId, status: 'rejected', error: expect.objectContaining({ code: 'conflict' }) }),
    ]);
    expect(await db.notices.toArray()).toEqual([
      expect.objectContaining({ name: 'customers.setRemark', error: expect.objectContaining({ code: 'conflict' }) }),
    ]);
  });
});

describe('a rebase', () => {
  it('shows server state with the pending actions replayed on top, in queue order', async () => {
    const db = replica();
    await db.customers.put(customer('c1', { remark: '旧' }));
    const first = entry('customers.setRemark', { customerId: 'c1', remark: '一' });
    const second = entry('customers.setRemark', { customerId: 'c1', remark: '二' });
    await db.transaction('rw', db.all(), async () => {
      for (const e of [first, second]) {
        e.seq = await db.outbox.add(e);
        await runMutator(new ReplicaWriter(db), e, null);
      }
    });
    // the core changed the buyer's nick meanwhile; the pending remarks still win on screen
    await db.transaction('rw', db.all(), async () => {
      await rebase(db, async () => void (await db.customers.put(customer('c1', { nick: '新昵称', remark: '旧' }))));
    });
    expect(await db.customers.get('c1')).toMatchObject({ nick: '新昵称', remark: '二' });
  });

  it('drops what the chunk covers and keeps replaying what it does not', async () => {
    const db = replica();
    await db.customers.put(customer('c1'));
    await db.conversations.put(conversation('k1', { unreadCount: 3 }));
    const remark = entry('customers.setRemark', { customerId: 'c1', remark: '已确认' });
    const read = entry('conversations.markRead', { conversationId: 'k1' });
    await db.transaction('rw', db.all(), async () => {
      for (const e of [remark, read]) {
        e.seq = await db.outbox.add(e);
        await runMutator(new ReplicaWriter(db), e, null);
      }
      await recordOutcomes(db, [applied(remark.mutationId, 7), applied(read.mutationId, 9)]);
    });
    // a chunk up to 8: the core's remark arrives; the mark-read is not covered yet
    await db.transaction('rw', db.all(), async () => {
      await rebase(db, async () => void (await db.customers.put(customer('c1', { remark: '已确认' }))), 8);
    });
    expect((await db.outbox.toArray()).map((e) => e.mutationId)).toEqual([read.mutationId]);
    expect((await db.conversations.get('k1'))!.unreadCount).toBe(0); // still replayed on top
    expect(await db.shadows.get('customers|c1')).toBeUndefined(); // nothing pending touches it any more
  });

  it('puts the server value back when the core refused a pending change', async () => {
    const db = replica();
    await db.customers.put(customer('c1', { remark: '服务器' }));
    const remark = entry('customers.setRemark', { customerId: 'c1', remark: '被拒' });
    await db.transaction('rw', db.all(), async () => {
      remark.seq = await db.outbox.add(remark);
      await runMutator(new ReplicaWriter(db), remark, null);
    });
    expect((await db.customers.get('c1'))!.remark).toBe('被拒');
    await db.transaction('rw', db.all(), async () => {
      await recordOutcomes(db, [refused(remark.mutationId, 3)]);
      await rebase(db, async () => undefined, 3);
    });
    expect((await db.customers.get('c1'))!.remark).toBe('服务器');
  });

  it('replays a refused reply as a failed bubble', async () => {
    const db = replica();
    const reply = entry(
      'messages.send',
      { id: 'm1', conversationId: 'k1', text: '在的' },
      { status: 'rejected', error: { code: 'conflict', message: 'ended' } },
    );
    await db.outbox.add(reply);
    await db.transaction('rw', db.all(), async () => {
      await replay(db);
    });
    expect((await db.messages.get('m1'))!.local).toMatchObject({
      status: 'failed',
      mutationId: reply.mutationId,
      error: { code: 'conflict' },
    });
  });
});
