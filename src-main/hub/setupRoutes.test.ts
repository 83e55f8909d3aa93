import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../core/core';
import { startHub, type HubOptions } from './hubServer';
import { newSetupCode, sameCode } from './setupRoutes';
import { hubTestFolder } from '../store/pg/testing';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const CODE = 'ABCD-EFGH-JKMN';
const good = { code: CODE, shop: '小店', owner: '店主', password: 'owner-pass-123', confirm: 'owner-pass-123' };

/** A hub on a fresh folder: no shop, no owner. */
async function freshHub(options: Partial<HubOptions> = {}) {
  const dir = hubTestFolder(fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-setup-')));
  const core = new Core({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false });
  const hub = await startHub({ core, dataDir: dir, setupCode: CODE, version: '9.8.7', ...options });
  cleanup.push(async () => {
    await hub.close();
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${hub.port}`;
  const setup = async (body: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${base}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: r.status, headers: r.headers, body: (await r.json()) as { ok: boolean; error?: { code: string; reason?: string } } };
  };
  const page = async (query = '') => {
    const r = await fetch(`${base}/${query}`);
    return { status: r.status, headers: r.headers, html: await r.text() };
  };
  return { dir, core, hub, base, setup, page };
}

describe('the first-run page (GET /, POST /api/setup)', () => {
  it('serves the form while the shop has no owner, in Chinese by default, with a strict CSP and its own script', async () => {
    const h = await freshHub();
    const r = await h.page();
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.html).toContain('<html lang="zh-CN">');
    expect(r.html).toContain('首次设置：创建店铺');
    expect(r.html).toContain('id="code"');
    expect(r.html).toContain('<script src="/hub-assets/setup.js"></script>');
    // The page never carries the code itself.
    expect(r.html).not.toContain(CODE);
    const en = await h.page('?lang=en');
    expect(en.html).toContain('First start: create the shop');
    const script = await fetch(`${h.base}/hub-assets/setup.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(await script.text()).toContain("fetch('/api/setup'");
    expect((await fetch(`${h.base}/hub-assets/hub.css`)).headers.get('content-type')).toContain('text/css');
  });

  it('refuses a missing or wrong code and creates nothing', async () => {
    const h = await freshHub();
    const missing = await h.setup({ shop: '小店', owner: '店主', password: 'owner-pass-123', confirm: 'owner-pass-123' });
    expect(missing.status).toBe(400);
    const wrong = await h.setup({ ...good, code: 'ABCD-EFGH-JKMP' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ ok: false, error: { code: 'unauthorized', reason: 'code' } });
    const empty = await h.setup({ ...good, code: '' });
    expect(empty.status).toBe(401);
    expect(h.core.hubSetup()).toEqual({ hasOwner: false, shopName: '' });
  });

  it('checks the fields: the two passwords, the password length, the names', async () => {
    const h = await freshHub();
    expect((await h.setup({ ...good, confirm: 'owner-pass-124' })).body.error).toMatchObject({
      code: 'invalid_argument',
      reason: 'mismatch',
    });
    expect((await h.setup({ ...good, password: 'short', confirm: 'short' })).body.error).toMatchObject({ reason: 'password' });
    expect((await h.setup({ ...good, owner: ' 店主' })).body.error).toMatchObject({ reason: 'owner' });
    expect((await h.setup({ ...good, shop: '   ' })).body.error).toMatchObject({ reason: 'shop' });
    expect((await h.setup({ ...good, extra: 1 })).status).toBe(400);
    expect(h.core.hubSetup().hasOwner).toBe(false);
  });

  it('creates the shop and its owner once with the right code (typed in any case, without dashes); a second time is 409', async () => {
    const said: string[] = [];
    const h = await freshHub({ onSetup: (shop, owner) => said.push(`${shop}/${owner}`) });
    const r = await h.setup({ ...good, code: ' abcdefghjkmn ' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, shop: '小店', owner: '店主', dataDir: h.dir });
    expect(said).toEqual(['小店/店主']);
    expect(h.core.hubSetup()).toEqual({ hasOwner: true, shopName: '小店' });
    // The owner signs in with the password given on the page.
    const login = await fetch(`${h.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: '店主', password: 'owner-pass-123' }),
    });
    expect(login.status).toBe(200);
    const again = await h.setup({ ...good, owner: '另一个', password: 'other-pass-123', confirm: 'other-pass-123' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', reason: 'taken' });
    // The status page now: what this is, the shop and the version; no form.
    const status = await h.page();
    expect(status.html).toContain('这是接待的团队中心');
    expect(status.html).toContain('店铺：小店');
    expect(status.html).toContain('版本 9.8.7');
    expect(status.html).not.toContain('setup-form');
    expect(status.html).not.toContain('<script src=');
  });

  it('answers 409 once the owner exists from the CLI, whatever the code', async () => {
    const h = await freshHub();
    await h.core.initShop('<b>小店</b>', '店主', 'owner-pass-123');
    const r = await h.setup(good);
    expect(r.status).toBe(409);
    // The shop's name is text on the status page.
    const status = await h.page();
    expect(status.html).toContain('&lt;b&gt;小店&lt;/b&gt;');
    expect(status.html).not.toContain('<b>小店');
  });

  it('two right answers at once make one owner', async () => {
    const h = await freshHub();
    const [a, b] = await Promise.all([h.setup(good), h.setup({ ...good, owner: '另一个' })]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const owners = h.core.store.accounts.list().filter((x) => x.role === 'owner');
    expect(owners).toHaveLength(1);
  });

  it('limits attempts per address (429 with Retry-After), so the code cannot be guessed', async () => {
    const h = await freshHub({ setupLimits: { max: 3, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.setup({ ...good, code: `WRNG-CODE-000${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await h.setup(good);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'limit_exceeded', reason: 'tooMany' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(h.core.hubSetup().hasOwner).toBe(false);
  });

  it('limits attempts from all addresses together too', async () => {
    const h = await freshHub({ setupLimits: { max: 2, windowMs: 60_000 }, trustProxy: '127.0.0.1' });
    const statuses: number[] = [];
    for (let i = 1; i <= 7; i++) statuses.push((await h.setup({ ...good, code: 'nope' }, { 'x-forwarded-for': `203.0.113.${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });

  it('a hub started without a setup code points to jiedai hub init and refuses the route', async () => {
    const h = await freshHub({ setupCode: undefined });
    expect((await h.page()).html).toContain('jiedai hub init');
    expect((await h.page()).html).not.toContain('setup-form');
    const r = await h.setup(good);
    expect(r.status).toBe(404);
    expect(h.core.hubSetup().hasOwner).toBe(false);
  });
});

describe('setup codes', () => {
  it('are three groups of four unambiguous characters, different each time', () => {
    const codes = new Set(Array.from({ length: 50 }, () => newSetupCode()));
    expect(codes.size).toBe(50);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  });

  it('compare without regard to case, spaces and dashes, and never match another code', () => {
    expect(sameCode('abcd efgh-jkmn', CODE)).toBe(true);
    expect(sameCode('ABCDEFGHJKMM', CODE)).toBe(false);
    expect(sameCode('', CODE)).toBe(false);
    expect(sameCode(`${CODE}X`, CODE)).toBe(false);
  });
});
