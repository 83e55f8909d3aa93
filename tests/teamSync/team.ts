import fs from 'node:fs';
import path from 'node:path';
import type { Result } from '../../shared/contract/errors';
import { newId } from '../../shared/domain/ids';
import type { Agent } from '../../shared/domain/types';
import type { MutationName } from '../../shared/sync/mutations';
import type { PushResult } from '../../shared/sync/protocol';
import { Core, DATA_FILE } from '../../src-main/core/core';
import type { TeamSyncOptions } from '../../src-main/teamSync/teamSync';
import { ChaosHubLink, hubAgents, NO_FAULTS, sleep, tempDir, type HubEnd, type LinkFaults } from './hubKit';

/** A hub Core in this process, with each desk's connection signed in as its account. */
export function inProcessHub(core: () => Core | null, accounts: Map<string, string>): HubEnd {
  return {
    call(method, args, connection) {
      const c = core();
      if (!c) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'the hub is down' } });
      const agentId = accounts.get(connection);
      if (agentId) c.signIn(connection, agentId);
      return c.call(method, args, connection);
    },
    on(listener) {
      const c = core();
      return c ? c.on(listener as never) : () => undefined;
    },
  };
}

export type TestDesk = {
  name: string;
  dir: string;
  agent: Agent;
  link: ChaosHubLink;
  core: Core;
  /** The renderer's client id on this desk (tier 1). */
  clientId: string;
  cursors: number[];
};

export const FAST_TEAM: TeamSyncOptions = { retryBaseMs: 1, retryMaxMs: 15, pollMs: 0, log: () => undefined };

/** Opens (or reopens, after a restart) a desk core in team mode on its folder, linked to the hub. */
export function openDesk(desk: Omit<TestDesk, 'core'> & { core?: Core }, options: TeamSyncOptions = FAST_TEAM): Core {
  return new Core({
    dataDir: desk.dir,
    seedDemo: false,
    demoBuyers: { enabled: false },
    log: () => undefined,
    hubLink: () => desk.link.reopen(),
    team: { ...options, onCursor: (c) => desk.cursors.push(c) },
  });
}

/** A new desk (its own empty folder) that joins the hub as `agent`. */
export function joinDesk(
  hub: HubEnd,
  accounts: Map<string, string>,
  name: string,
  agent: Agent,
  opts: { seed?: number; faults?: LinkFaults; team?: TeamSyncOptions } = {},
): TestDesk {
  const connection = `hub-conn-${name}`;
  accounts.set(connection, agent.id);
  const base = {
    name,
    dir: tempDir(`desk-${name}`),
    agent,
    link: new ChaosHubLink(() => hub, connection, opts.seed ?? 1, opts.faults ?? NO_FAULTS),
    clientId: newId(),
    cursors: [] as number[],
  };
  const core = openDesk(base, opts.team);
  core.joinTeam({ hubUrl: 'test://hub', token: 'test-token', agent });
  return { ...base, core };
}

/** A tier-1 push from the desk's renderer: what `mutate(name, args)` sends. */
export async function act(
  desk: TestDesk,
  name: MutationName,
  args: unknown,
  mutationId = newId(),
): Promise<{ mutationId: string; outcome: PushResult['results'][number] | undefined; stopped: PushResult['stopped'] }> {
  const r = (await desk.core.call(
    'sync.push',
    { clientId: desk.clientId, mutations: [{ mutationId, name, args }] },
    `renderer-${desk.name}`,
  )) as Result<PushResult>;
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return { mutationId, outcome: r.value.results[0], stopped: r.value.stopped };
}

/** Waits until every desk's outbox is empty and its cursor is at the hub's head (or the deadline passes). */
export async function drain(hub: Core, desks: TestDesk[], timeoutMs = 20_000): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const d of desks) {
      d.core.teamSync?.sync();
      // A desk that cannot reach the hub is never idle (it keeps retrying): do not wait on it for ever.
      await Promise.race([d.core.teamSync?.idle(), sleep(100)]);
    }
    const head = hub.store.changes.head();
    const states = desks.map((d) => d.core.teamSync?.status());
    if (states.every((s) => s && s.pending === 0 && s.cursor === head && !s.bootstrapping)) return null;
    if (Date.now() > deadline) return `not drained: head ${head}, ${JSON.stringify(states)}`;
    await sleep(5);
  }
}

/** A hub on a copy of the demo shop (its accounts, buyers, orders and phrases), no demo buyers. */
export function makeHub(template?: string): { dir: string; core: Core } {
  const dir = tempDir('hub');
  if (template) fs.copyFileSync(template, path.join(dir, DATA_FILE));
  const core = new Core({ dataDir: dir, demoBuyers: { enabled: false }, log: () => undefined });
  return { dir, core };
}

export { hubAgents };
