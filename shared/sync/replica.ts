import type { ContractError } from '../contract/errors';
import type { OrderFlag } from '../domain/flags';
import type { RedLineRow } from '../domain/redLines/defaults';
import type {
  ConversationSummary,
  Customer,
  CustomerGroup,
  Message,
  Order,
  PickerPhrase,
  PhraseGroup,
  Tag,
  TeamAgent,
} from '../domain/types';

/**
 * What a replica holds, table by table: normalised rows (a customer's tags are membership rows, an
 * order's flag and memo are an order-note row), so an optimistic write touches one row and every
 * view that joins it sees the change.
 */
export type ReplicaConversation = Omit<ConversationSummary, 'customerNick' | 'customerTags' | 'customerGroupId'>;
export type ReplicaCustomer = Omit<Customer, 'tags'>;
export type Membership = { customerId: string; tagId: string; /** when the tag was put on (orders the chips) */ at: number };
export type ReplicaOrder = Omit<Order, 'flag' | 'memo'>;
export type OrderNote = { orderId: string; flag: OrderFlag; memo: string };

/**
 * A message written on this desk whose stored copy has not been pulled yet: pending (not yet
 * acknowledged), sent (the core's push answer said applied: shown as sent at once, issue 18), or
 * refused (failed, with retry).
 */
export type LocalState = {
  status: 'pending' | 'sent' | 'failed';
  mutationId: string;
  error: ContractError | null;
  /** A picture reply's own bytes as a `data:` URL of a checked type, shown until the stored copy is pulled. */
  image?: string;
};
export type ReplicaMessage = Message & { local?: LocalState };

export type ReplicaRows = {
  conversations: ReplicaConversation;
  customers: ReplicaCustomer;
  tags: Tag;
  memberships: Membership;
  customerGroups: CustomerGroup;
  phrases: PickerPhrase;
  phraseGroups: PhraseGroup;
  orders: ReplicaOrder;
  orderNotes: OrderNote;
  messages: ReplicaMessage;
  /** The shop's red-line words and exceptions (the composer's check). */
  redLines: RedLineRow;
  /** The team's roster: owners' nicks in the list, the transfer dialog, the supervisor's view. */
  agents: TeamAgent;
};

export type ReplicaTable = keyof ReplicaRows;

export const REPLICA_TABLES: readonly ReplicaTable[] = [
  'conversations',
  'customers',
  'tags',
  'memberships',
  'customerGroups',
  'phrases',
  'phraseGroups',
  'orders',
  'orderNotes',
  'messages',
  'redLines',
  'agents',
];

/** A row's primary key: an id, or [customerId, tagId] for memberships. */
export type RowKey = string | [string, string];

export function keyOf<T extends ReplicaTable>(table: T, row: ReplicaRows[T]): RowKey {
  if (table === 'memberships') {
    const m = row as Membership;
    return [m.customerId, m.tagId];
  }
  if (table === 'orderNotes') return (row as OrderNote).orderId;
  return (row as { id: string }).id;
}

/** A key as a string, for maps and the shadow table. Ids hold letters, digits, _ and - only, so ':' cannot be in one. */
export function keyString(key: RowKey): string {
  return typeof key === 'string' ? key : `${key[0]}:${key[1]}`;
}

/** Replica rows from the domain shapes the feed carries. */
export function toReplicaConversation(c: ReplicaConversation & Partial<ConversationSummary>): ReplicaConversation {
  return {
    id: c.id,
    customerId: c.customerId,
    agentId: c.agentId,
    status: c.status,
    lastMessageAt: c.lastMessageAt,
    lastMessagePreview: c.lastMessagePreview,
    unreadCount: c.unreadCount,
    waitingSince: c.waitingSince,
  };
}

export function toReplicaAgent(a: TeamAgent): TeamAgent {
  return { id: a.id, nick: a.nick, role: a.role, state: a.state, present: a.present, maxOpen: a.maxOpen, disabled: a.disabled };
}

export function toReplicaCustomer(c: ReplicaCustomer & { tags?: Tag[] }): ReplicaCustomer {
  return { id: c.id, nick: c.nick, groupId: c.groupId, remark: c.remark, firstSeenAt: c.firstSeenAt };
}

export function splitOrder(o: Order): { order: ReplicaOrder; note: OrderNote } {
  const { flag, memo, ...order } = o;
  return { order, note: { orderId: o.id, flag, memo } };
}

/** The domain shapes back from replica rows (what the feature hooks hand to components). */
export function joinCustomer(c: ReplicaCustomer, memberships: Membership[], tags: Map<string, Tag>): Customer {
  return { ...c, tags: tagsOf(memberships, tags) };
}

export function tagsOf(memberships: Membership[], tags: Map<string, Tag>): Tag[] {
  // The core's order: when the tag was put on, then the tag's name.
  return memberships
    .map((m) => ({ at: m.at, tag: tags.get(m.tagId) }))
    .filter((x): x is { at: number; tag: Tag } => x.tag !== undefined)
    .sort((a, b) => a.at - b.at || (a.tag.name < b.tag.name ? -1 : a.tag.name > b.tag.name ? 1 : 0))
    .map((x) => x.tag);
}

export function joinOrder(o: ReplicaOrder, note: OrderNote | undefined): Order {
  return { ...o, flag: note?.flag ?? 0, memo: note?.memo ?? '' };
}

/** Message order everywhere: time, then id (ids are UUIDv7, so creation order breaks ties). */
export function byMessageTime(a: Message, b: Message): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
