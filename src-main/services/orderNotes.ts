import { AppError } from '../../shared/contract/errors';
import type { OrderFlag } from '../../shared/domain/flags';
import { newId } from '../../shared/domain/ids';
import type { MemoEdit, Order } from '../../shared/domain/types';
import type { EventBus } from '../platform/eventBus';
import type { Store } from '../store';
import type { Clock } from './conversations';

/**
 * The seller's notes on orders: flag (插旗) and memo (备注). Setting several orders at once is one
 * transaction: all of them change, or (a memo over the limit, an unknown order) none does.
 */
export function orderNoteService(store: Store, events: EventBus, now: Clock) {
  return {
    listByCustomer: (customerId: string): Order[] => store.orders.listByCustomer(customerId),

    setNotes(args: { orderIds: string[]; flag?: OrderFlag | undefined; memo?: string | undefined }, agentId: string): Order[] {
      if (args.flag === undefined && args.memo === undefined) throw new AppError('invalid_argument', 'nothing to change: give a flag, a memo or both');
      const orders = store.tx(() => {
        const at = now();
        return [...new Set(args.orderIds)].map((orderId) => {
          const current = store.orders.get(orderId);
          if (!current) throw new AppError('not_found', `no order ${orderId}`);
          return store.orders.setNote(orderId, { flag: args.flag ?? current.flag, memo: args.memo ?? current.memo }, agentId, at, newId());
        });
      });
      events.emit('orders.changed', { orderIds: orders.map((o) => o.id) });
      events.emit('sync.poked', { head: store.changes.head() });
      return orders;
    },

    memoHistory(orderId: string): MemoEdit[] {
      if (!store.orders.get(orderId)) throw new AppError('not_found', `no order ${orderId}`);
      return store.orders.memoHistory(orderId);
    },
  };
}
