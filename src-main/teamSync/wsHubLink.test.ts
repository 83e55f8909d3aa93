import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { newId } from '../../shared/domain/ids';
import type { Agent } from '../../shared/domain/types';
import { Core } from '../core/core';
import { hubSocketUrl, wsHubLink } from './wsHubLink';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const TOKEN = 'good-token';

/** A stand-in for the hub server's `/hub/ws` (branch hub-server): Bearer token, the browser-mode frames, pokes. */
async function fakeHubServer(core: Core, agent: Agent, port = 0) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, path: '/hub/ws' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (ws, req) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return ws.close(4401, 'token refused');
    const connection = `ws-${newId()}`;
    const off = core.on((name, payload) => ws.send(JSON.stringify({ type: 'event', name, payload })));
    ws.on('message', async (data) => {
      const frame = JSON.parse(String(data)) as { id: number; method: string; args: unknown };
      core.signIn(connection, agent.id);
      const result = await core.call(frame.method, frame.args, connection);
      ws.send(JSON.stringify({ type: 'result', id: frame.id, result }));
    });
    ws.on('close', () => off());
  });
  return {
    wss,
    port: (wss.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

function folder(name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jiedai-ws-${name}-`));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('the WebSocket hub link', () => {
  it('turns a hub address into its socket address', () => {
    expect(hubSocketUrl('https://hub.shop.example:4500')).toBe('wss://hub.shop.example:4500/hub/ws');
    expect(hubSocketUrl('http://127.0.0.1:4500/')).toBe('ws://127.0.0.1:4500/hub/ws');
    expect(() => hubSocketUrl('ftp://x')).toThrow(/https/);
  });

  it('carries a desk core’s tier 2 to a hub: bootstrap, an action once, a colleague’s change by poke, and back after the hub restarts', async () => {
    const hub = new Core({ dataDir: folder('hub'), demoBuyers: { enabled: false }, log: () => undefined });
    cleanup.push(() => hub.close());
    const agent = hub.store.agents.list()[0]!;
    let server = await fakeHubServer(hub, agent);
    cleanup.push(() => server.stop());
    const desk = new Core({
      dataDir: folder('desk'),
      seedDemo: false,
      log: () => undefined,
      hubLink: (config) => wsHubLink(config, { reconnectBaseMs: 20, reconnectMaxMs: 100, log: () => undefined }),
      team: { retryBaseMs: 5, retryMaxMs: 50, pollMs: 0, log: () => undefined },
    });
    cleanup.push(() => desk.close());
    desk.joinTeam({ hubUrl: `http://127.0.0.1:${server.port}`, token: TOKEN, agent });
    await expect
      .poll(() => desk.teamSync!.status(), { timeout: 10_000 })
      .toMatchObject({ ready: true, online: true, cursor: hub.store.changes.head() });

    const c = desk.store.conversations.list('open', new Map())[0]!;
    const r = await desk.call(
      'sync.push',
      {
        clientId: newId(),
        mutations: [{ mutationId: newId(), name: 'customers.setRemark', args: { customerId: c.customerId, remark: '经由网络' } }],
      },
      'renderer',
    );
    expect(r.ok).toBe(true);
    await expect.poll(() => hub.store.customers.get(c.customerId)?.remark, { timeout: 10_000 }).toBe('经由网络');
    await expect.poll(() => desk.teamSync!.status().pending, { timeout: 10_000 }).toBe(0);

    // A write on the hub reaches the desk by its poke alone (the desk polls never in this test).
    hub.store.tx(() => hub.store.customers.setRemark(c.customerId, '同事改的', Date.now()));
    hub.events.emit('sync.poked', { head: hub.store.changes.head() });
    await expect.poll(() => desk.store.customers.get(c.customerId)?.remark, { timeout: 10_000 }).toBe('同事改的');

    // The hub goes away and comes back on the same port: the desk shows offline, queues, then catches up.
    const port = server.port;
    await server.stop();
    await expect.poll(() => desk.teamSync!.status().online, { timeout: 10_000 }).toBe(false);
    await desk.call(
      'sync.push',
      {
        clientId: newId(),
        mutations: [{ mutationId: newId(), name: 'customers.setRemark', args: { customerId: c.customerId, remark: '断线时' } }],
      },
      'renderer',
    );
    expect(desk.teamSync!.status()).toMatchObject({ online: false, pending: 1 });
    server = await fakeHubServer(hub, agent, port);
    await expect.poll(() => hub.store.customers.get(c.customerId)?.remark, { timeout: 10_000 }).toBe('断线时');
  });

  it('a token the hub refuses is said as unauthorized', async () => {
    const hub = new Core({ dataDir: folder('hub2'), demoBuyers: { enabled: false }, log: () => undefined });
    cleanup.push(() => hub.close());
    const server = await fakeHubServer(hub, hub.store.agents.list()[0]!);
    cleanup.push(() => server.stop());
    const link = wsHubLink(
      { hubUrl: `http://127.0.0.1:${server.port}`, token: 'stale' },
      { reconnectBaseMs: 20, reconnectMaxMs: 200, log: () => undefined },
    );
    cleanup.push(() => link.close());
    await expect.poll(() => link.refused(), { timeout: 5_000 }).toBe(true);
    expect(await link.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });
});
