import type { RedLineCategory } from '../../shared/domain/redLines/defaults';
import type {
  AgentRole,
  ConversationSummary,
  Customer,
  CustomerGroup,
  Order,
  PickerPhrase,
  PhraseGroup,
  Tag,
  TeamAgent,
} from '../../shared/domain/types';
import { joinCustomer, joinOrder, tagsOf, type ReplicaMessage } from '../../shared/sync/replica';
import type { ReplicaDb } from './replicaDb';

/**
 * The desk's reads over the replica, as plain async functions: the hooks run them as live queries
 * (re-run when a table range they read changes), and the bench times them the same way.
 */

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Open conversations with the buyer's nick, tags and group joined in (the list's rows); null while the replica is first built. */
export async function conversationSummaries(db: ReplicaDb): Promise<ConversationSummary[] | null> {
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
}

/** The replica's window of a conversation's messages (its newest ones and this desk's unconfirmed replies), in time order. */
export function messagesOf(db: ReplicaDb, conversationId: string | null): Promise<ReplicaMessage[]> {
  if (!conversationId) return Promise.resolve([]);
  return db.messages.where('[conversationId+createdAt]').between([conversationId, -Infinity], [conversationId, Infinity]).toArray();
}

/** One buyer with tags (null when the replica does not hold them). */
export async function customerWithTags(db: ReplicaDb, customerId: string): Promise<Customer | null> {
  const customer = await db.customers.get(customerId);
  if (!customer) return null;
  const memberships = await db.memberships.where('customerId').equals(customerId).toArray();
  const tags = await db.tags.bulkGet(memberships.map((m) => m.tagId));
  return joinCustomer(customer, memberships, new Map(tags.filter((t) => t !== undefined).map((t) => [t.id, t])));
}

const ROLE_ORDER: Record<AgentRole, number> = { agent: 0, supervisor: 1, owner: 2 };

/** The team's roster: agents, then supervisors, then the owner, each by nick (disabled accounts too; callers leave them out). */
export async function agentList(db: ReplicaDb): Promise<TeamAgent[]> {
  return (await db.agents.toArray()).sort(
    (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.nick.localeCompare(b.nick, 'zh-CN') || (a.id < b.id ? -1 : 1),
  );
}

/** Every customer tag of the shop (ids are made at creation, so id order is creation order). */
export async function tagList(db: ReplicaDb): Promise<Tag[]> {
  return (await db.tags.toArray()).sort(byId);
}

export async function groupList(db: ReplicaDb): Promise<CustomerGroup[]> {
  return (await db.customerGroups.toArray()).sort(byId);
}

/** A buyer's orders with the seller's notes, newest first. */
export async function ordersOf(db: ReplicaDb, customerId: string): Promise<Order[]> {
  const orders = await db.orders.where('customerId').equals(customerId).toArray();
  const notes = await db.orderNotes.bulkGet(orders.map((o) => o.id));
  return orders.map((o, i) => joinOrder(o, notes[i])).sort((a, b) => b.createdAt - a.createdAt || byId(a, b));
}

/** The picker's phrases and groups: groups team first, then by their order; phrases by their order. */
export async function phraseData(db: ReplicaDb): Promise<{ groups: PhraseGroup[]; phrases: PickerPhrase[] }> {
  const [groups, phrases] = await Promise.all([db.phraseGroups.toArray(), db.phrases.toArray()]);
  groups.sort((a, b) => (a.scope === b.scope ? a.sort - b.sort || byName(a, b) : a.scope === 'team' ? -1 : 1));
  phrases.sort((a, b) => a.sort - b.sort || byId(a, b));
  return { groups, phrases };
}

/**
 * What the desk changed and the core has not confirmed: a tag on a buyer (id `customerId:tagId`),
 * a buyer's group or remark (id: the customer's), an order's flag or memo (id: the order's).
 */
export type PendingField = 'tag' | 'group' | 'remark' | 'orderNotes';

/** What this desk has done that the core has not confirmed yet: how many actions, and what they changed. */
export type PendingActions = { count: number; has: (field: PendingField, id: string) => boolean };

export async function pendingActions(db: ReplicaDb): Promise<PendingActions> {
  const pending = (await db.outbox.toArray()).filter((e) => e.status === 'pending');
  const changed = new Set<string>();
  for (const e of pending) {
    const args = e.args as { customerId?: string; tagId?: string; orderIds?: string[] };
    if (e.name === 'customers.addTag') changed.add(`tag:${args.customerId}:${args.tagId}`);
    else if (e.name === 'customers.setGroup') changed.add(`group:${args.customerId}`);
    else if (e.name === 'customers.setRemark') changed.add(`remark:${args.customerId}`);
    else if (e.name === 'orders.setNotes') for (const orderId of args.orderIds ?? []) changed.add(`orderNotes:${orderId}`);
  }
  return { count: pending.length, has: (field, id) => changed.has(`${field}:${id}`) };
}

/** The shop's red-line list as the matcher takes it: words and exceptions, each in the list's order. */
export async function redLineList(db: ReplicaDb): Promise<{ words: { word: string; category: RedLineCategory }[]; exceptions: string[] }> {
  const rows = (await db.redLines.toArray()).sort((a, b) => a.sort - b.sort || byId(a, b));
  return {
    words: rows.filter((r) => r.kind === 'word').map((r) => ({ word: r.text, category: r.category ?? 'custom' })),
    exceptions: rows.filter((r) => r.kind === 'exception').map((r) => r.text),
  };
}
