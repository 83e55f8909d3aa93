import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { run } from './jiedai';
import { Core } from '../core/core';
import { wsHubLink } from '../teamSync/wsHubLink';
import { freshPgDatabase, pgUnavailable } from '../store/pg/testing';

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
  it('serves the first-run page on a fresh folder, with a one-time setup code printed in its terminal only', async () => {
    const dir = folder();
    const hub = await serve(['--data-dir', dir, '--port', '0']);
    const line = hub.out.find((l) => l.includes('设置码'))!;
    const code = /设置码 ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(line)?.[1];
    expect(code).toBeDefined();
    expect(line).toContain(`${hub.url}/#code=${code}`);
    const page = await fetch(`${hub.url}/`);
    expect(await page.text()).toContain('首次设置');
    const post = (body: object) =>
      fetch(`${hub.url}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const fields = { shop: '小店', owner: '店主', password: 'owner-pass-123', confirm: 'owner-pass-123' };
    expect((await post({ ...fields, code: 'AAAA-BBBB-CCCC' })).status).toBe(401);
    expect((await post({ ...fields, code })).status).toBe(200);
    expect(hub.out.join('\n')).toContain('店铺“小店”已通过首次设置页面创建');
    expect((await post({ ...fields, code })).status).toBe(409);
    expect(await (await fetch(`${hub.url}/`)).text()).toContain('店铺：小店');
    expect(await hub.stop()).toBe(0);
    // Served again, the shop has its owner: no code is printed.
    const again = await serve(['--data-dir', dir, '--port', '0', '--lang', 'en']);
    expect(again.out.join('\n')).not.toContain('setup code');
    expect(again.out[0]).toContain('shop 小店');
    expect(await again.stop()).toBe(0);
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

describe('jiedai hub accounts', () => {
  it('adds, lists and disables accounts through an owner session, as the hub checks them', async () => {
    const dir = folder();
    const none = capture({ env: { JIEDAI_ACCOUNT_PASSWORD: 'agent-pass-1' } });
    expect(await run(['hub', 'accounts', 'add', '--data-dir', dir, '--nick', '小美'], none.io)).toBe(2);
    expect(none.err.join('')).toContain('还没有店主');
    expect(await init(dir, capture({ env: { JIEDAI_OWNER_PASSWORD: 'owner-pass-123' } }).io)).toBe(0);

    const add = capture({ stdin: 'agent-pass-1\n' });
    expect(await run(['hub', 'accounts', 'add', '--data-dir', dir, '--nick', '小美', '--password-stdin'], add.io)).toBe(0);
    expect(add.out.join('')).toBe('已创建账号 小美（客服）。');
    const lead = capture({ env: { JIEDAI_ACCOUNT_PASSWORD: 'lead-pass-12' } });
    expect(
      await run(['hub', 'accounts', 'add', '--data-dir', dir, '--nick', '阿强', '--role', 'supervisor', '--lang', 'en'], lead.io),
    ).toBe(0);
    expect(lead.out.join('')).toBe('Created the account 阿强 (supervisor).');
    const twice = capture({ env: { JIEDAI_ACCOUNT_PASSWORD: 'agent-pass-1' } });
    expect(await run(['hub', 'accounts', 'add', '--data-dir', dir, '--nick', '小美'], twice.io)).toBe(1);
    expect(twice.err.join('')).toContain('an account named 小美 exists');
    const short = capture({ env: { JIEDAI_ACCOUNT_PASSWORD: 'short' } });
    expect(await run(['hub', 'accounts', 'add', '--data-dir', dir, '--nick', '小丽'], short.io)).toBe(2);
    const badRole = capture({ env: { JIEDAI_ACCOUNT_PASSWORD: 'agent-pass-1' } });
    expect(await run(['hub', 'accounts', 'add', '--data-dir', dir, '--nick', '小丽', '--role', 'owner'], badRole.io)).toBe(2);

    const hub = await serve(['--data-dir', dir, '--port', '0']);
    const login = (account: string, password: string) =>
      fetch(`${hub.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ account, password }),
      });
    const signedIn = await login('小美', 'agent-pass-1');
    expect(signedIn.status).toBe(200);
    const { token } = (await signedIn.json()) as { token: string };

    // Disabled from the CLI while the hub runs: the account can no longer sign in, and its session has ended.
    const off = capture();
    expect(await run(['hub', 'accounts', 'disable', '--data-dir', dir, '--nick', '小美'], off.io)).toBe(0);
    expect(off.out.join('')).toBe('已停用账号 小美，它的登录已全部失效。');
    expect((await login('小美', 'agent-pass-1')).status).toBe(401);
    const logout = await fetch(`${hub.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(logout.status).toBe(401);
    expect(await hub.stop()).toBe(0);

    const list = capture();
    expect(await run(['hub', 'accounts', 'list', '--data-dir', dir], list.io)).toBe(0);
    expect(list.out).toEqual(['店长  店主  可用', '小美  客服  已停用', '阿强  主管  可用']);
    const missing = capture();
    expect(await run(['hub', 'accounts', 'disable', '--data-dir', dir, '--nick', '没有'], missing.io)).toBe(1);
    expect(missing.err.join('')).toContain('没有名为 没有 的账号');
    // The CLI's own sessions ended with each run: none is left live.
    const core = new (await import('../core/core')).Core({ dataDir: dir, hub: {}, watchOtherWritersMs: false });
    try {
      const live = core.store.db.prepare('SELECT count(*) FROM sessions WHERE revoked_at IS NULL').pluck().get() as number;
      expect(live).toBe(0);
    } finally {
      core.close();
    }
  });
});

const noPg = pgUnavailable();
if (noPg) process.stderr.write(`skipping jiedai hub --database: ${noPg}\n`);

describe.skipIf(noPg !== null)('jiedai hub --database postgres://… (issue 14)', () => {
  it('sets up, keeps accounts and serves the shop from PostgreSQL (the folder remembers it), and a desk joins it', async () => {
    const dir = folder();
    const database = freshPgDatabase('cli');
    expect(await init(dir, capture({ env: { JIEDAI_OWNER_PASSWORD: 'owner-pass-123' } }).io, ['--database', database])).toBe(0);
    // No SQLite file: the shop is in the database, and the folder names it for the next commands.
    expect(fs.existsSync(path.join(dir, 'jiedai.sqlite'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'hub-database.json'), 'utf8'))).toEqual({ database });
    expect((fs.statSync(path.join(dir, 'hub-database.json')).mode & 0o777).toString(8)).toBe('600');
    const add = capture({ env: { JIEDAI_ACCOUNT_PASSWORD: 'agent-pass-1' } });
    expect(await run(['hub', 'accounts', 'add', '--data-dir', dir, '--nick', '小美', '--role', 'agent'], add.io)).toBe(0);
    // Another database on this folder is refused.
    const other = capture();
    expect(await run(['hub', 'accounts', 'list', '--data-dir', dir, '--database', `${database}_other`], other.io)).toBe(2);

    const hub = await serve(['--data-dir', dir, '--port', '0', '--database', database]);
    expect(hub.out.join('\n')).toContain('PostgreSQL 127.0.0.1:');
    const deskDir = folder();
    const desk = new Core({
      dataDir: deskDir,
      demoBuyers: { enabled: false },
      watchOtherWritersMs: false,
      keepBackups: 1,
      log: () => undefined,
      hubLink: (config) => wsHubLink(config, { reconnectBaseMs: 20, reconnectMaxMs: 200, log: () => undefined }),
      team: { retryBaseMs: 5, retryMaxMs: 100, pollMs: 0, log: () => undefined },
    });
    try {
      const joined = await desk.call('team.connect', { hubUrl: hub.url, account: '小美', password: 'agent-pass-1' }, 'r');
      expect(joined).toMatchObject({ ok: true, value: { mode: 'team', account: { nick: '小美', role: 'agent' } } });
      await expect
        .poll(async () => ((await desk.call('team.status', {}, 'r')) as { value: unknown }).value, { timeout: 15_000 })
        .toMatchObject({ link: 'online', bootstrap: { ready: true } });
    } finally {
      desk.close();
      expect(await hub.stop()).toBe(0);
    }
  });
});
