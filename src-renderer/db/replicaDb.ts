import Dexie, { type DexieOptions, type Table } from 'dexie';
import type { ContractError } from '../../shared/contract/errors';
import type { MutationName } from '../../shared/sync/mutations';
import type { ReplicaRows, ReplicaTable, RowKey } from '../../shared/sync/replica';

/** An agent action waiting for the core (the outbox). Kept across reloads; dropped once a pulled change covers it. */
export type OutboxEntry = {
  /** Queue order (auto-increment). */
  seq?: number;
  mutationId: string;
  name: MutationName;
  args: unknown;
  createdAt: number;
  /** pending: not yet covered; rejected: the core refused it (a reply shows as failed with a retry). */
  status: 'pending' | 'rejected';
  /** Where the core's record of it sits in the feed, once known (from a push answer or a pulled change). */
  doneSeq?: number;
  outcome?: 'applied' | 'rejected';
  error?: ContractError | null;
};

/** The server value of a row an optimistic write changed (null: it did not exist), restored before each rebase. */
export type Shadow = { id: string; table: ReplicaTable; key: RowKey; row: unknown };

/** A refused action other than a reply, for the desk to say so once. */
export type SyncNotice = { id?: number; name: MutationName; args: unknown; error: ContractError; at: number };

export type MetaKey = 'cursor' | 'feedId' | 'protocol' | 'clientId' | 'ready' | 'agentId' | 'rebuild' | 'ended';
export type MetaRow = { key: MetaKey; value: unknown };

/**
 * The renderer's replica of the shop (IndexedDB through Dexie): one database class, one instance per
 * window. Replica tables hold what the desk renders at once; `meta` the cursor and identity; `outbox`
 * the agent's actions not yet covered; `shadows` the server values under optimistic writes.
 */
export class ReplicaDb extends Dexie {
  conversations!: Table<ReplicaRows['conversations'], string>;
  customers!: Table<ReplicaRows['customers'], string>;
  tags!: Table<ReplicaRows['tags'], string>;
  memberships!: Table<ReplicaRows['memberships'], [string, string]>;
  customerGroups!: Table<ReplicaRows['customerGroups'], string>;
  phrases!: Table<ReplicaRows['phrases'], string>;
  phraseGroups!: Table<ReplicaRows['phraseGroups'], string>;
  orders!: Table<ReplicaRows['orders'], string>;
  orderNotes!: Table<ReplicaRows['orderNotes'], string>;
  messages!: Table<ReplicaRows['messages'], string>;
  redLines!: Table<ReplicaRows['redLines'], string>;
  agents!: Table<ReplicaRows['agents'], string>;
  meta!: Table<MetaRow, MetaKey>;
  outbox!: Table<OutboxEntry, number>;
  shadows!: Table<Shadow, string>;
  notices!: Table<SyncNotice, number>;

  constructor(name: string, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({
      conversations: 'id, status',
      customers: 'id',
      tags: 'id',
      memberships: '[customerId+tagId], customerId, tagId',
      groups: 'id',
      phrases: 'id, groupId',
      phraseGroups: 'id',
      orders: 'id, customerId',
      orderNotes: 'orderId',
      messages: 'id, conversationId, [conversationId+createdAt]',
      meta: 'key',
      outbox: '++seq, &mutationId',
      shadows: 'id',
      notices: '++id',
    });
    // 2: `groups` became `customerGroups` (sync protocol 2 rebuilds the replica tables, so nothing is copied).
    this.version(2).stores({ groups: null, customerGroups: 'id' });
    // 3: the shop's red-line list (sync protocol 3 rebuilds the replica, which fills it).
    this.version(3).stores({ redLines: 'id' });
    // 4: the team's roster (sync protocol 4 rebuilds the replica, which fills it).
    this.version(4).stores({ agents: 'id' });
  }

  /** A replica table by name (for code that works on any of them). */
  replica<T extends ReplicaTable>(table: T): Table<ReplicaRows[T], RowKey> {
    return this.table(table) as unknown as Table<ReplicaRows[T], RowKey>;
  }

  /** Every table: what a sync transaction spans. */
  all(): Table[] {
    return this.tables;
  }

  async getMeta<T>(key: MetaKey, fallback: T): Promise<T> {
    const row = await this.meta.get(key);
    return row === undefined ? fallback : (row.value as T);
  }

  setMeta(key: MetaKey, value: unknown): Promise<MetaKey> {
    return this.meta.put({ key, value });
  }
}

export const DEFAULT_REPLICA_NAME = 'jiedai-replica';
