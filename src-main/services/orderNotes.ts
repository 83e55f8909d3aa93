import { AppError } from '../../shared/contract/errors';
import type { OrderFlag } from '../../shared/domain/flags';
import { gbkByteLength, MEMO_MAX_GBK_BYTES, memoAfter, type MemoMode } from '../../shared/domain/gbk';
import { newId } from '../../shared/domain/ids';
import type { MemoEdit, Order } from '../../shared/domain/types';
import type { Store } from '../store';
import type { Clock } from './conversations';

/**
 * The seller's notes on orders: flag (插旗) and memo (备注). Setting several orders at once is one
 * transaction: all of them change, or (a memo over the limit, an unknown order) none does.
 */
export function orderNoteService(store: Store, now: Clock) {
  return {
    listByCustomer: (customerId: string): Order[] => store.orders.listByCustomer(customerId),

    setNotes(
      args: { orderIds: string[]; flag?: OrderFlag | undefined; memo?: string | undefined; memoMode?: MemoMode | undefined },
      agentId: string,
    ): Order[] {
      if (args.flag === undefined && args.memo === undefined)
        throw new AppError('invalid_argument', 'nothing to change: give a flag, a memo or both');
      return store.tx(() => {
        const at = now();
        const planned = [...new Set(args.orderIds)].map((orderId) => {
          const current = store.orders.get(orderId);
          if (!current) throw new AppError('not_found', `no order ${orderId}`);
          const memo = args.memo === undefined ? current.memo : memoAfter(current.memo, args.memo, args.memoMode);
          return { current, flag: args.flag ?? current.flag, memo };
        });
        // Every order that would pass the limit is named at once, before any of them changes.
        const over = planned
          .filter((p) => gbkByteLength(p.memo) > MEMO_MAX_GBK_BYTES)
          .map((p) => ({ orderId: p.current.id, orderNo: p.current.orderNo, bytes: gbkByteLength(p.memo) }));
        if (over.length > 0) {
          const which = over.map((o) => `${o.orderNo} (${o.bytes})`).join(', ');
          throw new AppError('limit_exceeded', `the memo of order ${which} would pass ${MEMO_MAX_GBK_BYTES} GBK bytes; nothing was saved`, {
            orders: over,
            limit: MEMO_MAX_GBK_BYTES,
          });
        }
        return planned.map((p) => store.orders.setNote(p.current.id, { flag: p.flag, memo: p.memo }, agentId, at, newId()));
      });
    },

    memoHistory(orderId: string): MemoEdit[] {
      if (!store.orders.get(orderId)) throw new AppError('not_found', `no order ${orderId}`);
      return store.orders.memoHistory(orderId);
    },
  };
}
