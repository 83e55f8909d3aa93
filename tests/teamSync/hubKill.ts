import fs from 'node:fs';
import path from 'node:path';
import type { Result } from '../../shared/contract/errors';
import { newId } from '../../shared/domain/ids';
import type { Agent } from '../../shared/domain/types';
import type { MutationName } from '../../shared/sync/mutations';
import type { MutationRecord, PullResult, PushResult } from '../../shared/sync/protocol';
import { Core, DATA_FILE } from '../../src-main/core/core';
import { desk as hubSocket } from '../../src-main/hub/testing/hubKit';
import { createRandom, type Random } from '../../src-main/services/demo/random';
import { openStore, type Store } from '../../src-main/store';
import { addCustomerWithConversation } from '../../src-main/store/testing';
import type { HubLink } from '../../src-main/teamSync/hubLink';
import type { TeamConfig } from '../../src-main/teamSync/teamSettings';
import { wsHubLink } from '../../src-main/teamSync/wsHubLink';
import { sleep, tempDir } from './hubKit';
import { HUB_OWNER, HubProcess, hubLogin } from './hubProcess';
import { drainedProblems, type Ack } from './invariants';
import { hubTestFolder } from '../../src-main/store/pg/testing';

/** What a desk heard from the hub: its verdict on each of the desk's mutations (a push's answer, or the feed), and the pushes on the way. */
type Heard = { verdicts: Map<string, 'applied' | 'rejected'>; inFlight: Map<object, string[]> };

/** The production link to the hub (a WebSocket to /hub/ws), with a listener on what it carries. */
function heardLink(inner: HubLink, clientId: string, heard: Heard): HubLink {
  return {
    async call(method, args) {
      const token = {};
      if (method === 'sync.push')
        heard.inFlight.set(
          token,
          (args as { mutations: { mutationId: string }[] }).mutations.map((m) => m.mutationId),
        );
      const r = await inner.call(method, args);
      heard.inFlight.delete(token);
      if (r.ok && method === 'sync.push') for (const o of (r.value as PushResult).results) heard.verdicts.set(o.mutationId, o.status);
      if (r.ok && method === 'sync.pull' && (r.value as PullResult).kind === 'changes') {
        for (const c of (r.value as Extract<PullResult, { kind: 'changes' }>).changes) {
          const m = c.row as MutationRecord;
          if (c.entity === 'mutation' && m.clientId === clientId) heard.verdicts.set(m.mutationId, m.status);
        }
      }
      return r;
    },
    onPoke: (l) => inner.onPoke(l),
    onState: (l) => inner.onState(l),
    state: () => inner.state(),
    close: () => inner.close(),
  };
}

type KillDesk = {
  label: string;
  dir: string;
  core: Core;
  agent: Agent;
  /** The renderer's client id (tier 1). */
  clientId: string;
  acks: Ack[];
  cursors: number[];
  heard: Heard;
  /** The hub's client id of this desk (tier 2), once joined. */
  hubClientId: string;
};

export type HubKillResult = {
  seed: number;
  problems: string[];
  stats: {
    kills: number;
    /** Kills while a push was on its way to the hub. */
    duringPush: number;
    /** Kills that left a push's batch partly recorded on the hub (some of its mutations committed, the rest not). */
    partialBatches: number;
    actions: number;
    /** Actions whose verdict a desk heard from the hub before the drain. */
    heardBeforeDrain: number;
    /** The second desk joined (and bootstrapped) while the hub was being killed. */
    lateJoin: boolean;
    ms: number;
  };
};

/** The hub's shop before the desks join: buyers with open conversations and orders, a few tags. */
function fillHubShop(file: string, rnd: Random): void {
  const store = openStore(file);
  try {
    const at = 1_700_000_000_000;
    for (let i = 0; i < 14; i++) {
      const { customerId } = addCustomerWithConversation(store, `买家${i}`, at + i);
      store.tx(() => {
        for (let o = 0; o < rnd.int(1, 3); o++) {
          const id = newId();
          store.orders.insert(
            {
              id,
              order_no: `K${i}${o}${String(rnd.int(0, 1e9)).padStart(10, '0')}`,
              customer_id: customerId,
              status: 'to_ship',
              amount_cents: 9900 + i,
              address: '浙江省杭州市西湖区文三路 100 号',
              logistics_company: '',
              tracking_no: '',
              created_at: at + i * 10 + o,
              paid_at: at + i * 10 + o,
              updated_at: at + i * 10 + o,
            },
            [{ id: newId(), title: '高腰阔腿牛仔裤', sku: '黑色 XL', price_cents: 9900, quantity: 1 }],
          );
        }
      });
    }
    store.tx(() => {
      for (const [n, name] of ['老客户', '催发货', '要发票'].entries())
        store.customers.insertTag({ id: `tag-${n}`, name, color: '#30a46c', created_at: at });
    });
  } finally {
    store.close();
  }
}

/** A tier-1 push from the desk's renderer; what the desk applied is acknowledged to the agent. */
async function act(desk: KillDesk, name: MutationName, args: Record<string, unknown>): Promise<void> {
  const mutationId = newId();
  const r = (await desk.core.call(
    'sync.push',
    { clientId: desk.clientId, mutations: [{ mutationId, name, args }] },
    `renderer-${desk.label}`,
  )) as Result<PushResult>;
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  if (r.value.results[0]?.status === 'applied') desk.acks.push({ mutationId, name, args });
}

/** One agent action on what the desk shows: a reply, a tag made or put on or taken off, a memo appended, a remark. */
async function randomAction(rnd: Random, desk: KillDesk, label: string): Promise<void> {
  const store = desk.core.store;
  const conversations = store.conversations.list('open', new Map());
  if (conversations.length === 0) return;
  const c = rnd.pick(conversations);
  const tags = store.customers.tags();
  const roll = rnd.next();
  if (roll < 0.4) return act(desk, 'messages.send', { id: `m-${label}`, conversationId: c.id, text: `回复 ${label}` });
  if (roll < 0.5) {
    const id = `t-${label}`;
    await act(desk, 'tags.create', { id, name: `标签 ${label}`, color: '#e5484d' });
    return act(desk, 'customers.addTag', { customerId: c.customerId, tagId: id });
  }
  if (roll < 0.6 && tags.length > 0) return act(desk, 'customers.addTag', { customerId: c.customerId, tagId: rnd.pick(tags).id });
  if (roll < 0.67 && tags.length > 0) return act(desk, 'customers.removeTag', { customerId: c.customerId, tagId: rnd.pick(tags).id });
  if (roll < 0.92) {
    const orders = store.orders.listByCustomer(c.customerId);
    if (orders.length === 0) return;
    const orderIds = rnd.sample(orders, rnd.int(1, Math.min(2, orders.length))).map((o) => o.id);
    // Appends only, each marked: an append applied twice would show its mark twice in the hub's memo.
    return act(desk, 'orders.setNotes', {
      orderIds,
      memo: `〔${label}〕`,
      memoMode: 'append',
      ...(rnd.chance(0.3) ? { flag: rnd.int(0, 5) } : {}),
    });
  }
  return act(desk, 'customers.setRemark', { customerId: c.customerId, remark: `备注 ${label}` });
}

/** What the desks heard from the hub, checked against the hub's file while it is down. */
function heardProblems(hub: Store, desks: KillDesk[], when: string): string[] {
  const problems: string[] = [];
  const integrity = hub.db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') problems.push(`${when}: the hub's file: integrity_check ${String(integrity)}`);
  for (const d of desks) {
    const recorded = new Map(hub.mutations.ofClient(d.hubClientId).map((r) => [r.mutationId, r.status]));
    const lost = [...d.heard.verdicts].filter(([id, status]) => recorded.get(id) !== status);
    if (lost.length > 0)
      problems.push(
        `${when}: ${d.label}: ${lost.length} actions the hub had acknowledged are not recorded so (${lost[0]![0]} ${lost[0]![1]})`,
      );
  }
  return problems;
}

/** Each applied memo append once in the hub's memo of each of its orders. */
function memoProblems(hub: Store, desks: KillDesk[]): string[] {
  const problems: string[] = [];
  const memoOf = hub.db.prepare("SELECT coalesce((SELECT memo FROM order_notes WHERE order_id = ?), '')").pluck();
  for (const d of desks) {
    const records = new Map(hub.mutations.ofClient(d.hubClientId).map((r) => [r.mutationId, r.status]));
    for (const a of d.acks) {
      if (a.name !== 'orders.setNotes' || records.get(a.mutationId) !== 'applied') continue;
      const mark = a.args.memo as string;
      for (const orderId of a.args.orderIds as string[]) {
        const times = (memoOf.get(orderId) as string).split(mark).length - 1;
        if (times !== 1) problems.push(`${d.label}: the memo ${mark} is ${times} times in order ${orderId}'s memo on the hub`);
      }
    }
  }
  return problems;
}

/**
 * One seed of the kill test: a real `jiedai hub` process (its own data folder, set up with `jiedai
 * hub init`), two desk cores signed in as two agents over the real WebSocket link, acting in bursts
 * (replies, tags, memo appends, remarks) while the hub is killed with SIGKILL `kills` times, each
 * time while a push is on its way, and started again on the same port and folder after a moment
 * (the desks go on queueing meanwhile). After every kill, with the hub down, its file must hold
 * every verdict a desk heard from it. Then the desks drain, and tier 2's invariants hold: every
 * acknowledged action recorded on the hub once, in its desk's order, no reply or memo append
 * doubled, each desk's store equal to the hub's, cursors never back.
 */
export async function runHubKill(seed: number, options: { cli: string; kills: number; actionsPerDesk?: number }): Promise<HubKillResult> {
  const actionsPerDesk = options.actionsPerDesk ?? 200;
  const started = Date.now();
  const rnd = createRandom(seed);
  const hubDir = hubTestFolder(tempDir(`hubkill-${seed}`));
  const hub = new HubProcess(options.cli, hubDir);
  const file = path.join(hubDir, DATA_FILE);
  const desks: KillDesk[] = [];
  const problems: string[] = [];
  const stats = { kills: 0, duringPush: 0, partialBatches: 0, actions: 0, heardBeforeDrain: 0, lateJoin: false, ms: 0 };
  let acting = true;
  const actors: Promise<void>[] = [];
  const trace = (m: string) => process.env.JIEDAI_HUBKILL_TRACE && process.stderr.write(`${Date.now() - started} ${m}\n`);
  try {
    await hub.init();
    fillHubShop(file, rnd);
    await hub.start();
    trace(`hub up on ${hub.port}`);

    const owner = await hubLogin(hub.url, HUB_OWNER.nick, HUB_OWNER.password);
    const ownerSocket = await hubSocket({ port: hub.port, url: hub.url, sockets: () => 0, close: async () => undefined }, owner.token);
    const accounts = [
      { id: `a-${seed}-1`, nick: '小美', password: 'agent-pass-1' },
      { id: `a-${seed}-2`, nick: '小王', password: 'agent-pass-2' },
    ];
    for (const a of accounts) {
      const r = await ownerSocket.call('accounts.create', { ...a, role: 'agent' });
      if (!r.ok) throw new Error(`accounts.create: ${r.error.message}`);
    }
    ownerSocket.ws.close();

    const sessions: Awaited<ReturnType<typeof hubLogin>>[] = [];
    for (const a of accounts) sessions.push(await hubLogin(hub.url, a.nick, a.password));

    const join = (i: number): void => {
      const session = sessions[i]!;
      const heard: Heard = { verdicts: new Map(), inFlight: new Map() };
      const dir = tempDir(`hubkill-desk-${seed}-${i}`);
      const cursors: number[] = [];
      // Desk 0 reconnects and retries quickly; desk 1 keeps the app's own delays (0.5–10 s) in odd seeds.
      const fast = i === 0 || seed % 2 === 0;
      const core = new Core({
        dataDir: dir,
        seedDemo: false,
        demoBuyers: { enabled: false },
        log: () => undefined,
        hubLink: (config: TeamConfig) =>
          heardLink(
            wsHubLink(config, fast ? { reconnectBaseMs: 20, reconnectMaxMs: 300, log: () => undefined } : { log: () => undefined }),
            config.clientId,
            heard,
          ),
        team: {
          ...(fast ? { retryBaseMs: 10, retryMaxMs: 300 } : {}),
          pollMs: 2000,
          log: () => undefined,
          onCursor: (c) => cursors.push(c),
        },
      });
      const agent: Agent = { ...session.agent, state: 'online' };
      core.joinTeam({ hubUrl: hub.url, token: session.token, agent });
      const hubClientId = (core.store.settings.get<TeamConfig | null>('team', null) as TeamConfig).clientId;
      const d: KillDesk = { label: `desk ${i}`, dir, core, agent, clientId: newId(), acks: [], cursors, heard, hubClientId };
      desks.push(d);
      // The agent acts in bursts once the desk has the shop, until told to stop, whether or not the hub is up.
      const own = createRandom(seed * 31 + i);
      actors.push(
        (async () => {
          const readyBy = Date.now() + 60_000;
          while (!d.core.teamSync?.status().ready && acting) {
            if (Date.now() > readyBy) {
              problems.push(`${d.label} did not bootstrap: ${JSON.stringify(d.core.teamSync?.status())}`);
              return;
            }
            await sleep(20);
          }
          trace(`${d.label} ready`);
          let n = 0;
          // An agent's pace: bursts of 2–10 actions, then 0.15–0.6 s.
          while (acting && n < actionsPerDesk) {
            for (let b = own.int(2, 10); b > 0 && acting; b--) {
              await randomAction(own, d, `${seed}-${i}-${n++}`);
              stats.actions += 1;
            }
            await sleep(own.int(150, 600));
          }
        })(),
      );
    };
    // In some seeds the second desk joins just before the first kill, so the kill may cut its bootstrap.
    const lateJoin = seed % 3 === 1;
    stats.lateJoin = lateJoin;
    join(0);
    if (!lateJoin) join(1);
    trace('joined');

    for (let k = 0; k < options.kills; k++) {
      await sleep(rnd.int(200, 1200));
      if (lateJoin && k === 0) {
        join(1);
        await sleep(rnd.int(0, 300));
      }
      // In the middle of a push: wait for one on its way, then a moment more (the hub commits its batch one mutation at a time).
      const until = Date.now() + 5000;
      while (desks.every((d) => d.heard.inFlight.size === 0) && Date.now() < until) await sleep(1);
      await sleep(rnd.int(0, 8));
      const batches = desks.flatMap((d) => [...d.heard.inFlight.values()]);
      await hub.kill();
      trace(`killed with ${batches.length} pushes on their way; ${stats.actions} actions so far`);
      stats.kills += 1;
      if (batches.length > 0) stats.duringPush += 1;

      const down = openStore(file, { readonly: true });
      try {
        problems.push(...heardProblems(down, desks, `after kill ${k + 1}`));
        const has = down.db.prepare('SELECT 1 FROM mutations WHERE mutation_id = ?').pluck();
        for (const ids of batches) {
          const committed = ids.filter((id) => has.get(id) !== undefined).length;
          if (committed > 0 && committed < ids.length) stats.partialBatches += 1;
        }
      } finally {
        down.close();
      }
      // Down for a moment: the desks show offline and go on queueing.
      await sleep(rnd.int(50, 700));
      await hub.start();
      trace('restarted');
    }
    await sleep(rnd.int(200, 600));
    acting = false;
    await Promise.all(actors);
    stats.heardBeforeDrain = desks.reduce((n, d) => n + d.heard.verdicts.size, 0);

    // ── Drain: the hub stays up; every desk reaches its head with an empty outbox. ──
    const deadline = Date.now() + 40_000;
    for (;;) {
      for (const d of desks) {
        d.core.teamSync?.sync();
        await Promise.race([d.core.teamSync?.idle(), sleep(100)]);
      }
      const view = openStore(file, { readonly: true });
      const head = view.changes.head();
      view.close();
      const states = desks.map((d) => d.core.teamSync!.status());
      if (states.every((s) => s.pending === 0 && s.cursor === head && !s.bootstrapping && s.online)) break;
      if (Date.now() > deadline) {
        problems.push(`the outboxes did not drain: head ${head}, ${JSON.stringify(states)}`);
        break;
      }
      trace(`draining: head ${head}, ${JSON.stringify(states)}`);
      await sleep(20);
    }
    for (const d of desks) d.core.teamSync?.stop();
    await hub.stop();

    const after = openStore(file, { readonly: true });
    try {
      problems.push(...heardProblems(after, desks, 'after the drain'));
      problems.push(...drainedProblems(after, desks));
      problems.push(...memoProblems(after, desks));
    } finally {
      after.close();
    }
    if (hub.starts !== options.kills + 1) problems.push(`the hub started ${hub.starts} times for ${options.kills} kills`);
  } finally {
    acting = false;
    await Promise.allSettled(actors);
    await hub.kill();
    for (const d of desks) {
      d.core.close();
      fs.rmSync(d.dir, { recursive: true, force: true });
    }
    fs.rmSync(hubDir, { recursive: true, force: true });
  }
  stats.ms = Date.now() - started;
  return { seed, problems, stats };
}
