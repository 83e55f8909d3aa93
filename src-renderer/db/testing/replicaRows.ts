import type { ReplicaRows } from '../../../shared/sync/replica';
import type { OutboxEntry } from '../replicaDb';
import { ReplicaDb } from '../replicaDb';

let n = 0;

/** A fresh replica (fake-indexeddb in the renderer tests); `close` deletes it. */
export function freshReplica(): ReplicaDb & { dispose(): Promise<void> } {
  const db = new ReplicaDb(`seam-test-${++n}-${Date.now()}`) as ReplicaDb & { dispose(): Promise<void> };
  db.dispose = async () => {
    db.close();
    await db.delete();
  };
  return db;
}

export const conversation = (id: string, over: Partial<ReplicaRows['conversations']> = {}): ReplicaRows['conversations'] => ({
  id,
  customerId: `cust-${id}`,
  agentId: null,
  status: 'open',
  lastMessageAt: 1_000,
  lastMessagePreview: '在吗',
  unreadCount: 2,
  waitingSince: 1_000,
  ...over,
});

export const customer = (id: string, over: Partial<ReplicaRows['customers']> = {}): ReplicaRows['customers'] => ({
  id,
  nick: `买家${id}`,
  groupId: null,
  remark: '',
  firstSeenAt: 0,
  ...over,
});

export const order = (id: string, customerId: string): ReplicaRows['orders'] => ({
  id,
  orderNo: `NO-${id}`,
  customerId,
  status: 'shipped',
  amountCents: 100,
  address: '杭州',
  logisticsCompany: null,
  trackingNo: null,
  createdAt: 0,
  paidAt: 0,
  items: [],
});

export const phrase = (id: string, over: Partial<ReplicaRows['phrases']> = {}): ReplicaRows['phrases'] => ({
  id,
  scope: 'team',
  groupId: 'g1',
  code: 'fh',
  title: '发货',
  content: '今天发货',
  searchKeys: 'fh',
  useCount: 3,
  lastUsedAt: null,
  sort: 0,
  ...over,
});

/** An outbox entry as the engine queues it. */
export function entry(name: OutboxEntry['name'], args: unknown, over: Partial<OutboxEntry> = {}): OutboxEntry {
  return { mutationId: `mut-${++n}`, name, args, createdAt: 5_000, status: 'pending', ...over };
}
