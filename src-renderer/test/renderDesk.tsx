import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { VirtuosoMockContext } from 'react-virtuoso';
import { App } from '../app/App';
import type { Client } from '../ipc/client';

let desks = 0;

/**
 * Renders the whole desk against a client, with a replica of its own (fake-indexeddb); virtual lists
 * get a fixed jsdom viewport. `replicaName` reuses a replica, as a reload of the page would.
 */
export function renderDesk(client: Client, options: { replicaName?: string } = {}) {
  const user = userEvent.setup();
  const replicaName = options.replicaName ?? `desk-test-${++desks}-${Date.now()}`;
  const view = render(
    <VirtuosoMockContext.Provider value={{ viewportHeight: 4000, itemHeight: 60 }}>
      <App client={client} replicaName={replicaName} syncOptions={{ pollMs: 0, retryBaseMs: 10, retryMaxMs: 50, log: () => undefined }} />
    </VirtuosoMockContext.Provider>,
  );
  return { user, replicaName, ...view };
}
