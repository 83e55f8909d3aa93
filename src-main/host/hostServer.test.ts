import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ok } from '../../shared/contract/errors';
import type { EventName } from '../../shared/contract/events';
import { startHost, type CoreLike, type Host } from './hostServer';

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function fakeCore() {
  let emit: (name: EventName, payload: unknown) => void = () => {};
  const core: CoreLike = {
    call: async (method, args) => ok({ echo: method, args }),
    on: (listener) => {
      emit = listener;
      return () => {};
    },
  };
  return { core, emit: (name: EventName, payload: unknown) => emit(name, payload) };
}

function rendererDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-host-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>接待</title>');
  return dir;
}

function get(port: number, urlPath: string, hostHeader = `127.0.0.1:${port}`) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers: { host: hostHeader } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(h: Host, opts: { token?: string; origin?: string }) {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/ws?token=${opts.token ?? h.token}`, { origin: opts.origin ?? h.origin });
  return new Promise<WebSocket>((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('the browser-mode host', () => {
  it('serves the renderer with a strict Content-Security-Policy', async () => {
    host = await startHost({ core: fakeCore().core, rendererDir: rendererDir() });
    const res = await get(host.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('接待');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
  });

  it('refuses requests for another host name (DNS rebinding) and paths outside the renderer', async () => {
    host = await startHost({ core: fakeCore().core, rendererDir: rendererDir() });
    expect((await get(host.port, '/', 'evil.example:80')).status).toBe(421);
    expect((await get(host.port, '/../../etc/passwd')).status).toBe(404);
    expect((await get(host.port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
  });

  it('opens the contract socket only with the launch token and the page\'s own origin', async () => {
    host = await startHost({ core: fakeCore().core, rendererDir: rendererDir() });
    await expect(connect(host, { token: 'wrong' })).rejects.toThrow(/403/);
    await expect(connect(host, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    const ws = await connect(host, {});
    ws.close();
  });

  it('carries calls and their results by id, and pushes core events to every desk', async () => {
    const fake = fakeCore();
    host = await startHost({ core: fake.core, rendererDir: rendererDir() });
    const ws = await connect(host, {});
    const messages: unknown[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    ws.send(JSON.stringify({ type: 'call', id: 7, method: 'stats.counts', args: {} }));
    ws.send('not json at all');
    await new Promise((r) => setTimeout(r, 100));
    fake.emit('sync.poked', { head: 3 });
    await new Promise((r) => setTimeout(r, 100));
    expect(messages).toEqual([
      { type: 'result', id: 7, result: { ok: true, value: { echo: 'stats.counts', args: {} } } },
      { type: 'event', name: 'sync.poked', payload: { head: 3 } },
    ]);
    ws.close();
  });
});

describe('downloads', () => {
  it('hands /downloads/ to the download route, behind the Host check, and 404s when none is mounted', async () => {
    const dir = rendererDir();
    fs.mkdirSync(path.join(dir, 'exports'));
    const file = path.join(dir, 'exports', '导出.csv');
    fs.writeFileSync(file, 'a,b\r\n');
    const ticket = 't'.repeat(43);
    host = await startHost({ core: fakeCore().core, rendererDir: dir, downloads: { exportsDir: path.join(dir, 'exports'), redeem: async (t) => (t === ticket ? { path: file, fileName: '导出.csv' } : null) } });
    expect((await get(host.port, `/downloads/${ticket}`, 'evil.example')).status).toBe(421);
    const r = await get(host.port, `/downloads/${ticket}`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('a,b\r\n');
    await host.close();
    host = await startHost({ core: fakeCore().core, rendererDir: dir });
    expect((await get(host.port, `/downloads/${ticket}`)).status).toBe(404);
  });
});

describe('pausing the transport', () => {
  function post(h: Host, action: string, auth?: string) {
    return new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: h.port, path: `/dev/transport/${action}`, method: 'POST', headers: { host: `127.0.0.1:${h.port}`, ...(auth ? { authorization: auth } : {}) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('closes every desk\'s socket and refuses new ones until resumed, and only with the launch token', async () => {
    host = await startHost({ core: fakeCore().core, rendererDir: rendererDir() });
    const ws = await connect(host, {});
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    expect(await post(host, 'pause')).toBe(403);
    expect(await post(host, 'pause', 'Bearer wrong')).toBe(403);
    expect(host.paused()).toBe(false);
    expect(await post(host, 'pause', `Bearer ${host.token}`)).toBe(200);
    expect(await closed).toBe(1013);
    await expect(connect(host, {})).rejects.toThrow(/503/);
    // the page itself is still served (a reload works offline from the replica)
    expect((await get(host.port, '/')).status).toBe(200);
    expect(await post(host, 'resume', `Bearer ${host.token}`)).toBe(200);
    const again = await connect(host, {});
    again.close();
  });
});
