import type { Db } from './connection';

/** Tables whose row counts `jiedai stats` reports. A fixed list: table names are never taken from input. */
export const COUNTED_TABLES = [
  'agents',
  'customers',
  'customer_groups',
  'tags',
  'customer_tags',
  'reply_groups',
  'replies',
  'conversations',
  'messages',
  'orders',
  'order_items',
  'order_notes',
  'order_memo_history',
  'mutations',
  'changes',
] as const;

export function statsQueries(db: Db) {
  const counters = COUNTED_TABLES.map((t) => [t, db.prepare(`SELECT count(*) FROM ${t}`).pluck()] as const);
  return {
    counts(): Record<string, number> {
      return Object.fromEntries(counters.map(([t, stmt]) => [t, stmt.get() as number]));
    },
  };
}
