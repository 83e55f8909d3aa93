import { describe, expect, it } from 'vitest';
import type { ConversationSummary, Message, Order } from '../domain/types';
import { backoffDelay } from './backoff';
import { advanceCursor, chunkFits, needsRebuild, pullVerdict } from './cursor';
import { planChanges, planSnapshot } from './plan';
import type { Change } from './protocol';

let seq = 0;
const change = (c: Omit<Change, 'seq' | 'at'> & { at?: number }): Change => ({ seq: ++seq, at: c.at ?? 1000, ...c }) as Change;
const conversation = (id: string, status: 'open' | 'ended' = 'open'): ConversationSummary => ({
  id,
  customerId: 'c1',
  customerNick: '买家',
  customerTags: [],
  customerGroupId: null,
  agentId: null,
  status,
  lastMessageAt: 1,
  lastMessagePreview: '',
  unreadCount: 0,
  waitingSince: null,
});
const message = (id: string, conversationId: string): Message => ({
  id,
  conversationId,
  sender: 'buyer',
  agentId: null,
  kind: 'text',
  text: id,
  orderId: null,
  createdAt: 1,
});

describe('the apply-order rules', () => {
  it('keeps only the last write of a key within a chunk', () => {
    const plan = planChanges(
      [
        change({ entity: 'customer_tag', id: 'c1:t1', op: 'upsert', row: { customerId: 'c1', tagId: 't1' }, at: 5 }),
        change({ entity: 'customer_tag', id: 'c1:t1', op: 'delete', row: { customerId: 'c1', tagId: 't1' } }),
        change({ entity: 'customer_tag', id: 'c1:t2', op: 'upsert', row: { customerId: 'c1', tagId: 't2' }, at: 7 }),
      ],
      () => false,
    );
    expect([...plan.writes.memberships.values()]).toEqual([
      { key: ['c1', 't1'], row: null },
      { key: ['c1', 't2'], row: { customerId: 'c1', tagId: 't2', at: 7 } },
    ]);
  });

  it('keeps messages of conversations the replica holds, including ones opened earlier in the chunk', () => {
    const plan = planChanges(
      [
        change({ entity: 'message', id: 'm0', op: 'upsert', row: message('m0', 'not-held') }),
        change({ entity: 'conversation', id: 'v2', op: 'upsert', row: conversation('v2') }),
        change({ entity: 'message', id: 'm1', op: 'upsert', row: message('m1', 'v1') }),
        change({ entity: 'message', id: 'm2', op: 'upsert', row: message('m2', 'v2') }),
      ],
      (id) => id === 'v1',
    );
    expect([...plan.writes.messages.keys()]).toEqual(['m1', 'm2']);
    expect([...plan.entered]).toEqual(['v2']);
    expect(plan.writes.conversations.get('v2')!.row).not.toHaveProperty('customerNick');
  });

  it('lets an ended conversation leave the replica with its messages', () => {
    const plan = planChanges(
      [
        change({ entity: 'message', id: 'm1', op: 'upsert', row: message('m1', 'v1') }),
        change({ entity: 'conversation', id: 'v1', op: 'upsert', row: conversation('v1', 'ended') }),
        change({ entity: 'message', id: 'm2', op: 'upsert', row: message('m2', 'v1') }),
      ],
      () => true,
    );
    expect(plan.writes.conversations.get('v1')!.row).toBeNull();
    expect(plan.writes.messages.size).toBe(0);
    expect([...plan.dropMessagesOf]).toEqual(['v1']);
  });

  it('splits an order into the order and its note, and reports mutation records with their position', () => {
    const order = {
      id: 'o1',
      orderNo: 'N1',
      customerId: 'c1',
      status: 'to_ship',
      amountCents: 100,
      address: '',
      logisticsCompany: null,
      trackingNo: null,
      createdAt: 1,
      paidAt: null,
      items: [],
      flag: 3,
      memo: '加急',
    } satisfies Order;
    const plan = planChanges(
      [
        change({ entity: 'order', id: 'o1', op: 'upsert', row: order }),
        change({
          entity: 'mutation',
          id: 'mu1',
          op: 'upsert',
          row: { mutationId: 'mu1', clientId: 'd', name: 'orders.setNotes', status: 'applied', error: null },
        }),
      ],
      () => false,
    );
    expect(plan.writes.orders.get('o1')!.row).not.toHaveProperty('flag');
    expect(plan.writes.orderNotes.get('o1')!.row).toEqual({ orderId: 'o1', flag: 3, memo: '加急' });
    expect(plan.outcomes).toEqual([{ mutationId: 'mu1', clientId: 'd', name: 'orders.setNotes', status: 'applied', error: null, seq }]);
  });

  it('ignores an entity it does not know (a newer core)', () => {
    const plan = planChanges([{ seq: 1, entity: 'future_thing', id: 'x', op: 'upsert', row: {}, at: 0 } as unknown as Change], () => false);
    expect(Object.values(plan.writes).every((w) => w.size === 0)).toBe(true);
  });

  it('applies snapshot rows with the same rules', () => {
    const plan = planSnapshot(
      [
        { entity: 'conversation', id: 'v1', row: conversation('v1') },
        { entity: 'message', id: 'm1', row: message('m1', 'v1') },
      ],
      () => false,
    );
    expect([...plan.writes.messages.keys()]).toEqual(['m1']);
  });
});

describe('the cursor rules', () => {
  it('never move a cursor back', () => {
    expect(advanceCursor(10, 7)).toBe(10);
    expect(advanceCursor(10, 12)).toBe(12);
  });

  it('apply a chunk only where it was asked from, and from the same feed', () => {
    expect(chunkFits(10, 10, 'f', 'f')).toBe(true);
    expect(chunkFits(12, 10, 'f', 'f')).toBe(false);
    expect(chunkFits(10, 10, 'g', 'f')).toBe(false);
  });

  it('rebuild a replica with no cursor or another protocol; tell a cursor below the floor or past the head to rebuild', () => {
    expect(needsRebuild({ cursor: null, feedId: null, protocol: null }, 1)).toBe(true);
    expect(needsRebuild({ cursor: 5, feedId: 'f', protocol: 0 }, 1)).toBe(true);
    expect(needsRebuild({ cursor: 5, feedId: 'f', protocol: 1 }, 1)).toBe(false);
    expect(pullVerdict(3, 5, 10)).toBe('expired');
    expect(pullVerdict(5, 5, 10)).toBe('ok');
    expect(pullVerdict(11, 0, 10)).toBe('ahead');
  });

  it('back off between half and all of a doubling ceiling', () => {
    expect(backoffDelay(0, () => 0, 100, 1000)).toBe(50);
    expect(backoffDelay(3, () => 1, 100, 1000)).toBe(800);
    expect(backoffDelay(20, () => 1, 100, 1000)).toBe(1000);
  });
});
