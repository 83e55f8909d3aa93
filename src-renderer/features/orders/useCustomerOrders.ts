import type { ContractError } from '../../../shared/contract/errors';
import type { Order } from '../../../shared/domain/types';
import { useReplicaOrders } from '../../db';

/** A buyer's orders with the seller's flag and memo, newest first, from the replica. */
export function useCustomerOrders(customerId: string): { orders: Order[] | null; error: ContractError | null } {
  return { orders: useReplicaOrders(customerId) ?? null, error: null };
}
