import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Result } from '../../shared/contract/errors';
import type { TeamStatus } from '../../shared/contract/team';
import { Core } from '../../src-main/core/core';
import type { HubLink } from '../../src-main/teamSync/hubLink';
import { wsHubLink } from '../../src-main/teamSync/wsHubLink';

/**
 * Desk cores as the app runs them (a WebSocket link to the hub), with short back-offs, for tests
 * against the real hub server. Each kit keeps its own cleanup list: call `cleanUp` after each test.
 */
export function deskCoreKit(label: string) {
  const cleanup: (() => void | Promise<void>)[] = [];
  const tempDir = (name: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jiedai-${label}-${name}-`));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const openDesk = (
    dir: string,
    options: { timeoutMs?: number; watchOtherWritersMs?: number; keepBackups?: number; wrap?: (link: HubLink) => HubLink } = {},
  ): Core => {
    const wrap = options.wrap ?? ((link: HubLink) => link);
    const core = new Core({
      dataDir: dir,
      demoBuyers: { enabled: false },
      watchOtherWritersMs: options.watchOtherWritersMs ?? false,
      keepBackups: options.keepBackups ?? 0,
      log: () => undefined,
      hubLink: (config) => wrap(wsHubLink(config, { reconnectBaseMs: 20, reconnectMaxMs: 200, log: () => undefined })),
      team: { retryBaseMs: 5, retryMaxMs: 100, pollMs: 0, log: () => undefined },
      ...(options.timeoutMs !== undefined ? { hubHttp: { timeoutMs: options.timeoutMs } } : {}),
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
  };
  return {
    cleanup,
    tempDir,
    openDesk,
    async cleanUp(): Promise<void> {
      for (const c of cleanup.splice(0).reverse()) await c();
    },
  };
}

/** The call's value, or an error naming its code. */
export async function value<T>(r: Promise<Result<unknown>>): Promise<T> {
  const result = await r;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

export const status = (core: Core) => value<TeamStatus>(core.call('team.status', {}, 'renderer'));
