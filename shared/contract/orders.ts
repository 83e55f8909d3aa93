import { z } from 'zod';
import type { MemoEdit, Order } from '../domain/types';
import { define } from './define';
import { id } from './schemas';

/** A buyer's orders and the seller's notes on them (flag, memo). */
export const orderMethods = {
  /** A customer's orders, newest first. */
  'orders.listByCustomer': define<Order[]>()(z.object({ customerId: id }).strict()),
  /**
   * Sets the flag and/or the memo of one or more orders in one transaction. `memoMode` append puts
   * the memo after each order's own (replace, the default, sets it). A memo that would pass 1000 GBK
   * bytes is refused with `limit_exceeded` naming the orders (never cut), and no order changes.
   */
  'orders.setNotes': define<Order[]>()(
    z
      .object({
        orderIds: z.array(id).min(1).max(100),
        flag: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).optional(),
        memo: z.string().max(2000).optional(),
        memoMode: z.enum(['replace', 'append']).optional(),
      })
      .strict(),
  ),
  /** The last 10 memo edits of an order, newest first, with who and when. */
  'orders.memoHistory': define<MemoEdit[]>()(z.object({ orderId: id }).strict()),
} as const;
