import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Result } from '../../shared/contract/errors';
import { Core } from '../../src-main/core/core';
import { startHub, type Hub, type HubOptions } from '../../src-main/hub/hubServer';
import { AGENT, desk, OWNER } from '../../src-main/hub/testing/hubKit';
import { hubTestFolder } from '../../src-main/store/pg/testing';

export { AGENT, OWNER };

/**
 * A real hub (a hub Core in this process behind the real hub server) on its own folder that can be
 * stopped and started again on the same port and folder, as a shop's hub goes down and comes back.
 * The shop is 小店, with its owner and the agent 小美 (hubKit's OWNER and AGENT).
 */
export type RealHub = {
  dir: string;
  port: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The hub's core while it runs (its store is the shop's truth). */
  core(): Core;
  running(): boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** A contract call as the shop owner over the hub's socket (accounts.*). */
  asOwner(method: string, args: unknown): Promise<Result<unknown>>;
  close(): Promise<void>;
};

export async function realHub(options: { hub?: Partial<Omit<HubOptions, 'core'>>; shop?: string } = {}): Promise<RealHub> {
  const dir = hubTestFolder(fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-real-hub-')));
  const open = () => new Core({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false, log: () => undefined });
  let core: Core | null = open();
  await core.initShop(options.shop ?? '小店', OWNER.nick, OWNER.password);
  let server: Hub | null = await startHub({ core, ...options.hub });
  const port = server.port;
  const base = `http://127.0.0.1:${port}`;

  const asOwner = async (method: string, args: unknown) => {
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: OWNER.nick, password: OWNER.password }),
    });
    const { token } = (await response.json()) as { token: string };
    const d = await desk(server!, token);
    try {
      return await d.call(method, args);
    } finally {
      d.ws.close();
    }
  };
  const created = await asOwner('accounts.create', { id: AGENT.id, nick: AGENT.nick, role: 'agent', password: AGENT.password });
  if (!created.ok) throw new Error(JSON.stringify(created));

  const stop = async () => {
    await server?.close();
    core?.close();
    server = null;
    core = null;
  };
  return {
    dir,
    port,
    base,
    core: () => {
      if (!core) throw new Error('the hub is stopped');
      return core;
    },
    running: () => server !== null,
    stop,
    async start() {
      if (server) return;
      core = open();
      server = await startHub({ core, ...options.hub, port });
    },
    asOwner,
    async close() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
