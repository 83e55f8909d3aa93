import { gbkByteLength, MEMO_MAX_GBK_BYTES } from '../../shared/domain/gbk';
import type { OrderFlag } from '../../shared/domain/flags';
import type { MemoEdit, Order, OrderItem, OrderStatus } from '../../shared/domain/types';
import { AppError } from '../../shared/contract/errors';
import type { ChangeQueries } from './changes';
import { onPostgres, pgInsertMany } from './pg/bulkInsert';
import type { Db } from './connection';

export type OrderRow = {
  id: string;
  order_no: string;
  customer_id: string;
  status: OrderStatus;
  amount_cents: number;
  address: string;
  logistics_company: string | null;
  tracking_no: string | null;
  created_at: number;
  paid_at: number | null;
  updated_at: number;
  /** 1: a flash-sale order (migration 0020); absent on insert: 0. */
  flash_sale?: 0 | 1;
};
export type OrderItemRow = { id: string; order_id: string; title: string; sku: string; price_cents: number; quantity: number };
export type OrderNoteRow = { order_id: string; flag: OrderFlag; memo: string; updated_by: string | null; updated_at: number };

const MEMO_HISTORY_KEEP = 10;

/** Orders with their items, and the seller's notes on them: flag (插旗) and memo (备注) with history. */
const ORDER_COLUMNS = [
  { name: 'id', type: 'text' },
  { name: 'order_no', type: 'text' },
  { name: 'customer_id', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'amount_cents', type: 'bigint' },
  { name: 'address', type: 'text' },
  { name: 'logistics_company', type: 'text' },
  { name: 'tracking_no', type: 'text' },
  { name: 'created_at', type: 'bigint' },
  { name: 'paid_at', type: 'bigint' },
  { name: 'updated_at', type: 'bigint' },
  { name: 'flash_sale', type: 'bigint' },
] as const;
const ITEM_COLUMNS = [
  { name: 'id', type: 'text' },
  { name: 'order_id', type: 'text' },
  { name: 'title', type: 'text' },
  { name: 'sku', type: 'text' },
  { name: 'price_cents', type: 'bigint' },
  { name: 'quantity', type: 'bigint' },
] as const;

export function orderQueries(db: Db, changes: ChangeQueries) {
  // Statements naming `flash_sale` (migration 0020) are prepared on first use: a store opened over an
  // older schema (a migration's test) never needs them.
  let flashPrepared: ReturnType<typeof prepareFlash> | undefined;
  const prepareFlash = () => ({
    insertOrder: db.prepare(
      `INSERT INTO orders (id, order_no, customer_id, status, amount_cents, address, logistics_company, tracking_no,
         created_at, paid_at, updated_at, flash_sale)
       VALUES (@id, @order_no, @customer_id, @status, @amount_cents, @address, @logistics_company, @tracking_no,
         @created_at, @paid_at, @updated_at, @flash_sale) ON CONFLICT(id) DO NOTHING`,
    ),
    insertOrderPositional: db.prepare(
      `INSERT INTO orders (id, order_no, customer_id, status, amount_cents, address, logistics_company, tracking_no,
         created_at, paid_at, updated_at, flash_sale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
    ),
    // The change rows of a batch, written by SQLite key for key in the shape of `toOrder` (items in
    // rowid order, flag and memo from the note or their defaults): one statement, not four per order.
    changesAfter: db.prepare(
      `INSERT INTO changes (entity, entity_id, op, row, at)
       SELECT 'order', o.id, 'upsert', json_object('id', o.id, 'orderNo', o.order_no, 'customerId', o.customer_id, 'status', o.status,
         'amountCents', o.amount_cents, 'address', o.address, 'logisticsCompany', o.logistics_company, 'trackingNo', o.tracking_no,
         'createdAt', o.created_at, 'paidAt', o.paid_at, 'flashSale', json(CASE WHEN o.flash_sale = 1 THEN 'true' ELSE 'false' END),
         'items', (SELECT json_group_array(json_object('id', i.id, 'title', i.title, 'sku', i.sku, 'priceCents', i.price_cents, 'quantity', i.quantity) ORDER BY i.rowid)
                   FROM order_items i WHERE i.order_id = o.id),
         'flag', coalesce(n.flag, 0), 'memo', coalesce(n.memo, '')), o.updated_at
       FROM orders o LEFT JOIN order_notes n ON n.order_id = o.id WHERE o.rowid > ? ORDER BY o.rowid`,
    ),
  });
  const fq = () => (flashPrepared ??= prepareFlash());
  const insertItem = db.prepare(
    `INSERT INTO order_items (id, order_id, title, sku, price_cents, quantity)
     VALUES (@id, @order_id, @title, @sku, @price_cents, @quantity) ON CONFLICT(id) DO NOTHING`,
  );
  const noteOf = db.prepare('SELECT * FROM order_notes WHERE order_id = ?');
  const upsertNote = db.prepare(
    `INSERT INTO order_notes (order_id, flag, memo, updated_by, updated_at) VALUES (@order_id, @flag, @memo, @updated_by, @updated_at)
     ON CONFLICT(order_id) DO UPDATE SET flag = excluded.flag, memo = excluded.memo,
       updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  );
  const insertHistory = db.prepare(
    'INSERT INTO order_memo_history (id, order_id, author_id, old_memo, new_memo, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const pruneHistory = db.prepare(
    `DELETE FROM order_memo_history WHERE order_id = @orderId AND id NOT IN (
       SELECT id FROM order_memo_history WHERE order_id = @orderId ORDER BY at DESC, id DESC LIMIT ${MEMO_HISTORY_KEEP})`,
  );
  const historyOf = db.prepare(
    `SELECT h.id, h.old_memo, h.new_memo, h.at, h.author_id, a.nick AS author_nick FROM order_memo_history h
     LEFT JOIN agents a ON a.id = h.author_id WHERE h.order_id = ? ORDER BY h.at DESC, h.id DESC`,
  );
  const byId = db.prepare('SELECT * FROM orders WHERE id = ?');
  const byCustomer = db.prepare('SELECT * FROM orders WHERE customer_id = ? ORDER BY created_at DESC');
  const itemsOf = db.prepare('SELECT * FROM order_items WHERE order_id = ? ORDER BY rowid');
  const insertItemPositional = db.prepare(
    'INSERT INTO order_items (id, order_id, title, sku, price_cents, quantity) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING',
  );
  const maxRowid = db.prepare('SELECT coalesce(max(rowid), 0) FROM orders').pluck();

  function toOrder(r: OrderRow): Order {
    const note = noteOf.get(r.id) as OrderNoteRow | undefined;
    const items = (itemsOf.all(r.id) as OrderItemRow[]).map((i): OrderItem => ({
      id: i.id,
      title: i.title,
      sku: i.sku,
      priceCents: i.price_cents,
      quantity: i.quantity,
    }));
    return {
      id: r.id,
      orderNo: r.order_no,
      customerId: r.customer_id,
      status: r.status,
      amountCents: r.amount_cents,
      address: r.address,
      logisticsCompany: r.logistics_company,
      trackingNo: r.tracking_no,
      createdAt: r.created_at,
      paidAt: r.paid_at,
      flashSale: r.flash_sale === 1,
      items,
      flag: note?.flag ?? 0,
      memo: note?.memo ?? '',
    };
  }

  function get(id: string): Order | undefined {
    const r = byId.get(id) as OrderRow | undefined;
    return r && toOrder(r);
  }

  return {
    insert(row: OrderRow, items: Omit<OrderItemRow, 'order_id'>[]): void {
      fq().insertOrder.run({ ...row, flash_sale: row.flash_sale ?? 0 });
      for (const item of items) insertItem.run({ ...item, order_id: row.id });
      const order = get(row.id);
      if (order) changes.append('order', row.id, 'upsert', order, row.updated_at);
    },
    /**
     * Bulk insert (demo history): the orders whose id is new, with their items, and their change rows
     * written by one statement in the shape a single `insert` records. Call inside `store.tx`.
     */
    insertMany(orders: { row: OrderRow; items: Omit<OrderItemRow, 'order_id'>[] }[]): void {
      const before = maxRowid.get() as number;
      let stored = 0;
      if (onPostgres(db)) {
        // PostgreSQL: the orders, then the new ones' items, each in a few multi-row statements (issue 14).
        const fresh = pgInsertMany(
          db,
          'orders',
          ORDER_COLUMNS,
          'id',
          orders.map(({ row: r }) => orderValues(r)),
        );
        const items = orders.flatMap(({ row: r, items }, n) =>
          fresh[n] ? items.map((i) => [i.id, r.id, i.title, i.sku, i.price_cents, i.quantity]) : [],
        );
        if (items.length > 0) pgInsertMany(db, 'order_items', ITEM_COLUMNS, 'id', items);
        stored = fresh.filter(Boolean).length;
      } else
        for (const { row: r, items } of orders) {
          const { changes: fresh } = fq().insertOrderPositional.run(...orderValues(r));
          if (fresh === 0) continue;
          stored += 1;
          for (const i of items) insertItemPositional.run(i.id, r.id, i.title, i.sku, i.price_cents, i.quantity);
        }
      if (stored > 0) fq().changesAfter.run(before);
    },
    get,
    listByCustomer(customerId: string): Order[] {
      return (byCustomer.all(customerId) as OrderRow[]).map(toOrder);
    },
    /** The newest memo edits first (at most 10 are kept). */
    memoHistory(orderId: string): MemoEdit[] {
      return (
        historyOf.all(orderId) as {
          id: string;
          old_memo: string;
          new_memo: string;
          at: number;
          author_id: string | null;
          author_nick: string | null;
        }[]
      ).map((r) => ({ id: r.id, oldMemo: r.old_memo, newMemo: r.new_memo, at: r.at, authorId: r.author_id, authorNick: r.author_nick }));
    },
    /**
     * Sets flag and memo together. The memo is refused (never cut) past 1000 GBK bytes; a changed memo
     * leaves its previous text in the history, which keeps the newest 10 edits.
     */
    setNote(orderId: string, note: { flag: OrderFlag; memo: string }, authorId: string | null, at: number, historyId: string): Order {
      const bytes = gbkByteLength(note.memo);
      if (bytes > MEMO_MAX_GBK_BYTES) {
        throw new AppError('limit_exceeded', `memo is ${bytes} GBK bytes, the limit is ${MEMO_MAX_GBK_BYTES}`, {
          bytes,
          limit: MEMO_MAX_GBK_BYTES,
        });
      }
      if (!byId.get(orderId)) throw new AppError('not_found', `no order ${orderId}`);
      const previous = noteOf.get(orderId) as OrderNoteRow | undefined;
      upsertNote.run({ order_id: orderId, flag: note.flag, memo: note.memo, updated_by: authorId, updated_at: at });
      if ((previous?.memo ?? '') !== note.memo) {
        insertHistory.run(historyId, orderId, authorId, previous?.memo ?? '', note.memo, at);
        pruneHistory.run({ orderId });
      }
      const order = get(orderId) as Order;
      changes.append('order', orderId, 'upsert', order, at);
      return order;
    },
  };
}

/** An order row's values in ORDER_COLUMNS' order (both backends' bulk inserts). */
function orderValues(r: OrderRow): unknown[] {
  return [
    r.id,
    r.order_no,
    r.customer_id,
    r.status,
    r.amount_cents,
    r.address,
    r.logistics_company,
    r.tracking_no,
    r.created_at,
    r.paid_at,
    r.updated_at,
    r.flash_sale ?? 0,
  ];
}
