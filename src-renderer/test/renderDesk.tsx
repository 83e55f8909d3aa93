import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { VirtuosoMockContext } from 'react-virtuoso';
import { App } from '../app/App';
import type { Client } from '../ipc/client';

/** Renders the whole desk against a client; virtual lists get a fixed jsdom viewport. */
export function renderDesk(client: Client) {
  const user = userEvent.setup();
  const view = render(
    <VirtuosoMockContext.Provider value={{ viewportHeight: 4000, itemHeight: 60 }}>
      <App client={client} />
    </VirtuosoMockContext.Provider>,
  );
  return { user, ...view };
}
