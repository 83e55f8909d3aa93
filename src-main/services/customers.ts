import { AppError } from '../../shared/contract/errors';
import type { Customer, CustomerGroup, Tag } from '../../shared/domain/types';
import type { Store } from '../store';
import type { Clock } from './conversations';

/** The marketplace allows this many customer groups per shop. */
export const MAX_CUSTOMER_GROUPS = 100;

/**
 * What agents keep about a buyer: tags (many; every agent sees them on the list and the chat header),
 * one customer group (≤ 100 per shop) and a remark. Each change is one transaction (its commit pokes
 * the replicas).
 */
export function customerService(store: Store, now: Clock) {
  function customerOrThrow(id: string): Customer {
    const customer = store.customers.get(id);
    if (!customer) throw new AppError('not_found', `no customer ${id}`);
    return customer;
  }

  /** The list's summaries carry the buyer's tags: record them again in the feed. */
  function touchConversations(customerId: string, at: number): void {
    for (const id of store.conversations.openIdsForCustomer(customerId)) store.conversations.recordChange(id, at);
  }

  return {
    get: customerOrThrow,
    tags: (): Tag[] => store.customers.tags(),
    groups: (): CustomerGroup[] => store.customers.groups(),

    createTag(args: { id: string; name: string; color: string }): Tag {
      const name = args.name.trim();
      const existing = store.customers.tagByName(name);
      if (existing) return existing; // the same name is the same tag
      return store.tx(() => store.customers.insertTag({ id: args.id, name, color: args.color, created_at: now() }));
    },

    addTag(customerId: string, tagId: string): Customer {
      return store.tx(() => {
        customerOrThrow(customerId);
        if (!store.customers.tag(tagId)) throw new AppError('not_found', `no tag ${tagId}`);
        const at = now();
        store.customers.addTag(customerId, tagId, at);
        touchConversations(customerId, at);
        return customerOrThrow(customerId);
      });
    },

    removeTag(customerId: string, tagId: string): Customer {
      return store.tx(() => {
        customerOrThrow(customerId);
        const at = now();
        if (store.customers.removeTag(customerId, tagId, at)) touchConversations(customerId, at);
        return customerOrThrow(customerId);
      });
    },

    createGroup(args: { id: string; name: string }): CustomerGroup {
      const name = args.name.trim();
      const existing = store.customers.groupByName(name);
      if (existing) return existing;
      return store.tx(() => {
        if (store.customers.groupCount() >= MAX_CUSTOMER_GROUPS) {
          throw new AppError('limit_exceeded', `a shop has at most ${MAX_CUSTOMER_GROUPS} customer groups`, { limit: MAX_CUSTOMER_GROUPS });
        }
        return store.customers.insertGroup({ id: args.id, name, sort: store.customers.groupCount(), created_at: now() });
      });
    },

    setGroup(customerId: string, groupId: string | null): Customer {
      return store.tx(() => {
        customerOrThrow(customerId);
        if (groupId !== null && !store.customers.group(groupId)) throw new AppError('not_found', `no customer group ${groupId}`);
        const at = now();
        store.customers.setGroup(customerId, groupId, at);
        touchConversations(customerId, at);
        return customerOrThrow(customerId);
      });
    },

    setRemark(customerId: string, remark: string): Customer {
      return store.tx(() => {
        customerOrThrow(customerId);
        store.customers.setRemark(customerId, remark, now());
        return customerOrThrow(customerId);
      });
    },
  };
}

export type CustomerService = ReturnType<typeof customerService>;
