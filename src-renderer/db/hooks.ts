import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useSyncExternalStore } from 'react';
import type { ContractError } from '../../shared/contract/errors';
import type { ConversationSummary, Customer, CustomerGroup, Order, PickerPhrase, ReplyGroup, Tag } from '../../shared/domain/types';
import type { MutationArgs, MutationName } from '../../shared/sync/mutations';
import { joinCustomer, joinOrder, tagsOf, type ReplicaMessage } from '../../shared/sync/replica';
import type { SyncNotice } from './replicaDb';
import { useSyncEngine } from './SyncContext';

/**
 * The desk's reads: live queries over the replica. Each re-runs when a table range it read changes
 * (a pulled chunk, an optimistic write), so components re-render with the new rows and nothing else.
 * `undefined` while the first answer is on its way; `null` while the replica is being built.
 */

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Open conversations with the buyer's nick, tags and group joined in (the list's rows). */
export function useReplicaConversations(): ConversationSummary[] | null | undefined {
  const { db } = useSyncEngine();
  return useLiveQuery(async () => {
    if (!(await db.getMeta('ready', false))) return null;
    const conversations = await db.conversations.where('status').equals('open').toArray();
    const customerIds = [...new Set(conversations.map((c) => c.customerId))];
    const [customers, memberships, tags] = await Promise.all([
      db.customers.bulkGet(customerIds),
      db.memberships.where('customerId').anyOf(customerIds).toArray(),
      db.tags.toArray(),
    ]);
    const customerById = new Map(customers.filter((c) => c !== undefined).map((c) => [c.id, c]));
    const tagById = new Map(tags.map((t) => [t.id, t]));
    const membershipsOf = new Map<string, typeof memberships>();
    for (const m of memberships) {
      const list = membershipsOf.get(m.customerId);
      if (list) list.push(m);
      else membershipsOf.set(m.customerId, [m]);
    }
    return conversations.map((c): ConversationSummary => {
      const customer = customerById.get(c.customerId);
      return {
        ...c,
        customerNick: customer?.nick ?? '',
        customerGroupId: customer?.groupId ?? null,
        customerTags: tagsOf(membershipsOf.get(c.customerId) ?? [], tagById),
      };
    });
  }, [db]);
}

/** The replica's window of a conversation's messages (its newest ones and this desk's unconfirmed replies), in time order. */
export function useReplicaMessages(conversationId: string | null): ReplicaMessage[] | undefined {
  const { db } = useSyncEngine();
  return useLiveQuery(
    async () => {
      if (!conversationId) return [];
      return db.messages.where('[conversationId+createdAt]').between([conversationId, -Infinity], [conversationId, Infinity]).toArray();
    },
    [db, conversationId],
  );
}

/** One buyer with tags. */
export function useReplicaCustomer(customerId: string): Customer | null | undefined {
  const { db } = useSyncEngine();
  return useLiveQuery(async () => {
    const customer = await db.customers.get(customerId);
    if (!customer) return null;
    const memberships = await db.memberships.where('customerId').equals(customerId).toArray();
    const tags = await db.tags.bulkGet(memberships.map((m) => m.tagId));
    return joinCustomer(customer, memberships, new Map(tags.filter((t) => t !== undefined).map((t) => [t.id, t])));
  }, [db, customerId]);
}

/** Every customer tag of the shop (ids are made at creation, so id order is creation order). */
export function useReplicaTags(): Tag[] | undefined {
  const { db } = useSyncEngine();
  return useLiveQuery(async () => (await db.tags.toArray()).sort(byId), [db]);
}

export function useReplicaGroups(): CustomerGroup[] | undefined {
  const { db } = useSyncEngine();
  return useLiveQuery(async () => (await db.groups.toArray()).sort(byId), [db]);
}

/** A buyer's orders with the seller's notes, newest first. */
export function useReplicaOrders(customerId: string): Order[] | undefined {
  const { db } = useSyncEngine();
  return useLiveQuery(async () => {
    const orders = await db.orders.where('customerId').equals(customerId).toArray();
    const notes = await db.orderNotes.bulkGet(orders.map((o) => o.id));
    return orders.map((o, i) => joinOrder(o, notes[i])).sort((a, b) => b.createdAt - a.createdAt || byId(a, b));
  }, [db, customerId]);
}

/** The picker's phrases and groups: groups team first, then by their order; phrases by their order. */
export function useReplicaPhrases(): { groups: ReplyGroup[]; phrases: PickerPhrase[] } | undefined {
  const { db } = useSyncEngine();
  return useLiveQuery(async () => {
    const [groups, phrases] = await Promise.all([db.phraseGroups.toArray(), db.phrases.toArray()]);
    groups.sort((a, b) => (a.scope === b.scope ? a.sort - b.sort || byName(a, b) : a.scope === 'team' ? -1 : 1));
    phrases.sort((a, b) => a.sort - b.sort || byId(a, b));
    return { groups, phrases };
  }, [db]);
}

/** Actions the core refused (other than replies, which show failed in the chat), for the desk to say so. */
export function useSyncNotices(): { notices: SyncNotice[]; dismiss: (id: number) => void } {
  const engine = useSyncEngine();
  const notices = useLiveQuery(() => engine.db.notices.toArray(), [engine], []);
  const dismiss = useCallback((id: number) => void engine.db.notices.delete(id), [engine]);
  return { notices, dismiss };
}

/**
 * `mutate(name, args)`: the desk's one way to change what the replica holds. It never rejects: it
 * gives the mutation's id, or null when the action could not be saved even locally (the desk then
 * says so in its sync banner), so callers may fire and forget.
 */
export function useMutate(): <N extends MutationName>(name: N, args: MutationArgs<N>) => Promise<string | null> {
  const engine = useSyncEngine();
  return useCallback(
    (name, args) =>
      engine.mutate(name, args).catch((error: unknown) => {
        engine.reportLocalFailure(error);
        return null;
      }),
    [engine],
  );
}

/** Sends a refused reply again (same message id). */
export function useRetrySend(): (messageId: string) => Promise<void> {
  const engine = useSyncEngine();
  return useCallback((messageId: string) => engine.retrySend(messageId), [engine]);
}

/**
 * What is going wrong, for the desk to say: `sync` why syncing fails (other than an unreachable
 * core), `local` why the last action could not be saved on this computer; null when nothing is.
 */
export function useSyncError(): { sync: ContractError | null; local: ContractError | null } {
  const engine = useSyncEngine();
  const subscribe = useCallback((onChange: () => void) => engine.onStatus(onChange), [engine]);
  const sync = useSyncExternalStore(subscribe, () => engine.error());
  const local = useSyncExternalStore(subscribe, () => engine.localFailure());
  return { sync, local };
}
