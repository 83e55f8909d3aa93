import type { Tag } from '../../shared/domain/types';
import type { AgentRow } from './agents';
import type { Db } from './connection';
import type { CustomerGroupRow } from './customers';
import { onPostgres } from './pg/bulkInsert';

/** Values already used (buyer nicks, order numbers): in the store, or taken by this run. */
export type Taken = { has(value: string): boolean; add(value: string): void };

/**
 * What the bulk history seeder (`jiedai seed-demo --messages N`, the export benchmark) reads before it
 * writes: the shop's agents, tags and groups to hand out, and the nicks and order numbers already taken.
 * Its writes go through the domain queries, so change-feed rows are written as for any other write.
 */
export function seedingQueries(db: Db) {
  const agents = db.prepare('SELECT * FROM agents ORDER BY created_at, rowid');
  const tags = db.prepare('SELECT id, name, color FROM tags ORDER BY created_at, name');
  const groups = db.prepare('SELECT * FROM customer_groups ORDER BY sort, created_at');
  const nickTaken = db.prepare('SELECT 1 FROM customers WHERE nick = ?').pluck();
  const orderNoTaken = db.prepare('SELECT 1 FROM orders WHERE order_no = ?').pluck();
  const allNicks = db.prepare('SELECT nick FROM customers').pluck();
  const allOrderNos = db.prepare('SELECT order_no FROM orders').pluck();
  /**
   * A value is taken when the store holds it (a lookup in its UNIQUE index) or this run took it
   * already (an order of the batch not yet written). The same answers as reading every value into a
   * set first, without reading them all at each call: a seed of many calls stays linear.
   */
  const taken = (stored: { get(value: string): unknown }): Taken => {
    const mine = new Set<string>();
    return {
      has: (value) => mine.has(value) || stored.get(value) !== undefined,
      add: (value) => void mine.add(value),
    };
  };
  /**
   * On PostgreSQL a lookup is a round trip through the bridge (one per new buyer and per order, the
   * most of a seed's statements after the bulk inserts, issue 14): there the values are read once,
   * in one statement, at the start of the call.
   */
  const read = (all: { all(): unknown[] }): Taken => {
    const values = new Set(all.all() as string[]);
    return { has: (value) => values.has(value), add: (value) => void values.add(value) };
  };
  const pg = onPostgres(db);
  return {
    agents: () => agents.all() as AgentRow[],
    tags: () => tags.all() as Tag[],
    groups: () => groups.all() as CustomerGroupRow[],
    customerNicks: () => (pg ? read(allNicks) : taken(nickTaken)),
    orderNos: () => (pg ? read(allOrderNos) : taken(orderNoTaken)),
  };
}
