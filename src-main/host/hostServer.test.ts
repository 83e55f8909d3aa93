import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SOCKET_CLOSE } from '../../shared/contract/socket';
import { startHost, type Host } from './hostServer';
import { hostToken, TOKEN_FILE } from './hostToken';
import { desk, echoCore, rendererDir, request } from './testing/hostKit';

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe('the browser-mode host', () => {
  it('serves the renderer with a strict Content-Security-Policy', async () => {
    host = await startHost({ core: echoCore().core, rendererDir: rendererDir() });
    const res = await request(host.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('接待');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
    const head = await request(host.port, '/index.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('refuses requests for another host name (DNS rebinding) and paths outside the renderer', async () => {
    host = await startHost({ core: echoCore().core, rendererDir: rendererDir() });
    expect((await request(host.port, '/', { host: 'evil.example:80' })).status).toBe(421);
    expect((await request(host.port, '/../../etc/passwd')).status).toBe(404);
    expect((await request(host.port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
  });

  it("opens the contract socket only with the page's own origin, and closes it with a code for a stale token", async () => {
    host = await startHost({ core: echoCore().core, rendererDir: rendererDir() });
    await expect(desk(host, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    // a page of our own origin with another token (an address of an earlier launch): the page can tell
    const stale = await desk(host, { token: 'wrong' });
    expect(await stale.closed).toBe(SOCKET_CLOSE.tokenRefused);
    const ws = await desk(host);
    expect(host.sockets()).toBe(1);
    ws.ws.close();
  });

  it('carries calls and their results by id, refuses what is not a call, and pushes core events to every desk', async () => {
    const fake = echoCore();
    host = await startHost({ core: fake.core, rendererDir: rendererDir() });
    const a = await desk(host);
    const b = await desk(host);
    a.ws.send(JSON.stringify({ type: 'call', id: 7, method: 'stats.counts', args: {} }));
    a.ws.send('not json at all');
    await a.until((m) => m.type === 'refused');
    fake.emit('sync.poked', { head: 3 });
    await a.until((m) => m.type === 'event');
    await b.until((m) => m.type === 'event');
    await a.until((m) => m.type === 'result');
    expect(a.heard).toHaveLength(3);
    expect(a.heard).toEqual(
      expect.arrayContaining([
        { type: 'result', id: 7, result: { ok: true, value: { echo: 'stats.counts', args: {} } } },
        { type: 'refused', error: { code: 'invalid_argument', message: 'the frame is not JSON' } },
        { type: 'event', name: 'sync.poked', payload: { head: 3 } },
      ]),
    );
    expect(b.heard).toEqual([{ type: 'event', name: 'sync.poked', payload: { head: 3 } }]);
  });

  it('gives each socket its own connection id on every call, and disconnects it when the socket closes', async () => {
    const fake = echoCore();
    host = await startHost({ core: fake.core, rendererDir: rendererDir() });
    const a = await desk(host);
    const b = await desk(host);
    await a.call('app.info', {});
    await a.call('stats.counts', {});
    await b.call('app.info', {});
    const [ca, ca2, cb] = fake.calls.map((c) => c.connection);
    expect(ca).toMatch(/^[\w-]{16,}$/);
    expect(ca2).toBe(ca);
    expect(cb).not.toBe(ca);
    a.ws.close();
    await expect.poll(() => fake.disconnected, { message: "the closed socket's connection is disconnected" }).toEqual([ca]);
    expect(host.sockets()).toBe(1);
  });
});

describe('the desk token', () => {
  it('is kept per data folder, readable by its owner only, so a restarted host takes its desks back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-token-'));
    const first = hostToken(dir);
    expect(first).toMatch(/^[\w-]{32}$/);
    expect(hostToken(dir)).toBe(first);
    expect(fs.statSync(path.join(dir, TOKEN_FILE)).mode & 0o777).toBe(0o600);
    const renewed = hostToken(dir, { renew: true });
    expect(renewed).not.toBe(first);
    expect(hostToken(dir)).toBe(renewed);
    fs.writeFileSync(path.join(dir, TOKEN_FILE), 'short');
    expect(hostToken(dir)).toMatch(/^[\w-]{32}$/);
  });
});

describe('downloads', () => {
  it('hands /downloads/ to the download route, behind the Host check, and 404s when none is mounted', async () => {
    const dir = rendererDir();
    fs.mkdirSync(path.join(dir, 'exports'));
    const file = path.join(dir, 'exports', '导出.csv');
    fs.writeFileSync(file, 'a,b\r\n');
    const ticket = 't'.repeat(43);
    host = await startHost({
      core: echoCore().core,
      rendererDir: dir,
      downloads: {
        exportsDir: path.join(dir, 'exports'),
        redeem: async (t) => (t === ticket ? { path: file, fileName: '导出.csv' } : null),
      },
    });
    expect((await request(host.port, `/downloads/${ticket}`, { host: 'evil.example' })).status).toBe(421);
    const r = await request(host.port, `/downloads/${ticket}`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('a,b\r\n');
    await host.close();
    host = await startHost({ core: echoCore().core, rendererDir: dir });
    expect((await request(host.port, `/downloads/${ticket}`)).status).toBe(404);
  });
});

describe('pausing the transport', () => {
  const post = (h: Host, action: string, auth?: string) =>
    request(h.port, `/dev/transport/${action}`, { method: 'POST', ...(auth ? { headers: { authorization: auth } } : {}) }).then(
      (r) => r.status,
    );

  it("closes every desk's socket and refuses new ones until resumed, and only with the launch token", async () => {
    host = await startHost({ core: echoCore().core, rendererDir: rendererDir() });
    const ws = await desk(host);
    expect(await post(host, 'pause')).toBe(403);
    expect(await post(host, 'pause', 'Bearer wrong')).toBe(403);
    expect((await request(host.port, '/dev/transport/pause', { headers: { authorization: `Bearer ${host.token}` } })).status).toBe(404);
    expect(host.paused()).toBe(false);
    expect(await post(host, 'pause', `Bearer ${host.token}`)).toBe(200);
    expect(await ws.closed).toBe(SOCKET_CLOSE.tryLater);
    await expect(desk(host)).rejects.toThrow(/503/);
    // the page itself is still served (a reload works offline from the replica)
    expect((await request(host.port, '/')).status).toBe(200);
    expect(await post(host, 'resume', `Bearer ${host.token}`)).toBe(200);
    const again = await desk(host);
    again.ws.close();
  });
});
