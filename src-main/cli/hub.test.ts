import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { run } from './jiedai';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function folder() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-cli-hub-'));
  dirs.push(dir);
  return dir;
}

function capture(extra: { stdin?: string; env?: Record<string, string>; stop?: Promise<unknown> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    out: (s: string) => out.push(s),
    err: (s: string) => err.push(s),
    env: extra.env ?? {},
    ...(extra.stdin !== undefined ? { stdin: async () => extra.stdin! } : {}),
    ...(extra.stop ? { stop: extra.stop } : {}),
  };
  return { io, out, err };
}

const init = (dir: string, io: ReturnType<typeof capture>['io'], more: string[] = []) =>
  run(['hub', 'init', '--data-dir', dir, '--shop', '小店', '--owner', '店长', ...more], io);

/** Serves the hub until `stop()`; resolves once it prints where it listens. */
async function serve(argv: string[]) {
  let stop!: () => void;
  const c = capture({ stop: new Promise<void>((resolve) => (stop = resolve)) });
  const exited = run(['hub', ...argv], c.io);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = c.out.find((l) => l.startsWith('Listening on '));
      if (line) {
        clearInterval(timer);
        resolve(line.slice('Listening on '.length));
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`the hub exited (${code}): ${c.err.join(' ')}`));
    });
  });
  return { url, stop: async () => (stop(), exited), ...c };
}

describe('jiedai hub init', () => {
  it('sets up the shop and its owner once, with the password from the environment or standard input', async () => {
    const dir = folder();
    const first = capture({ env: { JIEDAI_OWNER_PASSWORD: 'owner-pass-123' } });
    expect(await init(dir, first.io)).toBe(0);
    expect(first.out.join('')).toContain('owner 店长');
    const again = capture({ stdin: 'another-pass-1\n' });
    expect(await init(dir, again.io, ['--password-stdin'])).toBe(1);
    expect(again.err.join('')).toContain('already has an owner');
  });

  it('refuses a missing or short password and a missing --data-dir, changing nothing', async () => {
    const dir = folder();
    const none = capture();
    expect(await init(dir, none.io)).toBe(2);
    expect(none.err.join('')).toContain('JIEDAI_OWNER_PASSWORD');
    const short = capture({ stdin: 'short\n' });
    expect(await init(dir, short.io, ['--password-stdin'])).toBe(2);
    expect(short.err.join('')).toContain('at least 8');
    const nowhere = capture({ env: { JIEDAI_OWNER_PASSWORD: 'owner-pass-123' } });
    expect(await run(['hub', 'init', '--shop', '小店', '--owner', '店长'], nowhere.io)).toBe(2);
    expect(nowhere.err.join('')).toContain('--data-dir');
  });
});

describe('jiedai hub', () => {
  it('refuses to serve a hub that has no owner yet', async () => {
    const c = capture();
    expect(await run(['hub', '--data-dir', folder(), '--port', '0'], c.io)).toBe(2);
    expect(c.err.join('')).toContain('jiedai hub init');
  });

  it('serves sign-in on the port it was given, until stopped', async () => {
    const dir = folder();
    expect(await init(dir, capture({ env: { JIEDAI_OWNER_PASSWORD: 'owner-pass-123' } }).io)).toBe(0);
    const hub = await serve(['--data-dir', dir, '--port', '0']);
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const login = await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: '店长', password: 'owner-pass-123' }),
    });
    expect(login.status).toBe(200);
    expect(await hub.stop()).toBe(0);
  });

  it('serves over TLS from the given certificate files', async () => {
    const dir = folder();
    expect(await init(dir, capture({ env: { JIEDAI_OWNER_PASSWORD: 'owner-pass-123' } }).io)).toBe(0);
    const fixtures = path.resolve(import.meta.dirname, '../../tests/fixtures/tls');
    const cert = path.join(fixtures, 'hub-test.crt');
    const hub = await serve(['--data-dir', dir, '--port', '0', '--tls-cert', cert, '--tls-key', path.join(fixtures, 'hub-test.key')]);
    expect(hub.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(`${hub.url}/api/health`, { ca: fs.readFileSync(cert) }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += String(c)));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    expect(JSON.parse(body)).toEqual({ status: 'ok' });
    // Sign in over HTTPS, then the desk's socket over WSS.
    const ca = fs.readFileSync(cert);
    const token = await new Promise<string>((resolve, reject) => {
      const req = https.request(
        `${hub.url}/api/auth/login`,
        { method: 'POST', ca, headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += String(c)));
          res.on('end', () => resolve((JSON.parse(text) as { token: string }).token));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ account: '店长', password: 'owner-pass-123' }));
    });
    const ws = new WebSocket(`${hub.url.replace('https', 'wss')}/hub/ws`, { ca, headers: { authorization: `Bearer ${token}` } });
    const answer = await new Promise<unknown>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, method: 'app.info', args: {} })));
      ws.once('message', (d) => resolve(JSON.parse(String(d))));
      ws.once('error', reject);
    });
    expect(answer).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { shop: { name: '小店' } } } });
    ws.close();
    expect(await hub.stop()).toBe(0);
  });
});
