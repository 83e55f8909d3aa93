import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { memoAfter } from '../../shared/domain/gbk';
import { openStore } from '../store';
import { addCustomerWithConversation } from '../store/testing';
import { orderNoteService } from './orderNotes';

function setup(memos: string[]) {
  const store = openStore(':memory:');
  store.agents.insert({ id: 'a1', nick: '小美', role: 'agent', state: 'online', created_at: 0 });
  const { customerId } = addCustomerWithConversation(store, 'tb_小鹿');
  const service = orderNoteService(store, () => 1_700_000_000_000);
  const ids = memos.map((memo, i) => {
    const id = `o${i}`;
    store.tx(() => {
      store.orders.insert(
        {
          id,
          order_no: `10000${i}`,
          customer_id: customerId,
          status: 'shipped',
          amount_cents: 100,
          address: '杭州',
          logistics_company: null,
          tracking_no: null,
          created_at: i,
          paid_at: i,
          updated_at: i,
        },
        [{ id: `${id}-item`, title: '裤子', sku: 'XL', price_cents: 100, quantity: 1 }],
      );
      if (memo) store.orders.setNote(id, { flag: 0, memo }, 'a1', i, `${id}-h`);
    });
    return id;
  });
  const memosNow = () => ids.map((id) => store.orders.get(id)!.memo);
  return { service, ids, memosNow };
}

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the batch memo', () => {
  it('appends to the memos orders already have, and sets it where there is none', () => {
    const { service, ids, memosNow } = setup(['已补发赠品', '', '加急。']);
    service.setNotes({ orderIds: ids, memo: '双十一优先发货', memoMode: 'append' }, 'a1');
    expect(memosNow()).toEqual(['已补发赠品；双十一优先发货', '双十一优先发货', '加急。双十一优先发货']);
  });

  it('replaces them when asked to, as before (replace is the default)', () => {
    const { service, ids, memosNow } = setup(['已补发赠品', '']);
    service.setNotes({ orderIds: ids, memo: '换成顺丰', memoMode: 'replace' }, 'a1');
    expect(memosNow()).toEqual(['换成顺丰', '换成顺丰']);
    service.setNotes({ orderIds: ids, memo: '改回中通' }, 'a1');
    expect(memosNow()).toEqual(['改回中通', '改回中通']);
  });

  it('refuses an append that would take an order past 1000 GBK bytes, names the orders, and changes none', () => {
    const nearlyFull = '备'.repeat(497); // 994 bytes, + "；" 2 + 8 = 1004
    const { service, ids, memosNow } = setup([nearlyFull, '', '满'.repeat(499)]);
    const error = refusal(() => service.setNotes({ orderIds: ids, flag: 2, memo: '加急发货', memoMode: 'append' }, 'a1'));
    expect(error.code).toBe('limit_exceeded');
    expect(error.message).toContain('100000 (1004)');
    expect(error.message).toContain('100002 (1008)');
    expect(error.message).not.toContain('100001');
    expect(error.details).toMatchObject({ limit: 1000, orders: [{ orderNo: '100000' }, { orderNo: '100002' }] });
    expect(memosNow()).toEqual([nearlyFull, '', '满'.repeat(499)]);
    // the same memo replacing fits everywhere
    service.setNotes({ orderIds: ids, memo: '加急发货', memoMode: 'replace' }, 'a1');
    expect(memosNow()).toEqual(['加急发货', '加急发货', '加急发货']);
  });

  it('lands on exactly 1000 bytes when that is what the append makes', () => {
    const { service, ids, memosNow } = setup(['备'.repeat(497)]); // 994 bytes + "；" 2 + 4 bytes
    service.setNotes({ orderIds: ids, memo: '加急', memoMode: 'append' }, 'a1');
    expect(memosNow()[0]).toBe(memoAfter('备'.repeat(497), '加急', 'append'));
    expect(memosNow()[0]).toHaveLength(500);
  });
});
