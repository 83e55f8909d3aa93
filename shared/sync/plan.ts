import type { Change, EntityRows, MutationRecord, SnapshotRow } from './protocol';
import {
  keyOf,
  keyString,
  splitOrder,
  toReplicaAgent,
  toReplicaConversation,
  toReplicaCustomer,
  type ReplicaRows,
  type ReplicaTable,
  type RowKey,
} from './replica';

/**
 * Apply-order rules, as a pure plan: what a chunk of feed changes (or snapshot rows) does to the
 * replica's tables. The client executes the plan in one transaction together with the cursor.
 *
 * - Changes apply in feed order; within a chunk only the last write of each key survives.
 * - Messages are kept for conversations the replica holds (open ones); a conversation that ends
 *   leaves the replica with its messages.
 * - An order row updates the order and its note (flag, memo) in their separate tables.
 * - A `mutation` change is not data: it reports that a pushed mutation was applied or rejected.
 */
export type TableWrite<T extends ReplicaTable> = { key: RowKey; row: ReplicaRows[T] | null };

export type ReplicaPlan = {
  writes: { [T in ReplicaTable]: Map<string, TableWrite<T>> };
  /** Conversations that left the replica: delete every message of theirs it still holds. */
  dropMessagesOf: Set<string>;
  /** Conversations that received messages (the client trims their window). */
  messagesAddedTo: Set<string>;
  /** Mutation records met in the chunk, with their feed position. */
  outcomes: (MutationRecord & { seq: number })[];
  /** Conversations the replica did not hold before the chunk and holds after it: their earlier messages are not in the chunk. */
  entered: Set<string>;
};

export function emptyPlan(): ReplicaPlan {
  return {
    writes: {
      conversations: new Map(),
      customers: new Map(),
      tags: new Map(),
      memberships: new Map(),
      customerGroups: new Map(),
      phrases: new Map(),
      phraseGroups: new Map(),
      orders: new Map(),
      orderNotes: new Map(),
      messages: new Map(),
      redLines: new Map(),
      agents: new Map(),
    },
    dropMessagesOf: new Set(),
    messagesAddedTo: new Set(),
    outcomes: [],
    entered: new Set(),
  };
}

type Planner = {
  plan: ReplicaPlan;
  /** Whether the replica holds this conversation (before the chunk); the chunk's own changes override it. */
  heldBefore: (conversationId: string) => boolean;
  held: Map<string, boolean>;
};

function put<T extends ReplicaTable>(p: ReplicaPlan, table: T, row: ReplicaRows[T]): void {
  const key = keyOf(table, row);
  (p.writes[table] as Map<string, TableWrite<T>>).set(keyString(key), { key, row });
}

function remove(p: ReplicaPlan, table: ReplicaTable, key: RowKey): void {
  p.writes[table].set(keyString(key), { key, row: null });
}

function holds(pl: Planner, conversationId: string): boolean {
  return pl.held.get(conversationId) ?? pl.heldBefore(conversationId);
}

function step(pl: Planner, entity: keyof EntityRows, id: string, op: 'upsert' | 'delete', row: unknown, seq: number): void {
  const p = pl.plan;
  const upsert = op === 'upsert';
  switch (entity) {
    case 'agent':
      if (upsert) put(p, 'agents', toReplicaAgent(row as EntityRows['agent']));
      else remove(p, 'agents', id);
      return;
    case 'tag':
      if (upsert) put(p, 'tags', row as EntityRows['tag']);
      else remove(p, 'tags', id);
      return;
    case 'customer_group':
      if (upsert) put(p, 'customerGroups', row as EntityRows['customer_group']);
      else remove(p, 'customerGroups', id);
      return;
    case 'customer':
      if (upsert) put(p, 'customers', toReplicaCustomer(row as EntityRows['customer']));
      else remove(p, 'customers', id);
      return;
    case 'customer_tag': {
      const m = row as EntityRows['customer_tag'];
      if (upsert) put(p, 'memberships', { customerId: m.customerId, tagId: m.tagId, at: m.at ?? 0 });
      else remove(p, 'memberships', [m.customerId, m.tagId]);
      return;
    }
    case 'conversation': {
      const c = row as EntityRows['conversation'];
      if (upsert && c.status === 'open') {
        put(p, 'conversations', toReplicaConversation(c));
        pl.held.set(id, true);
      } else {
        remove(p, 'conversations', id);
        pl.held.set(id, false);
        p.dropMessagesOf.add(id);
        // Messages of this conversation planned earlier in the chunk go too.
        for (const [k, w] of p.writes.messages) if (w.row?.conversationId === id) p.writes.messages.delete(k);
      }
      return;
    }
    case 'message': {
      const m = row as EntityRows['message'];
      if (!upsert) remove(p, 'messages', id);
      else if (holds(pl, m.conversationId)) {
        put(p, 'messages', m);
        p.messagesAddedTo.add(m.conversationId);
      }
      return;
    }
    case 'order': {
      if (!upsert) {
        remove(p, 'orders', id);
        remove(p, 'orderNotes', id);
        return;
      }
      const { order, note } = splitOrder(row as EntityRows['order']);
      put(p, 'orders', order);
      put(p, 'orderNotes', note);
      return;
    }
    case 'phrase_group':
      if (upsert) put(p, 'phraseGroups', row as EntityRows['phrase_group']);
      else remove(p, 'phraseGroups', id);
      return;
    case 'phrase':
      if (upsert) put(p, 'phrases', row as EntityRows['phrase']);
      else remove(p, 'phrases', id);
      return;
    case 'red_line':
      if (upsert) put(p, 'redLines', row as EntityRows['red_line']);
      else remove(p, 'redLines', id);
      return;
    case 'mutation':
      p.outcomes.push({ ...(row as MutationRecord), seq });
      return;
    default:
      // An entity this client does not know (a newer core): nothing of the replica changes.
      return;
  }
}

/** The plan of a pulled chunk, in feed order. */
export function planChanges(changes: readonly Change[], heldBefore: (conversationId: string) => boolean): ReplicaPlan {
  const pl: Planner = { plan: emptyPlan(), heldBefore, held: new Map() };
  for (const c of changes) step(pl, c.entity, c.id, c.op, c.entity === 'customer_tag' ? { ...c.row, at: c.at } : c.row, c.seq);
  for (const [id, held] of pl.held) if (held && !heldBefore(id)) pl.plan.entered.add(id);
  return pl.plan;
}

/** The plan of snapshot rows (all upserts). */
export function planSnapshot(rows: readonly SnapshotRow[], heldBefore: (conversationId: string) => boolean): ReplicaPlan {
  const pl: Planner = { plan: emptyPlan(), heldBefore, held: new Map() };
  for (const r of rows) step(pl, r.entity, r.id, 'upsert', r.row, 0);
  return pl.plan;
}

/** Conversation ids whose presence the planner will ask about (to look them up in one read). */
export function conversationsReferenced(rows: readonly { entity: string; row: unknown }[]): string[] {
  const ids = new Set<string>();
  for (const r of rows) {
    if (r.entity === 'message') ids.add((r.row as { conversationId: string }).conversationId);
    else if (r.entity === 'conversation') ids.add((r.row as { id: string }).id);
  }
  return [...ids];
}
