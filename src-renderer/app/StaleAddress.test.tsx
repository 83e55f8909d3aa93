import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client, ConnectionState } from '../ipc/client';
import { useDeskStore } from '../state/store';
import { App } from './App';

/** A browser-mode client whose host refused the page's token. */
function refusedClient(): Client {
  const state: ConnectionState = 'refused';
  return {
    transport: 'websocket',
    call: async () => ({ ok: false, error: { code: 'unauthorized', message: 'out of date' } }),
    on: () => () => undefined,
    connection: () => state,
    onConnection: () => () => undefined,
    close: () => undefined,
  } as unknown as Client;
}

afterEach(() => useDeskStore.getState().setLang('zh-CN'));

describe('a page whose address is out of date', () => {
  it('says so in Chinese and how to get a valid address, instead of the desk', async () => {
    render(<App client={refusedClient()} replicaName="stale-zh" />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('这个地址已过期');
    expect(alert).toHaveTextContent('重新运行 npm run web');
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('says so in English', async () => {
    useDeskStore.getState().setLang('en');
    render(<App client={refusedClient()} replicaName="stale-en" />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This address is out of date');
    expect(alert).toHaveTextContent('Run npm run web again and open the address it prints');
  });
});
