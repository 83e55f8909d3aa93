import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { Result } from '../../../shared/contract/errors';
import { Core, type CoreOptions } from '../../core/core';
import { startHub, type Hub, type HubOptions } from '../hubServer';
import { hubTestFolder } from '../../store/pg/testing';

/** Helpers for the hub's tests: a real hub core on a temporary folder, HTTP calls, and desk sockets. */

export const OWNER = { nick: '店长', password: 'owner-pass-123' };
export const AGENT = { id: 'agent1', nick: '小美', password: 'agent-pass-1' };

export async function hubFixture(options: { core?: Partial<CoreOptions>; hub?: Partial<HubOptions> } = {}) {
  const dir = hubTestFolder(fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-hub-')));
  let clock = Date.now();
  const core = new Core({ dataDir: dir, hub: {}, keepBackups: 0, now: () => clock, ...options.core });
  await core.initShop('小店', OWNER.nick, OWNER.password);
  const hub = await startHub({ core, dataDir: dir, ...options.hub });
  const base = `http://127.0.0.1:${hub.port}`;
  const post = async (
    route: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; body: Record<string, unknown> | null }> => {
    const response = await fetch(`${base}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  const login = async (account: string, password: string) => {
    const r = await post('/api/auth/login', { account, password });
    if (r.status !== 200) throw new Error(`login ${account}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { token: string; expiresAt: number; agent: { id: string } };
  };
  const owner = await login(OWNER.nick, OWNER.password);
  const ownerDesk = await desk(hub, owner.token);
  const created = await ownerDesk.call('accounts.create', { id: AGENT.id, nick: AGENT.nick, role: 'agent', password: AGENT.password });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return {
    core,
    hub,
    /** The hub's data folder (its exports/, its SQLite file or the name of its PostgreSQL database). */
    dir,
    base,
    post,
    login,
    owner,
    ownerDesk,
    tick: (ms: number) => (clock += ms),
    async close() {
      await hub.close();
      core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Heard = { type: string; id?: number; result?: Result<unknown>; name?: string; payload?: unknown };

/** Opens /hub/ws with this Bearer token; rejects with the HTTP status when the upgrade is refused. */
export async function desk(hub: Hub, token: string | null) {
  const ws = new WebSocket(`ws://127.0.0.1:${hub.port}/hub/ws`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const heard: Heard[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (d) => {
    heard.push(JSON.parse(String(d)) as Heard);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (c: Buffer) => (body += String(c)));
      response.on('end', () =>
        reject(
          Object.assign(new Error(`refused with ${response.statusCode}`), {
            status: response.statusCode,
            body: JSON.parse(body) as unknown,
          }),
        ),
      );
    });
    ws.once('error', reject);
  });
  const until = (match: (m: Heard) => boolean): Promise<Heard> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = heard.find(match);
        if (!found) return;
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
      void closed.then((code) => {
        if (waiters.delete(check)) reject(new Error(`the socket closed (${code}) before the message came`));
      });
    });
  let nextId = 1;
  const call = async (method: string, args: unknown): Promise<Result<unknown>> => {
    const id = nextId++;
    ws.send(JSON.stringify({ type: 'call', id, method, args }));
    return (await until((m) => m.type === 'result' && m.id === id)).result!;
  };
  return { ws, heard, closed, until, call };
}

/** The status and body of a refused upgrade. */
export async function refusedDesk(hub: Hub, token: string | null): Promise<{ status: number; body: unknown }> {
  try {
    const d = await desk(hub, token);
    d.ws.close();
  } catch (error) {
    return error as { status: number; body: unknown };
  }
  throw new Error('the socket was accepted');
}
