import type { Tag } from '../../shared/domain/types';
import type { AgentRow } from './agents';
import type { Db } from './connection';
import type { CustomerGroupRow } from './customers';

/**
 * What the bulk history seeder (`jiedai seed-demo --messages N`, the export benchmark) reads before it
 * writes: the shop's agents, tags and groups to hand out, and the nicks and order numbers already taken.
 * Its writes go through the domain queries, so change-feed rows are written as for any other write.
 */
export function seedingQueries(db: Db) {
  const agents = db.prepare('SELECT * FROM agents ORDER BY created_at, rowid');
  const tags = db.prepare('SELECT id, name, color FROM tags ORDER BY created_at, name');
  const groups = db.prepare('SELECT * FROM customer_groups ORDER BY sort, created_at');
  const nicks = db.prepare('SELECT nick FROM customers').pluck();
  const orderNos = db.prepare('SELECT order_no FROM orders').pluck();
  return {
    agents: () => agents.all() as AgentRow[],
    tags: () => tags.all() as Tag[],
    groups: () => groups.all() as CustomerGroupRow[],
    customerNicks: () => new Set(nicks.all() as string[]),
    orderNos: () => new Set(orderNos.all() as string[]),
  };
}
