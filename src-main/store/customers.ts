import type { Customer, CustomerGroup, Tag } from '../../shared/domain/types';
import type { ChangeQueries } from './changes';
import type { Db } from './connection';
import { onPostgres, pgInsertMany } from './pg/bulkInsert';

export type CustomerRow = {
  id: string;
  nick: string;
  group_id: string | null;
  remark: string;
  first_seen_at: number;
  updated_at: number;
};
/** A new buyer of a bulk insert, with the tags she starts with. */
export type NewCustomer = { row: CustomerRow; tags: readonly { tagId: string; at: number }[] };
export type TagRow = { id: string; name: string; color: string; created_at: number };
export type CustomerGroupRow = { id: string; name: string; sort: number; created_at: number };

/** Customers, their groups (≤ 100 per shop, one per customer) and tags (many per customer). */
export function customerQueries(db: Db, changes: ChangeQueries) {
  const insertCustomer = db.prepare(
    `INSERT INTO customers (id, nick, group_id, remark, first_seen_at, updated_at)
     VALUES (@id, @nick, @group_id, @remark, @first_seen_at, @updated_at) ON CONFLICT(id) DO NOTHING`,
  );
  const insertGroup = db.prepare(
    'INSERT INTO customer_groups (id, name, sort, created_at) VALUES (@id, @name, @sort, @created_at) ON CONFLICT(id) DO NOTHING',
  );
  const insertTag = db.prepare(
    'INSERT INTO tags (id, name, color, created_at) VALUES (@id, @name, @color, @created_at) ON CONFLICT(id) DO NOTHING',
  );
  const insertCustomerTag = db.prepare(
    'INSERT INTO customer_tags (customer_id, tag_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const deleteCustomerTag = db.prepare('DELETE FROM customer_tags WHERE customer_id = ? AND tag_id = ?');
  const setGroup = db.prepare('UPDATE customers SET group_id = ?, updated_at = ? WHERE id = ?');
  const setRemark = db.prepare('UPDATE customers SET remark = ?, updated_at = ? WHERE id = ?');
  const allTags = db.prepare('SELECT id, name, color FROM tags ORDER BY created_at, name');
  const tagById = db.prepare('SELECT id, name, color FROM tags WHERE id = ?');
  const tagByName = db.prepare('SELECT id, name, color FROM tags WHERE name = ?');
  const allGroups = db.prepare('SELECT id, name FROM customer_groups ORDER BY sort, created_at, name');
  const groupById = db.prepare('SELECT id, name FROM customer_groups WHERE id = ?');
  const groupByName = db.prepare('SELECT id, name FROM customer_groups WHERE name = ?');
  const groupCount = db.prepare('SELECT count(*) FROM customer_groups').pluck();
  const byId = db.prepare('SELECT * FROM customers WHERE id = ?');
  const allIds = db.prepare('SELECT id FROM customers ORDER BY rowid').pluck();
  const tagsOf = db.prepare(
    `SELECT t.id, t.name, t.color FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
     WHERE ct.customer_id = ? ORDER BY ct.created_at, t.name`,
  );
  const allCustomerTags = db.prepare(
    `SELECT ct.customer_id, t.id, t.name, t.color FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
     ORDER BY ct.created_at, t.name`,
  );

  // The bulk insert's change rows, written by the database in the shapes `insert` and `addTag` record
  // (PostgreSQL: one statement each instead of one round trip per buyer and per tag).
  const maxRowid = db.prepare('SELECT coalesce(max(rowid), 0) FROM customers').pluck();
  const customerChangesAfter = db.prepare(
    `INSERT INTO changes (entity, entity_id, op, row, at)
     SELECT 'customer', c.id, 'upsert', json_object('id', c.id, 'nick', c.nick, 'groupId', c.group_id, 'remark', c.remark,
       'firstSeenAt', c.first_seen_at, 'tags', json('[]')), c.updated_at
     FROM customers c WHERE c.rowid > ? ORDER BY c.rowid`,
  );
  const tagChangesFor = db.prepare(
    `INSERT INTO changes (entity, entity_id, op, row, at)
     SELECT 'customer_tag', (j.value ->> 0) || ':' || (j.value ->> 1), 'upsert',
       json_object('customerId', j.value ->> 0, 'tagId', j.value ->> 1), j.value ->> 2 FROM json_each(?) j ORDER BY j.key`,
  );

  function recordCustomer(id: string, at: number): void {
    const r = byId.get(id) as CustomerRow | undefined;
    if (r) changes.append('customer', id, 'upsert', toCustomer(r, tagsOf.all(id) as Tag[]), at);
  }

  return {
    insertGroup(row: CustomerGroupRow): CustomerGroup {
      insertGroup.run(row);
      changes.append('customer_group', row.id, 'upsert', { id: row.id, name: row.name }, row.created_at);
      return { id: row.id, name: row.name };
    },
    insertTag(row: TagRow): Tag {
      insertTag.run(row);
      const tag = { id: row.id, name: row.name, color: row.color };
      changes.append('tag', row.id, 'upsert', tag, row.created_at);
      return tag;
    },
    insert(row: CustomerRow): void {
      insertCustomer.run(row);
      changes.append('customer', row.id, 'upsert', toCustomer(row, []), row.updated_at);
    },
    /**
     * New buyers in one go (a bulk seed of history): the customers, then the tags of those stored,
     * each recorded in the feed as `insert` and `addTag` record it, customers first, then the tags,
     * in the order given. A customer already stored (by id) is skipped, tags and all. On PostgreSQL
     * a few statements for the whole batch instead of two per buyer and two per tag, each a round
     * trip through the bridge (issue 14).
     */
    insertMany(batch: readonly NewCustomer[]): void {
      if (batch.length === 0) return;
      if (!onPostgres(db)) {
        const stored = batch.filter(({ row }) => {
          if (insertCustomer.run(row).changes === 0) return false;
          changes.append('customer', row.id, 'upsert', toCustomer(row, []), row.updated_at);
          return true;
        });
        for (const { row, tags } of stored) for (const t of tags) this.addTag(row.id, t.tagId, t.at);
        return;
      }
      const before = maxRowid.get() as number;
      const fresh = pgInsertMany(
        db,
        'customers',
        CUSTOMER_COLUMNS,
        'id',
        batch.map(({ row: r }) => [r.id, r.nick, r.group_id, r.remark, r.first_seen_at, r.updated_at]),
      );
      if (!fresh.some(Boolean)) return;
      customerChangesAfter.run(before);
      const seen = new Set<string>();
      const tags: [string, string, number][] = [];
      batch.forEach(({ row, tags: list }, n) => {
        if (!fresh[n]) return;
        for (const t of list) {
          const key = `${row.id}:${t.tagId}`;
          if (seen.has(key)) continue;
          seen.add(key);
          tags.push([row.id, t.tagId, t.at]);
        }
      });
      if (tags.length === 0) return;
      // The customers are new, so none of their tags is stored yet: each is recorded once.
      pgInsertMany(db, 'customer_tags', CUSTOMER_TAG_COLUMNS, null, tags);
      tagChangesFor.run(JSON.stringify(tags));
    },
    /** Returns false when the customer already had the tag (nothing changes, nothing is recorded). */
    addTag(customerId: string, tagId: string, at: number): boolean {
      if (insertCustomerTag.run(customerId, tagId, at).changes === 0) return false;
      changes.append('customer_tag', `${customerId}:${tagId}`, 'upsert', { customerId, tagId }, at);
      return true;
    },
    /** Returns false when the customer did not have the tag. */
    removeTag(customerId: string, tagId: string, at: number): boolean {
      if (deleteCustomerTag.run(customerId, tagId).changes === 0) return false;
      changes.append('customer_tag', `${customerId}:${tagId}`, 'delete', { customerId, tagId }, at);
      return true;
    },
    setGroup(customerId: string, groupId: string | null, at: number): void {
      setGroup.run(groupId, at, customerId);
      recordCustomer(customerId, at);
    },
    setRemark(customerId: string, remark: string, at: number): void {
      setRemark.run(remark, at, customerId);
      recordCustomer(customerId, at);
    },
    tags(): Tag[] {
      return allTags.all() as Tag[];
    },
    tag(id: string): Tag | undefined {
      return tagById.get(id) as Tag | undefined;
    },
    tagByName(name: string): Tag | undefined {
      return tagByName.get(name) as Tag | undefined;
    },
    groups(): CustomerGroup[] {
      return allGroups.all() as CustomerGroup[];
    },
    group(id: string): CustomerGroup | undefined {
      return groupById.get(id) as CustomerGroup | undefined;
    },
    groupByName(name: string): CustomerGroup | undefined {
      return groupByName.get(name) as CustomerGroup | undefined;
    },
    groupCount(): number {
      return groupCount.get() as number;
    },
    /** Every customer's id, oldest row first (the demo buyer channel picks its writers from them). */
    ids(): string[] {
      return allIds.all() as string[];
    },
    get(id: string): Customer | undefined {
      const r = byId.get(id) as CustomerRow | undefined;
      return r && toCustomer(r, tagsOf.all(id) as Tag[]);
    },
    /** Tags of every customer, for list views (one query instead of one per row). */
    tagsByCustomer(): Map<string, Tag[]> {
      const map = new Map<string, Tag[]>();
      for (const r of allCustomerTags.all() as (Tag & { customer_id: string })[]) {
        const list = map.get(r.customer_id) ?? [];
        list.push({ id: r.id, name: r.name, color: r.color });
        map.set(r.customer_id, list);
      }
      return map;
    },
  };
}

const CUSTOMER_COLUMNS = [
  { name: 'id', type: 'text' },
  { name: 'nick', type: 'text' },
  { name: 'group_id', type: 'text' },
  { name: 'remark', type: 'text' },
  { name: 'first_seen_at', type: 'bigint' },
  { name: 'updated_at', type: 'bigint' },
] as const;
const CUSTOMER_TAG_COLUMNS = [
  { name: 'customer_id', type: 'text' },
  { name: 'tag_id', type: 'text' },
  { name: 'created_at', type: 'bigint' },
] as const;

function toCustomer(r: CustomerRow, tags: Tag[]): Customer {
  return { id: r.id, nick: r.nick, groupId: r.group_id, remark: r.remark, firstSeenAt: r.first_seen_at, tags };
}
