import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Result } from '../../shared/contract/errors';
import { newId } from '../../shared/domain/ids';
import type { PushResult } from '../../shared/sync/protocol';
import Database from 'better-sqlite3';
import { Core, DATA_FILE } from '../../src-main/core/core';
import { CoreClient } from '../../src-main/core/coreClient';
import { percentile } from '../harness';
import { benchHub, type BenchHub } from './hubFixture';
import type { SyncBenchResult } from './sync-fixture';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The i-th of 1,000 actions in an agent's proportions: replies, tags on and off, memos, remarks. */
function action(i: number, round: string, hub: BenchHub): { name: string; args: Record<string, unknown> } {
  const c = hub.conversations[i % hub.conversations.length]!;
  const kind = i % 10;
  if (kind < 5) return { name: 'messages.send', args: { id: `hp-${round}-${i}`, conversationId: c.id, text: `离线回复 ${round}-${i}` } };
  if (kind < 7)
    return { name: kind === 5 ? 'customers.addTag' : 'customers.removeTag', args: { customerId: c.customerId, tagId: `tag-${i % 4}` } };
  if (kind < 8) return { name: 'customers.setRemark', args: { customerId: c.customerId, remark: `备注 ${round}-${i}` } };
  const orderId = hub.core.store.orders.listByCustomer(c.customerId)[0]!.id;
  return { name: 'orders.setNotes', args: { orderIds: [orderId], memo: `备忘 ${round}-${i}`, flag: i % 6 } };
}

/**
 * Tier 2 after an outage: a desk core in its worker thread, as the app runs it (the real WebSocket
 * link, the app's reconnect delays), queues 1,000 actions while its hub's server is down (the hub
 * core stays up in this thread: the server alone closes), then the server is back on the same port.
 * Measured from the desk's socket reaching the hub again to its outbox empty: every action pushed,
 * recorded once on the hub, and covered by the desk's cursor (read from the desk's file). Median of
 * the rounds, each with a new desk. How long the desk took to try again (its back-off) is a detail.
 */
export async function runHubPush1000(options: { quick?: boolean } = {}): Promise<SyncBenchResult> {
  const rounds = options.quick ? 1 : 3;
  const hub = await benchHub({ customers: 400, openConversations: 200 });
  const dirs: string[] = [];
  try {
    const [account] = await hub.agents(1);
    const samples: number[] = [];
    const reconnects: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bench-hub-desk-'));
      dirs.push(dir);
      // Joined and bootstrapped once in this thread, then started as the app starts it.
      const joining = new Core({
        dataDir: dir,
        seedDemo: false,
        demoBuyers: { enabled: false },
        log: () => undefined,
        hubLink: 'websocket',
      });
      joining.joinTeam({ hubUrl: hub.url, token: account!.token, agent: account!.agent });
      while (!joining.teamSync!.status().ready || joining.teamSync!.status().pending > 0) await sleep(10);
      joining.close();
      await hub.hub.close();
      const desk = await CoreClient.start({
        dataDir: dir,
        demoBuyers: { enabled: false },
        hubLink: 'websocket',
        dailyBackups: { enabled: false },
      });
      const outbox = new Database(path.join(dir, DATA_FILE), { readonly: true });
      const pending = outbox.prepare('SELECT count(*) FROM hub_outbox').pluck();
      try {
        const clientId = newId();
        for (let i = 0; i < 1000; i++) {
          const { name, args } = action(i, `${round}`, hub);
          const r = (await desk.call(
            'sync.push',
            { clientId, mutations: [{ mutationId: newId(), name, args }] },
            'renderer',
          )) as Result<PushResult>;
          if (!r.ok || r.value.results[0]?.status !== 'applied') throw new Error(`queueing ${name}: ${JSON.stringify(r)}`);
        }
        if (pending.get() !== 1000) throw new Error(`${String(pending.get())} queued, not 1000`);
        const back = performance.now();
        await hub.reopen();
        while (hub.hub.sockets() === 0) await sleep(1);
        const open = performance.now();
        const deadline = open + 120_000;
        while ((pending.get() as number) > 0) {
          if (performance.now() > deadline) throw new Error(`still ${String(pending.get())} queued after 120 s`);
          await sleep(2);
        }
        samples.push(performance.now() - open);
        reconnects.push(open - back);
      } finally {
        outbox.close();
        await desk.close();
      }
    }
    // Baseline: the same kinds of 1,000 mutations pushed to the hub core directly, 100 a call, on a
    // signed-in connection (no socket, no desk, no outbox, no rebase): the hub's own share.
    const connection = 'bench-direct';
    const resumed = await hub.core.call('auth.resume', { token: account!.token }, connection);
    if (!resumed.ok) throw new Error(resumed.error.message);
    const direct: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const mutations = Array.from({ length: 1000 }, (_, i) => ({ mutationId: newId(), ...action(i, `direct-${round}`, hub) }));
      const started = performance.now();
      for (let i = 0; i < mutations.length; i += 100) {
        const r = await hub.core.call(
          'sync.push',
          { clientId: `bench-direct-${round}`, mutations: mutations.slice(i, i + 100) },
          connection,
        );
        if (!r.ok) throw new Error(`sync.push: ${r.error.message}`);
      }
      direct.push(performance.now() - started);
    }
    return {
      name: 'hub-push-1000',
      value: Math.round(percentile(samples, 50)),
      unit: 'ms',
      target: 5000,
      better: 'lower',
      baseline: { label: "the same mutations pushed to the hub's core directly", value: Math.round(percentile(direct, 50)) },
      details: {
        maxMs: Math.round(Math.max(...samples)),
        rounds,
        deskRetryAfterHubBackMs: Math.round(percentile(reconnects, 50)),
      },
    };
  } finally {
    await hub.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}
