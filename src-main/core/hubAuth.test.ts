import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { Core, type CoreOptions } from './core';
import { hubTestFolder } from '../store/pg/testing';

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const OWNER_PASSWORD = 'owner-pass-123';

/** A hub core with its shop set up (as `jiedai hub init` does), and a clock the test moves. */
async function hubCore(options: Partial<CoreOptions> = {}) {
  const dir = hubTestFolder(fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-hubauth-')));
  dirs.push(dir);
  let clock = 1_750_000_000_000;
  const core = new Core({ dataDir: dir, hub: { sessionTtlMs: 60_000 }, keepBackups: 0, now: () => clock, ...options });
  cores.push(core);
  const owner = await core.initShop('小店', '店长', OWNER_PASSWORD);
  const ended: string[][] = [];
  core.onConnectionsEnded((c) => ended.push(c));
  const raw = (method: string, args: unknown, connection: string) => core.call(method, args, connection);
  async function call<M extends MethodName>(method: M, args: ArgsIn<M>, connection: string): Promise<ResultOf<M>> {
    const result = (await core.call(method, args, connection)) as Result<ResultOf<M>>;
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
  await call('auth.login', { account: '店长', password: OWNER_PASSWORD }, 'owner');
  await call('accounts.create', { id: 'agent1', nick: '小美', role: 'agent', password: 'agent-pass-1' }, 'owner');
  await call('accounts.create', { id: 'agent2', nick: '小王', role: 'agent', password: 'agent-pass-2' }, 'owner');
  return { core, dir, owner, raw, call, ended, tick: (ms: number) => (clock += ms) };
}

const refusal = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

describe('signing in to a hub', () => {
  it('signs an agent in with the right password and binds the connection to them', async () => {
    const h = await hubCore();
    const signed = await h.call('auth.login', { account: '小美', password: 'agent-pass-1' }, 'desk');
    expect(signed.agent).toMatchObject({ id: 'agent1', nick: '小美', role: 'agent' });
    expect(signed.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await h.call('app.info', {}, 'desk')).agent.id).toBe('agent1');
    // The store keeps only the token's hash.
    expect(JSON.stringify(h.core.store.db.prepare('SELECT * FROM sessions').all())).not.toContain(signed.token);
  });

  it('answers a wrong password, an unknown account and a disabled one with the same refusal', async () => {
    const h = await hubCore();
    await h.call('accounts.disable', { agentId: 'agent2' }, 'owner');
    const wrong = await h.raw('auth.login', { account: '小美', password: 'not-the-password' }, 'x1');
    const unknown = await h.raw('auth.login', { account: '没有这个人', password: 'agent-pass-1' }, 'x2');
    const disabled = await h.raw('auth.login', { account: '小王', password: 'agent-pass-2' }, 'x3');
    for (const r of [wrong, unknown, disabled])
      expect(r).toEqual({ ok: false, error: { code: 'unauthorized', message: 'the account name or the password is wrong' } });
    expect(refusal(await h.raw('app.info', {}, 'x1'))).toBe('unauthorized');
  });

  it('refuses every call but sign-in on a connection that has not signed in, and switching agents to anyone', async () => {
    const h = await hubCore();
    for (const method of ['app.info', 'conversations.list', 'sync.pull', 'accounts.list', 'auth.logout']) {
      expect(refusal(await h.raw(method, method === 'sync.pull' ? { cursor: 0 } : {}, 'stranger')), method).toBe('unauthorized');
    }
    expect(refusal(await h.raw('session.switchAgent', { agentId: 'agent1' }, 'owner'))).toBe('unauthorized');
    expect(refusal(await h.raw('demo.configureBuyers', { enabled: true }, 'owner'))).toBe('unauthorized');
  });

  it('resumes a session on a new connection by its token, and refuses it once expired', async () => {
    const h = await hubCore();
    const { token } = await h.call('auth.login', { account: '小美', password: 'agent-pass-1' }, 'login');
    expect((await h.call('auth.resume', { token }, 'socket1')).agent.id).toBe('agent1');
    expect(refusal(await h.raw('auth.resume', { token: `${token}x` }, 'socket2'))).toBe('unauthorized');
    h.tick(60_001);
    expect(refusal(await h.raw('auth.resume', { token }, 'socket3'))).toBe('unauthorized');
    // A connection already bound stops at its next call, and the shell is told to close it.
    expect(refusal(await h.raw('app.info', {}, 'socket1'))).toBe('unauthorized');
    expect(h.ended.flat()).toEqual(expect.arrayContaining(['login', 'socket1']));
  });

  it('ends every connection of a session on logout', async () => {
    const h = await hubCore();
    const { token } = await h.call('auth.login', { account: '小美', password: 'agent-pass-1' }, 'a');
    await h.call('auth.resume', { token }, 'b');
    await h.call('auth.logout', {}, 'a');
    expect(h.ended).toEqual([expect.arrayContaining(['a', 'b'])]);
    expect(refusal(await h.raw('app.info', {}, 'b'))).toBe('unauthorized');
    expect(refusal(await h.raw('auth.resume', { token }, 'c'))).toBe('unauthorized');
  });

  it('ends a disabled account’s sessions at once', async () => {
    const h = await hubCore();
    await h.call('auth.login', { account: '小美', password: 'agent-pass-1' }, 'desk1');
    await h.call('auth.login', { account: '小美', password: 'agent-pass-1' }, 'desk2');
    await h.call('auth.login', { account: '小王', password: 'agent-pass-2' }, 'other');
    const account = await h.call('accounts.disable', { agentId: 'agent1' }, 'owner');
    expect(account).toMatchObject({ id: 'agent1', disabled: true });
    expect(h.ended).toHaveLength(1);
    expect([...h.ended[0]!].sort()).toEqual(['desk1', 'desk2']);
    expect(refusal(await h.raw('app.info', {}, 'desk1'))).toBe('unauthorized');
    expect((await h.call('app.info', {}, 'other')).agent.id).toBe('agent2');
  });

  it('stops serving a session at once when the CLI beside the hub disables its account or ends it', async () => {
    const h = await hubCore();
    await h.call('auth.login', { account: '小美', password: 'agent-pass-1' }, 'desk1');
    await h.call('auth.login', { account: '小王', password: 'agent-pass-2' }, 'desk2');
    // Checked (and kept) a moment ago, as a desk pulling on every poke is.
    for (let i = 0; i < 3; i++) {
      expect((await h.call('app.info', {}, 'desk1')).agent.id).toBe('agent1');
      expect((await h.call('app.info', {}, 'desk2')).agent.id).toBe('agent2');
    }
    // `jiedai hub accounts` opens its own core on the folder: another connection to the store.
    const cli = new Core({ dataDir: h.dir, hub: {}, keepBackups: 0 });
    cores.push(cli);
    cli.signInAsOwner('cli');
    expect((await cli.call('accounts.disable', { agentId: 'agent1' }, 'cli')).ok).toBe(true);
    expect(refusal(await h.raw('app.info', {}, 'desk1'))).toBe('unauthorized');
    expect((await cli.call('accounts.setPassword', { agentId: 'agent2', password: 'new-pass-456' }, 'cli')).ok).toBe(true);
    expect(refusal(await h.raw('app.info', {}, 'desk2'))).toBe('unauthorized');
    expect(h.ended).toEqual([['desk1'], ['desk2']]);
  });

  it('stops serving a session kept a moment ago once it expires', async () => {
    const h = await hubCore();
    await h.call('auth.login', { account: '小美', password: 'agent-pass-1' }, 'desk1');
    h.tick(60_000 - 10);
    expect((await h.call('app.info', {}, 'desk1')).agent.id).toBe('agent1');
    h.tick(10);
    expect(refusal(await h.raw('app.info', {}, 'desk1'))).toBe('unauthorized');
  });

  it('ends the account’s other sessions when the owner sets its password', async () => {
    const h = await hubCore();
    await h.call('auth.login', { account: '小美', password: 'agent-pass-1' }, 'desk1');
    await h.call('accounts.setPassword', { agentId: 'agent1', password: 'new-pass-123' }, 'owner');
    expect(h.ended).toEqual([['desk1']]);
    expect(refusal(await h.raw('auth.login', { account: '小美', password: 'agent-pass-1' }, 'x'))).toBe('unauthorized');
    expect((await h.call('auth.login', { account: '小美', password: 'new-pass-123' }, 'x')).agent.id).toBe('agent1');
  });
});

describe('keeping accounts', () => {
  it('is for the owner: an agent or a supervisor is refused, by the role stored for them', async () => {
    const h = await hubCore();
    await h.call('accounts.create', { id: 'lead1', nick: '组长', role: 'supervisor', password: 'lead-pass-1' }, 'owner');
    await h.call('auth.login', { account: '小美', password: 'agent-pass-1' }, 'agent');
    await h.call('auth.login', { account: '组长', password: 'lead-pass-1' }, 'lead');
    for (const connection of ['agent', 'lead']) {
      expect(refusal(await h.raw('accounts.list', {}, connection))).toBe('unauthorized');
      expect(
        refusal(await h.raw('accounts.create', { id: 'x1', nick: '新人', role: 'supervisor', password: 'whatever-1' }, connection)),
      ).toBe('unauthorized');
      expect(refusal(await h.raw('accounts.disable', { agentId: 'agent2' }, connection))).toBe('unauthorized');
      expect(refusal(await h.raw('accounts.setPassword', { agentId: 'lead1', password: 'whatever-1' }, connection))).toBe('unauthorized');
    }
    expect((await h.call('accounts.list', {}, 'owner')).map((a) => a.nick)).toEqual(['店长', '小美', '小王', '组长']);
  });

  it('validates a new account: a short password, an owner role, a taken name', async () => {
    const h = await hubCore();
    expect(refusal(await h.raw('accounts.create', { id: 'x1', nick: '新人', role: 'agent', password: 'short' }, 'owner'))).toBe(
      'invalid_argument',
    );
    expect(refusal(await h.raw('accounts.create', { id: 'x1', nick: '新人', role: 'owner', password: 'long-enough' }, 'owner'))).toBe(
      'invalid_argument',
    );
    expect(refusal(await h.raw('accounts.create', { id: 'x1', nick: '小美', role: 'agent', password: 'long-enough' }, 'owner'))).toBe(
      'conflict',
    );
    expect(refusal(await h.raw('accounts.disable', { agentId: h.owner.id }, 'owner'))).toBe('conflict');
  });

  it('refuses a second owner set-up of the same hub', async () => {
    const h = await hubCore();
    await expect(h.core.initShop('别的店', '别人', 'other-pass-1')).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('sync on a hub', () => {
  it('lets a signed-in agent push and pull, and refuses a client id that is another account’s', async () => {
    const h = await hubCore();
    await h.call('auth.login', { account: '小美', password: 'agent-pass-1' }, 'mei');
    await h.call('auth.login', { account: '小王', password: 'agent-pass-2' }, 'wang');
    const pushed = await h.call(
      'sync.push',
      { clientId: 'desk-mei', mutations: [{ mutationId: 'm1', name: 'tags.create', args: { id: 't1', name: '老客', color: '#aa3300' } }] },
      'mei',
    );
    expect(pushed.results[0]).toMatchObject({ status: 'applied' });
    const pulled = await h.call('sync.pull', { cursor: 0 }, 'wang');
    expect(pulled.kind === 'changes' && pulled.changes.some((c) => c.entity === 'tag' && c.id === 't1')).toBe(true);
    const forged = await h.raw(
      'sync.push',
      { clientId: 'desk-mei', mutations: [{ mutationId: 'm1', name: 'tags.create', args: { id: 't1', name: '老客', color: '#aa3300' } }] },
      'wang',
    );
    expect(forged).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });
});

describe('a standalone desk', () => {
  it('still starts each connection as the PC’s default agent, with no sign-in', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-hubauth-'));
    dirs.push(dir);
    const core = new Core({ dataDir: dir, demoBuyers: { enabled: false }, keepBackups: 0 });
    cores.push(core);
    const info = await core.call('app.info', {}, 'window1');
    expect(info).toMatchObject({ ok: true, value: { agent: { id: core.store.settings.get('currentAgentId', '') } } });
    const owner = core.store.agents.list().find((a) => a.role === 'owner')!;
    expect(await core.call('session.switchAgent', { agentId: owner.id }, 'window1')).toMatchObject({
      ok: true,
      value: { agent: { id: owner.id } },
    });
  });
});
