import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../shared/domain/ids';
import { OPEN_FOR_CUSTOMER_SQL } from './conversations';
import { openStore, type Store } from './index';

let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

describe("a buyer's open conversation", () => {
  it('is found by the buyer (their own rows), not by walking every open conversation', () => {
    store = openStore(':memory:');
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${OPEN_FOR_CUSTOMER_SQL}`).all('x') as { detail: string }[];
    expect(plan.map((r) => r.detail).join(' | ')).toContain('USING INDEX conversations_customer (customer_id=?)');
  });

  it('is the newest open one of that buyer', () => {
    const s = (store = openStore(':memory:'));
    const customer = (id: string) => s.customers.insert({ id, nick: id, group_id: null, remark: '', first_seen_at: 1, updated_at: 1 });
    const conversation = (customerId: string, status: 'open' | 'ended', at: number) => {
      const id = newId();
      s.conversations.insert({
        id,
        customer_id: customerId,
        agent_id: null,
        status,
        last_message_at: at,
        last_message_preview: '',
        unread_count: 0,
        waiting_since: null,
        created_at: at,
        ended_at: status === 'ended' ? at : null,
      });
      return id;
    };
    s.tx(() => {
      customer('a');
      customer('b');
    });
    expect(s.conversations.openForCustomer('a')).toBeUndefined();
    const older = s.tx(() => conversation('a', 'open', 10));
    s.tx(() => conversation('a', 'ended', 30));
    s.tx(() => conversation('b', 'open', 40));
    expect(s.conversations.openForCustomer('a')).toBe(older);
    const newer = s.tx(() => conversation('a', 'open', 20));
    expect(s.conversations.openForCustomer('a')).toBe(newer);
  });
});
