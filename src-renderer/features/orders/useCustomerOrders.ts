import { useCallback, useEffect, useState } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { Order } from '../../../shared/domain/types';
import { useClient, useConnection, useCoreEvent } from '../../ipc/ClientContext';

/** A buyer's orders, newest first, kept current when anyone changes a flag or memo. */
export function useCustomerOrders(customerId: string): { orders: Order[] | null; error: ContractError | null; replace: (updated: Order[]) => void } {
  const client = useClient();
  const { epoch } = useConnection();
  const [state, setState] = useState<{ customerId: string; orders: Order[] } | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    void client.call('orders.listByCustomer', { customerId }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setError(null);
        setState({ customerId, orders: result.value });
      } else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [client, customerId, epoch, tick]);

  useCoreEvent('orders.changed', ({ orderIds }) => {
    if (state?.orders.some((o) => orderIds.includes(o.id))) setTick((n) => n + 1);
  });

  /** Shows orders the core just returned without waiting for the event. */
  const replace = useCallback(
    (updated: Order[]) =>
      setState((prev) => (prev ? { ...prev, orders: prev.orders.map((o) => updated.find((u) => u.id === o.id) ?? o) } : prev)),
    [],
  );

  return { orders: state?.customerId === customerId ? state.orders : null, error, replace };
}
