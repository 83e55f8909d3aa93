import { newId } from '../../shared/domain/ids';
import type { Store } from './index';

/** Test helpers: a customer with an open conversation, written the way the services write them. */
export function addCustomerWithConversation(store: Store, nick: string, at = 1_700_000_000_000) {
  const customerId = newId();
  const conversationId = newId();
  store.tx(() => {
    store.customers.insert({ id: customerId, nick, group_id: null, remark: '', first_seen_at: at, updated_at: at });
    store.conversations.insert({
      id: conversationId,
      customer_id: customerId,
      agent_id: null,
      status: 'open',
      last_message_at: at,
      last_message_preview: '',
      unread_count: 0,
      waiting_since: null,
      created_at: at,
      ended_at: null,
    });
  });
  return { customerId, conversationId };
}
