import type { Customer } from '../../../shared/domain/types';
import { useReplicaCustomer } from '../../db';

/** A buyer with tags and group, from the replica (null while unknown to it). */
export function useCustomer(customerId: string): Customer | null {
  return useReplicaCustomer(customerId) ?? null;
}
