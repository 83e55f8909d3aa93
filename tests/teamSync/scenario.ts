import fs from 'node:fs';
import path from 'node:path';
import type { Result } from '../../shared/contract/errors';
import type { Agent } from '../../shared/domain/types';
import type { MutationName } from '../../shared/sync/mutations';
import { DATA_FILE } from '../../src-main/core/core';
import { createRandom, type Random } from '../../src-main/services/demo/random';
import { createStore, type Store } from '../../src-main/store';
import { openDatabase } from '../../src-main/store/connection';
import { readTeamConfig } from '../../src-main/teamSync/teamSettings';
import { CoreThread } from '../sync/coreWorker';
import { drainedProblems, type Ack } from './invariants';
import { sleep, tempDir, type HubEnd, type LinkFaults } from './hubKit';
import { act, joinDesk, openDesk, type TestDesk } from './team';

export const TIER2_FAULTS: LinkFaults = {
  dropRequest: 0.08,
  dropReply: 0.08,
  duplicate: 0.1,
  delay: 0.3,
  dropPoke: 0.3,
  duplicatePoke: 0.1,
};

export type HubFaults = {
  /** A push is committed on the hub, then the hub is killed before its answer leaves. */
  killAfterCommit: number;
  /** The hub is killed a moment after a call arrives (before or after its commit). */
  killInFlight: number;
};

const HUB_FAULTS: HubFaults = { killAfterCommit: 0.03, killInFlight: 0.006 };

type Desk = TestDesk & { acks: Ack[]; index: number };

export type SeedResult = {
  seed: number;
  problems: string[];
  stats: {
    mutations: number;
    hubStarts: number;
    deskRestarts: number;
    partitions: number;
    calls: number;
    dropped: number;
    lostReplies: number;
    duplicates: number;
    resets: number;
    buyers: boolean;
    ms: number;
  };
};

/**
 * The hub in a worker thread (so it can be killed mid-transaction, as a crash would), each desk's
 * connection signed in as its account after every start, and killed on purpose around calls.
 */
function workerHub(
  thread: CoreThread,
  accounts: Map<string, string>,
  rnd: () => number,
  faults: HubFaults,
  restart: () => Promise<void>,
): HubEnd & { calm: boolean } {
  const signedAt = new Map<string, number>();
  const end = {
    calm: false,
    async call(method: string, args: unknown, connection: string): Promise<Result<unknown>> {
      const agentId = accounts.get(connection);
      if (agentId && signedAt.get(connection) !== thread.starts) {
        const r = await thread.call('session.switchAgent', { agentId }, connection);
        if (!r.ok) return r;
        signedAt.set(connection, thread.starts);
      }
      const killAfter = !end.calm && method === 'sync.push' && rnd() < faults.killAfterCommit;
      const killIn = !end.calm && rnd() < faults.killInFlight;
      const answer = thread.call(method, args, connection);
      if (killIn) void sleep(Math.floor(rnd() * 3)).then(restart);
      const result = await answer;
      if (killAfter && result.ok) {
        await restart();
        return { ok: false, error: { code: 'unavailable', message: 'the hub died before answering' } };
      }
      return result;
    },
    on(listener: (name: string, payload: unknown) => void) {
      return thread.on(listener as never);
    },
  };
  return end;
}

/**
 * One seed of the randomized tier-2 test: two desk cores (in this thread, each on its own folder)
 * act at random as two accounts of a hub core (a worker on a copy of the demo shop) while their
 * links drop, duplicate, delay and reorder calls and pokes, one desk is cut off now and then, a
 * desk restarts, the hub is killed (also between a push's commit and its answer) and its feed
 * forgets its older part. Then the faults stop and the outboxes drain, and the invariants are read
 * from the files.
 */
export async function runSeed(seed: number, options: { bundle: string; template: string; steps: number }): Promise<SeedResult> {
  const started = Date.now();
  const rnd = createRandom(seed);
  const hubDir = tempDir(`t2-hub-${seed}`);
  fs.copyFileSync(options.template, path.join(hubDir, DATA_FILE));
  const buyers = rnd.chance(0.3);
  const thread = new CoreThread(options.bundle, { dataDir: hubDir, seedDemo: false, demoBuyers: { enabled: buyers, intervalMs: 200 } });
  let restarting: Promise<void> | null = null;
  const restartHub = (): Promise<void> =>
    (restarting ??= (async () => {
      await thread.kill();
      await thread.start();
    })().finally(() => {
      restarting = null;
    }));
  const accounts = new Map<string, string>();
  const hubRandom = createRandom(seed * 13 + 7);
  const hub = workerHub(thread, accounts, () => hubRandom.next(), HUB_FAULTS, restartHub);
  const problems: string[] = [];
  const desks: Desk[] = [];
  let deskRestarts = 0;
  const trace = (m: string) => process.env.JIEDAI_TEAM_TRACE && process.stderr.write(`${Date.now() - started} ${m}\n`);
  let resets = 0;

  try {
    await thread.start();
    const listed = await thread.call('agents.list', {}, 'test');
    const agents = (listed.ok ? listed.value : []) as Agent[];
    const team = {
      retryBaseMs: 1,
      retryMaxMs: 12,
      pollMs: 0,
      pullLimit: rnd.pick([9, 200, 1000]),
      snapshotLimit: rnd.pick([200, 1000, 5000]),
      pushBatch: rnd.pick([1, 4, 100]),
      log: () => undefined,
    };
    for (let i = 0; i < 2; i++) {
      const d = joinDesk(hub, accounts, `s${seed}d${i}`, agents[i]!, { seed: seed * 2 + i, faults: TIER2_FAULTS, team });
      desks.push({ ...d, acks: [], index: i });
    }

    trace('joined');
    let partitioned: Desk | null = null;
    let waited = 0;
    for (let step = 0; step < options.steps; step++) {
      const desk = rnd.pick(desks);
      const ready = desk.core.teamSync?.status().ready ?? false;
      if (!ready && waited++ < 2000) {
        // An agent acts on what the desk shows: until it has the shop, they wait.
        step -= 1;
        if (waited % 50 === 0) trace(`waiting ${JSON.stringify(desk.core.teamSync?.status())} ${JSON.stringify(desk.link.log)}`);
        await sleep(3);
        continue;
      }
      const mutate = async (name: MutationName, args: Record<string, unknown>) => {
        const r = await act(desk, name, args);
        // Acknowledged: the desk applied it (the agent saw it happen); it must reach the hub once.
        if (r.outcome?.status === 'applied') desk.acks.push({ mutationId: r.mutationId, name, args });
      };
      trace(`step ${step} desk ${desk.index}`);
      await randomAction(rnd, desk.core.store, mutate, `s${seed}-d${desk.index}-${step}`);

      if (rnd.chance(0.02)) await restartHub();
      if (!partitioned && rnd.chance(0.06)) {
        partitioned = rnd.pick(desks);
        partitioned.link.cut();
      } else if (partitioned && rnd.chance(0.15)) {
        partitioned.link.mend();
        partitioned = null;
      }
      if (rnd.chance(0.03)) {
        // The app is quit and started again (offline or not): a new core on the same folder.
        const d = rnd.pick(desks);
        d.core.close();
        d.core = openDesk(d, team);
        deskRestarts += 1;
      }
      if (rnd.chance(0.015)) {
        // The hub forgets the older part of its feed: desks behind it must rebuild from its snapshot.
        resets += 1;
        compactFeed(path.join(hubDir, DATA_FILE), rnd.int(0, 20));
      }
      await sleep(rnd.int(0, 3));
    }

    // ── Drain: faults stop, the hub stays up, every desk reaches the hub's head with an empty outbox. ──
    trace('drain');
    hub.calm = true;
    for (const d of desks) {
      d.link.calm = true;
      d.link.mend();
    }
    if (restarting) await restarting;
    trace('restarted');
    if (!thread.running) await thread.start();
    trace('started');
    if (buyers) await thread.call('demo.configureBuyers', { enabled: false }, 'test');
    trace('buyers off');
    const deadline = Date.now() + 30_000;
    for (;;) {
      for (const d of desks) {
        d.core.teamSync?.sync();
        await Promise.race([d.core.teamSync?.idle(), sleep(100)]);
      }
      const head = await thread.call('sync.pull', { cursor: 0, limit: 1 }, 'test');
      const headSeq = head.ok ? (head.value as { head: number }).head : -1;
      const states = desks.map((d) => d.core.teamSync!.status());
      if (states.every((s) => s.pending === 0 && s.cursor === headSeq && !s.bootstrapping)) break;
      if (Date.now() > deadline) {
        problems.push(`the outboxes did not drain: ${JSON.stringify(states)} head ${headSeq}`);
        break;
      }
      trace(`drain loop ${JSON.stringify(states)} ${headSeq}`);
      await sleep(5);
    }
    for (const d of desks) d.core.teamSync?.stop();
    trace('closing');
    await thread.close();
    trace('checking');
    problems.push(...check(path.join(hubDir, DATA_FILE), desks));
    const logs = desks.map((d) => d.link.log);
    return {
      seed,
      problems,
      stats: {
        mutations: desks.reduce((n, d) => n + d.acks.length, 0),
        hubStarts: thread.starts,
        deskRestarts,
        partitions: logs.reduce((n, l) => n + l.partitions, 0),
        calls: logs.reduce((n, l) => n + l.calls, 0),
        dropped: logs.reduce((n, l) => n + l.dropped, 0),
        lostReplies: logs.reduce((n, l) => n + l.lostReplies, 0),
        duplicates: logs.reduce((n, l) => n + l.duplicates, 0),
        resets,
        buyers,
        ms: Date.now() - started,
      },
    };
  } finally {
    for (const d of desks) {
      d.core.close();
      fs.rmSync(d.dir, { recursive: true, force: true });
    }
    await thread.kill();
    fs.rmSync(hubDir, { recursive: true, force: true });
  }
}

/** Prunes the hub's feed from a second connection while it runs, keeping the newest `keep` changes. */
function compactFeed(file: string, keep: number): void {
  const store = createStore(openDatabase(file));
  try {
    store.tx(() => store.changes.prune(store.changes.head() - keep));
  } finally {
    store.close();
  }
}

/** One random agent action, chosen from what the desk's store shows (some meant to be refused, here or by the hub). */
async function randomAction(
  rnd: Random,
  store: Store,
  mutate: (name: MutationName, args: Record<string, unknown>) => Promise<void>,
  label: string,
): Promise<void> {
  const conversations = store.conversations.list('open', new Map());
  if (conversations.length === 0) return;
  const c = rnd.pick(conversations);
  const tags = store.customers.tags();
  const groups = store.customers.groups();
  const roll = rnd.next();
  if (roll < 0.26) return mutate('messages.send', { id: `m-${label}`, conversationId: c.id, text: `回复 ${label}` });
  if (roll < 0.28) return mutate('messages.send', { id: `m-${label}`, conversationId: 'no-such-conversation', text: `迷路 ${label}` });
  if (roll < 0.33) return mutate('conversations.markRead', { conversationId: c.id });
  if (roll < 0.36) return mutate('conversations.end', { conversationId: c.id });
  if (roll < 0.41) {
    const id = `t-${label}`;
    // Two desks may pick one name: the hub answers the second with the first's tag.
    await mutate('tags.create', { id, name: `标签${rnd.int(0, 6)}`, color: '#30a46c' });
    return mutate('customers.addTag', { customerId: c.customerId, tagId: id });
  }
  if (roll < 0.51 && tags.length > 0) return mutate('customers.addTag', { customerId: c.customerId, tagId: rnd.pick(tags).id });
  if (roll < 0.59 && tags.length > 0) return mutate('customers.removeTag', { customerId: c.customerId, tagId: rnd.pick(tags).id });
  if (roll < 0.62) {
    const id = `g-${label}`;
    await mutate('customerGroups.create', { id, name: `分组${rnd.int(0, 6)}` });
    return mutate('customers.setGroup', { customerId: c.customerId, groupId: id });
  }
  if (roll < 0.67)
    return mutate('customers.setGroup', {
      customerId: c.customerId,
      groupId: groups.length > 0 && rnd.chance(0.7) ? rnd.pick(groups).id : null,
    });
  if (roll < 0.75) return mutate('customers.setRemark', { customerId: c.customerId, remark: `备注 ${label}` });
  if (roll < 0.88) {
    const orders = store.orders.listByCustomer(c.customerId);
    if (orders.length === 0) return;
    const ids = rnd.sample(orders, rnd.int(1, orders.length)).map((o) => o.id);
    if (rnd.chance(0.1)) return mutate('orders.setNotes', { orderIds: ids, memo: '长'.repeat(501) }); // 1002 GBK bytes: refused
    const flag = rnd.int(0, 5);
    return mutate(
      'orders.setNotes',
      rnd.chance(0.4)
        ? { orderIds: ids, flag }
        : rnd.chance(0.5)
          ? { orderIds: ids, memo: `备注 ${label}`, memoMode: 'append' }
          : { orderIds: ids, flag, memo: `旗和备注 ${label}` },
    );
  }
  const phrases = store.phrases.forPicker(readTeamConfig(store)?.agentId ?? '').phrases;
  if (phrases.length > 0) return mutate('phrases.markUsed', { phraseId: rnd.pick(phrases).id });
}

/** The invariants, read from the files after the drain. */
function check(hubFile: string, desks: Desk[]): string[] {
  const hub = createStore(openDatabase(hubFile, { readonly: true }));
  try {
    return drainedProblems(
      hub,
      desks.map((d) => ({ label: `desk ${d.index}`, core: d.core, acks: d.acks, cursors: d.cursors })),
    );
  } finally {
    hub.close();
  }
}
