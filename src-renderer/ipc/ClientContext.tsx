import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { EventName, Events } from '../../shared/contract/events';
import type { Client, ConnectionState } from './client';

const ClientContext = createContext<Client | null>(null);

export function ClientProvider({ client, children }: { client: Client; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient needs a <ClientProvider>');
  return client;
}

/**
 * The connection state, and a number that grows each time the connection comes back: hooks that
 * read from the core list it as a dependency, so the desk catches up after a drop.
 */
export function useConnection(): { state: ConnectionState; epoch: number } {
  const client = useClient();
  const [value, setValue] = useState(() => ({ state: client.connection(), epoch: 0 }));
  useEffect(() => {
    const update = (state: ConnectionState) =>
      setValue((prev) =>
        prev.state === state ? prev : { state, epoch: state === 'open' && prev.state !== 'open' ? prev.epoch + 1 : prev.epoch },
      );
    const unsubscribe = client.onConnection(update);
    // It may have changed between the first render and this subscription.
    update(client.connection());
    return unsubscribe;
  }, [client]);
  return value;
}

/** Subscribes to a core event for the component's lifetime. */
export function useCoreEvent<E extends EventName>(event: E, listener: (payload: Events[E]) => void): void {
  const client = useClient();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => client.on(event, (payload) => latest.current(payload)), [client, event]);
}
