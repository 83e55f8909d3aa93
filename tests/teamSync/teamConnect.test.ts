import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import type { AppInfo } from '../../shared/contract/methods';
import { teamFailure, type TeamStatus } from '../../shared/contract/team';
import { newId } from '../../shared/domain/ids';
import { Core } from '../../src-main/core/core';
import type { Hub } from '../../src-main/hub/hubServer';
import { hubFixture, refusedDesk } from '../../src-main/hub/testing/hubKit';
import { listBackups } from '../../src-main/store/backups';
import { addCustomerWithConversation } from '../../src-main/store/testing';
import { readTeamConfig } from '../../src-main/teamSync/teamSettings';
import { wsHubLink } from '../../src-main/teamSync/wsHubLink';
import { AGENT, realHub, type RealHub } from './realHubServer';

/**
 * `team.connect` / `team.status` / `team.leave` on a desk core against the real hub server: the desk
 * core signs in over HTTP itself, then syncs over /hub/ws. Failures come back with a reason the desk
 * puts in words; the hub down is a normal state the desk works through.
 */

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const R = 'renderer';

function tempDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jiedai-team-connect-${name}-`));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A desk core as the app runs it (a WebSocket link to the hub), with short back-offs and a demo shop. */
function openDesk(dir: string, options: { timeoutMs?: number; watchOtherWritersMs?: number } = {}): Core {
  const core = new Core({
    dataDir: dir,
    demoBuyers: { enabled: false },
    watchOtherWritersMs: options.watchOtherWritersMs ?? false,
    keepBackups: 2,
    log: () => undefined,
    hubLink: (config) => wsHubLink(config, { reconnectBaseMs: 20, reconnectMaxMs: 200, log: () => undefined }),
    team: { retryBaseMs: 5, retryMaxMs: 100, pollMs: 0, log: () => undefined },
    hubHttp: { timeoutMs: options.timeoutMs ?? 5_000 },
  });
  let closed = false;
  cleanup.push(() => {
    if (!closed) core.close();
  });
  const close = core.close.bind(core);
  core.close = () => {
    closed = true;
    close();
  };
  return core;
}

async function value<T>(r: Promise<Result<unknown>>): Promise<T> {
  const result = await r;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

const status = (core: Core) => value<TeamStatus>(core.call('team.status', {}, R));

async function refusal(r: Promise<Result<unknown>>) {
  const result = await r;
  if (result.ok) throw new Error('the call was not refused');
  return { code: result.error.code, ...teamFailure(result.error) };
}

async function startedHub(): Promise<RealHub> {
  const hub = await realHub();
  cleanup.push(() => hub.close());
  return hub;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function httpServer(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

async function joined(hub: RealHub, dir = tempDir('desk')) {
  const desk = openDesk(dir);
  const first = await value<TeamStatus>(desk.call('team.connect', { hubUrl: hub.base, account: AGENT.nick, password: AGENT.password }, R));
  expect(first).toMatchObject({ mode: 'team', hubUrl: hub.base, account: { nick: AGENT.nick, role: 'agent' }, syncing: true });
  await expect
    .poll(() => status(desk), { timeout: 15_000, message: 'the desk did not download the shop from the hub' })
    .toMatchObject({ link: 'online', bootstrap: { ready: true, loading: false }, pending: 0 });
  return { desk, dir };
}

describe('team.connect against the real hub', () => {
  it('signs in, downloads the hub’s shop in place of the demo shop (kept in a backup), and shows the hub’s shop and account', async () => {
    const hub = await startedHub();
    const { conversationId } = addCustomerWithConversation(hub.core().store, '团队买家');
    const dir = tempDir('desk');
    const desk = openDesk(dir);
    const before = await status(desk);
    expect(before).toMatchObject({ mode: 'standalone', link: null, hubUrl: null, account: null, pending: 0 });
    const demoShop = (await value<AppInfo>(desk.call('app.info', {}, R))).shop.name;
    const told: TeamStatus[] = [];
    desk.on((name, payload) => {
      if (name === 'team.status') told.push(payload as TeamStatus);
    });

    await value(desk.call('team.connect', { hubUrl: `${hub.base}/`, account: AGENT.nick, password: AGENT.password }, R));
    await expect.poll(() => status(desk), { timeout: 15_000 }).toMatchObject({ link: 'online', bootstrap: { ready: true } });
    const info = await value<AppInfo>(desk.call('app.info', {}, R));
    expect(info.shop.name).toBe('小店');
    expect(info.shop.name).not.toBe(demoShop);
    expect(info.agent).toMatchObject({ id: AGENT.id, nick: AGENT.nick, role: 'agent' });
    expect(desk.store.conversations.get(conversationId)).toBeDefined();
    // The demo shop's rows are gone from the store, and in the backup taken before the join.
    expect(desk.store.stats.counts().customers).toBe(1);
    expect(listBackups(dir).map((b) => b.reason)).toContain('join');
    expect(readTeamConfig(desk.store)?.hubUrl).toBe(hub.base);
    // The renderer heard the way there, ending where the status is now.
    await expect.poll(() => told.at(-1), { timeout: 5_000 }).toMatchObject({ mode: 'team', link: 'online', bootstrap: { ready: true } });
    expect(told.some((s) => s.bootstrap.loading)).toBe(true);
    // Standalone-only calls are refused now.
    expect((await desk.call('session.switchAgent', { agentId: AGENT.id }, R)).ok).toBe(false);
  });

  it('a wrong password, an unknown account: refused as wrong_password, and the desk stays standalone', async () => {
    const hub = await startedHub();
    const desk = openDesk(tempDir('desk'));
    expect(
      await refusal(desk.call('team.connect', { hubUrl: hub.base, account: AGENT.nick, password: 'not-the-password' }, R)),
    ).toMatchObject({ code: 'unauthorized', reason: 'wrong_password' });
    expect(
      await refusal(desk.call('team.connect', { hubUrl: hub.base, account: '没有这个人', password: 'whatever-123' }, R)),
    ).toMatchObject({
      code: 'unauthorized',
      reason: 'wrong_password',
    });
    expect(await status(desk)).toMatchObject({ mode: 'standalone' });
    expect(readTeamConfig(desk.store)).toBeNull();
  });

  it('an address nothing answers at, one that never answers, one that is not an address', async () => {
    const desk = openDesk(tempDir('desk'), { timeoutMs: 400 });
    const port = await closedPort();
    expect(await refusal(desk.call('team.connect', { hubUrl: `http://127.0.0.1:${port}`, account: 'a', password: 'b' }, R))).toMatchObject({
      code: 'unavailable',
      reason: 'unreachable',
    });
    // Accepts the connection, never answers.
    const held = new Set<net.Socket>();
    const silent = net.createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of held) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const silentPort = (silent.address() as net.AddressInfo).port;
    expect(await refusal(desk.call('team.connect', { hubUrl: `127.0.0.1:${silentPort}`, account: 'a', password: 'b' }, R))).toMatchObject({
      code: 'unavailable',
      reason: 'timeout',
    });
    for (const hubUrl of [
      'ftp://hub.example',
      'http://user:secret@hub.example',
      'http://hub.example/?x=1',
      'http://',
      'javascript:alert(1)',
    ]) {
      expect(await refusal(desk.call('team.connect', { hubUrl, account: 'a', password: 'b' }, R)), hubUrl).toMatchObject({
        code: 'invalid_argument',
        reason: 'bad_address',
      });
    }
    expect(await status(desk)).toMatchObject({ mode: 'standalone' });
  });

  it('something that is not a Jiedai hub: a web page, another JSON API, a redirect, an answer too big', async () => {
    const hub = await startedHub();
    const desk = openDesk(tempDir('desk'));
    const page = await httpServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    const api = await httpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"x","hello":1}'));
    const redirect = await httpServer((_req, res) => res.writeHead(307, { location: `${hub.base}/api/auth/login` }).end());
    const huge = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"token":"${'a'.repeat(200_000)}"}`);
    });
    for (const hubUrl of [page, api, redirect, huge]) {
      expect(await refusal(desk.call('team.connect', { hubUrl, account: AGENT.nick, password: AGENT.password }, R)), hubUrl).toMatchObject({
        code: 'invalid_argument',
        reason: 'not_a_hub',
      });
    }
    expect(await status(desk)).toMatchObject({ mode: 'standalone' });
  });

  it('too many attempts: rate_limited with when to try again', async () => {
    const fixture = await hubFixture({ hub: { login: { max: 2 } } });
    cleanup.push(() => fixture.close());
    const desk = openDesk(tempDir('desk'));
    const attempt = () =>
      refusal(desk.call('team.connect', { hubUrl: fixture.base, account: AGENT.nick, password: 'wrong-password-1' }, R));
    // The fixture signed its owner in once from this address; the limit counts per address and per account.
    const seen = [await attempt(), await attempt(), await attempt()];
    const limited = seen.find((s) => s.reason === 'rate_limited');
    expect(limited).toMatchObject({ code: 'limit_exceeded', reason: 'rate_limited' });
    expect(limited!.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('a desk of a team refuses another hub, and another account on its own hub (leave first)', async () => {
    const hub = await startedHub();
    const other = await startedHub();
    const { desk } = await joined(hub);
    expect(
      await refusal(desk.call('team.connect', { hubUrl: other.base, account: AGENT.nick, password: AGENT.password }, R)),
    ).toMatchObject({
      code: 'conflict',
      reason: 'already_member',
    });
    const created = await hub.asOwner('accounts.create', { id: 'agent2', nick: '小丽', role: 'agent', password: 'agent-pass-2' });
    expect(created.ok).toBe(true);
    expect(await refusal(desk.call('team.connect', { hubUrl: hub.base, account: '小丽', password: 'agent-pass-2' }, R))).toMatchObject({
      code: 'conflict',
      reason: 'already_member',
    });
    expect(await status(desk)).toMatchObject({ mode: 'team', account: { nick: AGENT.nick }, link: 'online' });
  });
});

describe('the hub out of reach is a normal state', () => {
  it('offline: the desk says so and counts its waiting actions, across a restart of the app; the hub back, they go out once', async () => {
    const hub = await startedHub();
    const { conversationId } = addCustomerWithConversation(hub.core().store, '离线买家');
    const { desk, dir } = await joined(hub);

    await hub.stop();
    await expect.poll(() => status(desk), { timeout: 10_000 }).toMatchObject({ link: 'offline', pending: 0 });
    const clientId = newId();
    const push = (core: Core, id: string, text: string) =>
      value(
        core.call(
          'sync.push',
          { clientId, mutations: [{ mutationId: newId(), name: 'messages.send', args: { id, conversationId, text } }] },
          R,
        ),
      );
    await push(desk, 'm-offline-1', '稍等，我查一下');
    const offline = await status(desk);
    expect(offline).toMatchObject({ mode: 'team', link: 'offline', pending: 1 });
    expect(offline.lastSyncedAt).not.toBeNull();

    // The app restarts while the hub is still down: the outbox and the status come back with it.
    desk.close();
    const again = openDesk(dir);
    expect(await status(again)).toMatchObject({ mode: 'team', pending: 1, account: { nick: AGENT.nick }, bootstrap: { ready: true } });
    await expect.poll(async () => (await status(again)).link, { timeout: 10_000 }).toBe('offline');
    await push(again, 'm-offline-2', '已经帮您备注了');
    expect(await status(again)).toMatchObject({ pending: 2 });

    await hub.start();
    await expect
      .poll(() => status(again), { timeout: 15_000, message: 'the waiting actions did not reach the hub' })
      .toMatchObject({ link: 'online', pending: 0 });
    const store = hub.core().store;
    const sent = store.db.prepare("SELECT id FROM messages WHERE id IN ('m-offline-1', 'm-offline-2') ORDER BY id").pluck().all();
    expect(sent).toEqual(['m-offline-1', 'm-offline-2']);
    expect(store.messages.get('m-offline-1')?.agentId).toBe(AGENT.id);
  });

  it('signed out by the hub (a new password ends the sessions): the status says so; signing in again keeps what waited', async () => {
    const hub = await startedHub();
    const { conversationId } = addCustomerWithConversation(hub.core().store, '等待买家');
    const { desk } = await joined(hub);
    const changed = await hub.asOwner('accounts.setPassword', { agentId: AGENT.id, password: 'a-new-password-1' });
    expect(changed.ok).toBe(true);
    await expect.poll(async () => (await status(desk)).link, { timeout: 10_000 }).toBe('signed-out');

    const r = await desk.call(
      'sync.push',
      {
        clientId: newId(),
        mutations: [{ mutationId: newId(), name: 'messages.send', args: { id: 'm-signed-out', conversationId, text: '马上处理' } }],
      },
      R,
    );
    expect(r.ok).toBe(true);
    expect(await status(desk)).toMatchObject({ link: 'signed-out', pending: 1 });

    expect(await refusal(desk.call('team.connect', { hubUrl: hub.base, account: AGENT.nick, password: AGENT.password }, R))).toMatchObject({
      reason: 'wrong_password',
    });
    await value(desk.call('team.connect', { hubUrl: hub.base, account: AGENT.nick, password: 'a-new-password-1' }, R));
    await expect.poll(() => status(desk), { timeout: 15_000 }).toMatchObject({ mode: 'team', link: 'online', pending: 0 });
    expect(hub.core().store.messages.get('m-signed-out')?.agentId).toBe(AGENT.id);
  });
});

describe('team.leave', () => {
  it('refuses while actions wait unless told to drop them; then the desk is standalone on a fresh demo shop, signed out at the hub', async () => {
    const hub = await startedHub();
    const { conversationId } = addCustomerWithConversation(hub.core().store, '要走的买家');
    const { desk } = await joined(hub);
    const token = readTeamConfig(desk.store)!.token;

    await hub.stop();
    await expect.poll(async () => (await status(desk)).link, { timeout: 10_000 }).toBe('offline');
    await value(
      desk.call(
        'sync.push',
        {
          clientId: newId(),
          mutations: [{ mutationId: newId(), name: 'messages.send', args: { id: 'm-dropped', conversationId, text: '好的' } }],
        },
        R,
      ),
    );
    expect(await refusal(desk.call('team.leave', {}, R))).toMatchObject({ code: 'conflict', reason: 'pending', pending: 1 });
    expect(await status(desk)).toMatchObject({ mode: 'team', pending: 1 });
    await hub.start();
    await expect.poll(async () => (await status(desk)).link, { timeout: 15_000 }).toBe('online');
    await expect.poll(async () => (await status(desk)).pending, { timeout: 15_000 }).toBe(0);

    const left = await value<TeamStatus>(desk.call('team.leave', {}, R));
    expect(left).toMatchObject({ mode: 'standalone', link: null, pending: 0 });
    expect(readTeamConfig(desk.store)).toBeNull();
    expect(desk.store.conversations.get(conversationId)).toBeUndefined();
    const info = await value<AppInfo>(desk.call('app.info', {}, R));
    expect(info.shop.name).not.toBe('小店');
    expect(info.agent.id).not.toBe(AGENT.id);
    expect(desk.store.stats.counts().customers).toBeGreaterThan(10);
    expect(desk.store.agents.list().some((a) => a.id === AGENT.id)).toBe(false);
    // Standalone again: the demo's account switch works, and nothing queues for a hub.
    const agents = desk.store.agents.list();
    expect((await desk.call('session.switchAgent', { agentId: agents[0]!.id }, R)).ok).toBe(true);
    // The session ended at the hub.
    expect((await refusedDesk({ port: hub.port } as Hub, token)).status).toBe(401);
    expect(await refusal(desk.call('team.leave', {}, R))).toMatchObject({ reason: 'not_member' });
  });

  it('leaves with discardPending while the hub is down: the waiting actions are dropped, never sent', async () => {
    const hub = await startedHub();
    const { conversationId } = addCustomerWithConversation(hub.core().store, '买家');
    const { desk } = await joined(hub);
    await hub.stop();
    await expect.poll(async () => (await status(desk)).link, { timeout: 10_000 }).toBe('offline');
    await value(
      desk.call(
        'sync.push',
        {
          clientId: newId(),
          mutations: [{ mutationId: newId(), name: 'messages.send', args: { id: 'm-gone', conversationId, text: '再见' } }],
        },
        R,
      ),
    );
    expect(await value<TeamStatus>(desk.call('team.leave', { discardPending: true }, R))).toMatchObject({ mode: 'standalone', pending: 0 });
    expect(desk.store.hubOutbox.count()).toBe(0);
    // Nothing is left to reach the hub: the desk no longer talks to it.
    expect(desk.teamSync).toBeNull();
    await hub.start();
    expect(hub.core().store.messages.get('m-gone')).toBeUndefined();
  });
});

describe('a running desk and `jiedai join` beside it', () => {
  it('takes up the join made by another process once its first snapshot is in, without a restart; actions wait meanwhile', async () => {
    const hub = await startedHub();
    const { conversationId } = addCustomerWithConversation(hub.core().store, '团队买家');
    const dir = tempDir('desk');
    // The app, running on a standalone demo shop, hearing other writers to its file.
    const app = openDesk(dir, { watchOtherWritersMs: 20 });
    expect(await status(app)).toMatchObject({ mode: 'standalone' });
    const told: TeamStatus[] = [];
    app.on((name, payload) => {
      if (name === 'team.status') told.push(payload as TeamStatus);
    });
    // `jiedai join`: another core on the same folder signs in and waits for the first snapshot.
    const cli = openDesk(dir);
    await value(cli.call('team.connect', { hubUrl: hub.base, account: AGENT.nick, password: AGENT.password }, R));
    await expect.poll(() => status(cli), { timeout: 15_000 }).toMatchObject({ bootstrap: { ready: true } });
    cli.close();

    await expect
      .poll(() => status(app), { timeout: 10_000, message: 'the running desk did not take up the join' })
      .toMatchObject({ mode: 'team', link: 'online', account: { nick: AGENT.nick }, syncing: true });
    expect(told.at(-1)).toMatchObject({ mode: 'team' });
    const info = await value<AppInfo>(app.call('app.info', {}, R));
    expect(info.agent).toMatchObject({ id: AGENT.id, nick: AGENT.nick });
    expect(info.shop.name).toBe('小店');
    // The renderer's next pull is told to rebuild, under the feed id the join wrote (not the one this core started with).
    const pulled = await value<{ kind: string; feedId: string }>(app.call('sync.pull', { cursor: 0, limit: 10 }, R));
    expect(pulled).toMatchObject({ kind: 'reset', feedId: app.store.settings.get<string>('feedId', '') });
    // An action now goes to the hub.
    const push = await value<{ results: { status: string }[] }>(
      app.call(
        'sync.push',
        {
          clientId: newId(),
          mutations: [{ mutationId: newId(), name: 'messages.send', args: { id: 'adopted-1', conversationId, text: '加入后的回复' } }],
        },
        R,
      ),
    );
    expect(push.results[0]?.status).toBe('applied');
    await expect
      .poll(() => hub.core().store.messages.get('adopted-1')?.text ?? null, { timeout: 10_000, message: 'the reply reached the hub' })
      .toBe('加入后的回复');
  });

  it('refuses actions, unrecorded, while the join is written and this desk has not taken it up yet', async () => {
    const hub = await startedHub();
    const dir = tempDir('desk');
    const app = openDesk(dir, { watchOtherWritersMs: 60_000 });
    const cli = openDesk(dir);
    await value(cli.call('team.connect', { hubUrl: hub.base, account: AGENT.nick, password: AGENT.password }, R));
    cli.close();
    // The join is written; this app has not looked yet (its watch is slow): its pushes wait.
    const conversations = await value<{ id: string }[]>(app.call('conversations.list', { status: 'open' }, R));
    const r = await app.call(
      'sync.push',
      {
        clientId: newId(),
        mutations: [
          {
            mutationId: newId(),
            name: 'messages.send',
            args: { id: 'waiting-1', conversationId: conversations[0]?.id ?? 'none', text: '等一下' },
          },
        ],
      },
      R,
    );
    expect(r.ok ? (r.value as { results: unknown[] }).results : 'refused').toEqual([]);
  });
});
