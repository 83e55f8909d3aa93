import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { WebSocketServer } from 'ws';
import { percentile } from '../harness';
import { benchHub, type BenchHub } from './hubFixture';
import type { SyncBenchResult } from './sync-fixture';

const ROOT = path.resolve(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clock = () => performance.timeOrigin + performance.now();

type Report = { arrivals: number[][]; pulls: number; changes: number; failures: number };

/** The simulated desks (hubDesks.ts; or another such script) in their own process, driven over IPC. */
export async function desksProcess(script = 'hubDesks.ts') {
  const child: ChildProcess = fork(path.join(import.meta.dirname, script), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: { type: string; [k: string]: unknown }[] = [];
  const waiters: (() => void)[] = [];
  child.on('message', (m: { type: string; message?: string }) => {
    inbox.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = async <T>(type: string, timeoutMs = 120_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = inbox.findIndex((m) => m.type === type || m.type === 'error');
      if (i >= 0) {
        const [m] = inbox.splice(i, 1);
        if (m!.type === 'error') throw new Error(`the desks' process: ${String(m!.message)}`);
        return m as T;
      }
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the desks' process did not answer ${type}`);
      await Promise.race([new Promise<void>((r) => waiters.push(r)), sleep(200)]);
    }
  };
  await next('ready');
  return {
    pid: child.pid!,
    async ask<T>(command: Record<string, unknown>, answer: string, timeoutMs?: number): Promise<T> {
      child.send(command);
      return next<T>(answer, timeoutMs);
    },
    async close() {
      if (child.exitCode === null) {
        child.send({ type: 'exit' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Buyer messages arrive on the hub at a steady rate through the seam a channel uses
 * (`Core.receiveBuyerMessage`), for `seconds`; message n is due at start + n / rate. Its latency is
 * from when it was due (so a hub that falls behind shows it) to when it reached a desk's replica.
 * `perTick`: the messages of one 10 ms tick in one transaction (a channel committing its arrivals
 * together); otherwise each in its own, as the conversation service does for one message.
 */
async function inject(
  hub: BenchHub,
  opts: { prefix: string; count: number; rate: number; grouped: boolean; api?: { token: string; worker: boolean } | undefined },
) {
  const due = new Float64Array(opts.count);
  const routed: (string | null)[] = new Array<string | null>(opts.count).fill(null);
  const start = clock() + 50;
  for (let n = 0; n < opts.count; n++) due[n] = start + (n * 1000) / opts.rate;
  const customers = hub.customers;
  let sent = 0;
  const answers: Promise<void>[] = [];
  const one = (n: number) => {
    if (opts.api) {
      // A bridge's post, as /api/v1/inbound hands it to the core: one call each, grouped by the core.
      const buyer = n % customers.length;
      answers.push(
        hub
          .channel('api.inbound', {
            token: opts.api.token,
            key: `${opts.prefix}${n}`,
            source: 'bench',
            externalId: `buyer-${buyer}`,
            nick: `桥接买家${buyer}`,
            text: `${opts.prefix}${n} 在吗`,
          })
          .then((r) => {
            if (!r.ok) throw new Error(`api.inbound: ${r.error.message}`);
            const { conversationId } = (r.value as { answer: { conversationId: string } }).answer;
            // (Across the worker the owner is not read here: that phase's figure is every desk's.)
            if (!opts.api!.worker) routed[n] = hub.core.store.conversations.get(conversationId)?.agentId ?? null;
          }),
      );
      return;
    }
    // Most buyers write again in their open conversation; a new one opens one.
    const m = hub.core.receiveBuyerMessage({
      customerId: customers[n % customers.length]!,
      text: `在吗，第${n}条`,
      id: `${opts.prefix}${n}`,
    });
    routed[n] = hub.core.store.conversations.get(m.conversationId)?.agentId ?? null;
  };
  while (sent < opts.count) {
    const now = clock();
    let upTo = sent;
    // At most two ticks' worth at once: a hub that falls behind still turns its event loop (the desks' pulls) between them.
    while (upTo < opts.count && upTo - sent < (2 * opts.rate) / 100 && due[upTo]! <= now) upTo++;
    if (upTo > sent) {
      if (opts.grouped)
        hub.core.store.tx(() => {
          for (let n = sent; n < upTo; n++) one(n);
        });
      else for (let n = sent; n < upTo; n++) one(n);
      sent = upTo;
    }
    const wait = (due[sent] ?? now) - clock();
    if (wait > 0) await sleep(Math.min(10, wait));
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await Promise.all(answers);
  const finished = clock();
  return { due, routed, achievedRate: (opts.count * 1000) / (finished - start) };
}

/**
 * "Hub fan-out": 50 simulated desks (each its own agent, signed in, 在线, pulling on every poke into
 * an in-memory replica, in a second process) on one hub (its core and server in this process, on
 * 127.0.0.1), buyer messages injected at 1,000 a second for 10 s (--quick: 3 s). The figure is the
 * p95 from a message being due to its routed agent's replica having it, messages committed one
 * tick at a time; in the details: the same with one commit per message, every desk's p95; the same
 * messages as a bridge's posts through the channel seam (`Core.channel('api.inbound')`, one call
 * each, the core grouping those of a turn into one commit); and those posts to a hub run as
 * `jiedai hub` runs it, its core in a worker thread (a second hub, its own 50 desks; every desk's
 * p95, since the owner is not read across the worker). The baseline: the same numbered messages
 * broadcast as bare WebSocket frames to 50 plain sockets. The load average is in the details:
 * these machines are shared, and the bare baseline shows how much the run was starved.
 */
export async function runHubFanout(options: { quick?: boolean; rate?: number; desks?: number } = {}): Promise<SyncBenchResult> {
  const desksCount = options.desks ?? 50;
  const rate = options.rate ?? 1000;
  const seconds = options.quick ? 3 : 10;
  const count = rate * seconds;
  /** A hub (its core here, or in its worker) with 50 desks signed in, 在线, pulling. */
  const setUp = async (worker: boolean) => {
    const hub = await benchHub({ customers: 2000, openConversations: 0, worker });
    const desks = await desksProcess();
    const accounts = await hub.agents(desksCount);
    const deskOf = new Map(accounts.map((a, i) => [a.agent.id, i]));
    await desks.ask({ type: 'connect', url: hub.url, desks: accounts.map((a) => ({ token: a.token })), online: true }, 'connected');
    return { hub, desks, deskOf };
  };
  const inProcess = await setUp(false);
  let closed: Promise<void> | undefined;
  const closeInProcess = () => (closed ??= inProcess.desks.close().then(() => inProcess.hub.close()));
  try {
    const phase = async (
      prefix: string,
      grouped: boolean,
      api?: { token: string; worker: boolean },
      { hub, desks, deskOf } = inProcess,
    ) => {
      await desks.ask({ type: 'watch', prefix, count }, 'watching');
      const cpu = process.cpuUsage();
      const began = performance.now();
      const sent = await inject(hub, { prefix, count, rate, grouped, api });
      const used = process.cpuUsage(cpu);
      const hubCpuMs = (used.user + used.system) / 1000;
      const injectMs = performance.now() - began;
      // Every message on every replica, or 10 s more.
      let report: Report;
      const deadline = Date.now() + 10_000;
      for (;;) {
        report = await desks.ask<Report>({ type: 'report' }, 'report');
        if (report.arrivals.every((a) => a.every((t) => t > 0)) || Date.now() > deadline) break;
        await sleep(200);
      }
      const end = clock();
      const late = (n: number, desk: number) => (report.arrivals[desk]![n]! > 0 ? report.arrivals[desk]![n]! : end) - sent.due[n]!;
      const toAgent: number[] = [];
      const toAll: number[] = [];
      let unassigned = 0;
      let missing = 0;
      for (let n = 0; n < count; n++) {
        for (let d = 0; d < desksCount; d++) {
          toAll.push(late(n, d));
          if (report.arrivals[d]![n] === 0) missing += 1;
        }
        const agent = sent.routed[n];
        const d = agent ? deskOf.get(agent) : undefined;
        if (d === undefined) unassigned += 1;
        else toAgent.push(late(n, d));
      }
      return {
        agentP95: percentile(toAgent, 95),
        agentP50: percentile(toAgent, 50),
        allP95: percentile(toAll, 95),
        allP50: percentile(toAll, 50),
        allMax: toAll.reduce((a, b) => Math.max(a, b), 0),
        achievedRate: sent.achievedRate,
        unassigned,
        missing,
        routedTo: new Set(sent.routed.filter((a) => a !== null)).size,
        pullsPerDeskPerSecond: (report.pulls * 1000) / desksCount / injectMs,
        hubCpuMsPerMessage: hubCpuMs / count,
        hubCores: hubCpuMs / injectMs,
      };
    };
    const grouped = await phase('fan-g-', true);
    const single = await phase('fan-s-', false);
    const api = await phase('fan-a-', false, { token: await inProcess.hub.apiToken(), worker: false });
    await closeInProcess();

    // The hub as `jiedai hub` runs it: the core in its worker thread, the sockets in this one; a
    // bridge's posts cross to the core one by one (CoreClient.channel), grouped there.
    const production = await setUp(true);
    let worker: Awaited<ReturnType<typeof phase>>;
    try {
      worker = await phase('fan-w-', false, { token: await production.hub.apiToken(), worker: true }, production);
    } finally {
      await production.desks.close();
      await production.hub.close();
    }

    // Baseline: the same numbered messages as bare frames from a plain ws server to 50 plain sockets.
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    let bareP95 = Number.NaN;
    const bareDesks = await desksProcess();
    try {
      const port = (server.address() as { port: number }).port;
      await bareDesks.ask({ type: 'bare', url: `ws://127.0.0.1:${port}`, count: desksCount }, 'connected');
      await bareDesks.ask({ type: 'watch', prefix: '', count }, 'watching');
      const due = new Float64Array(count);
      const start = clock() + 50;
      for (let n = 0; n < count; n++) due[n] = start + (n * 1000) / rate;
      let sent = 0;
      while (sent < count) {
        const now = clock();
        while (sent < count && due[sent]! <= now) {
          for (const c of server.clients) c.send(String(sent));
          sent++;
        }
        await sleep(Math.max(0, Math.min(10, (due[sent] ?? now) - clock())));
      }
      await sleep(500);
      const report = await bareDesks.ask<Report>({ type: 'report' }, 'report');
      const all: number[] = [];
      for (const a of report.arrivals) for (let n = 0; n < count; n++) all.push((a[n]! > 0 ? a[n]! : clock()) - due[n]!);
      bareP95 = percentile(all, 95);
    } finally {
      await bareDesks.close();
      server.close();
    }

    const r1 = (x: number) => Math.round(x * 10) / 10;
    return {
      name: 'hub-fanout-50',
      value: r1(grouped.agentP95),
      unit: 'ms',
      target: 200,
      better: 'lower',
      baseline: { label: 'bare WebSocket frames to 50 sockets', value: r1(bareP95) },
      details: {
        desks: desksCount,
        messages: count,
        rateTarget: rate,
        achievedRate: Math.round(grouped.achievedRate),
        agentP50Ms: r1(grouped.agentP50),
        everyDeskP95Ms: r1(grouped.allP95),
        everyDeskMaxMs: r1(grouped.allMax),
        routedToAgents: grouped.routedTo,
        unassigned: grouped.unassigned,
        missingAtEnd: grouped.missing,
        pullsPerDeskPerSecond: r1(grouped.pullsPerDeskPerSecond),
        hubCpuMsPerMessage: Math.round(grouped.hubCpuMsPerMessage * 1000) / 1000,
        hubCoresWhileInjecting: Math.round(grouped.hubCores * 100) / 100,
        onePerCommitAgentP95Ms: r1(single.agentP95),
        onePerCommitEveryDeskP95Ms: r1(single.allP95),
        onePerCommitAchievedRate: Math.round(single.achievedRate),
        onePerCommitMissingAtEnd: single.missing,
        apiChannelEveryDeskP95Ms: r1(api.allP95),
        apiChannelAchievedRate: Math.round(api.achievedRate),
        apiChannelMissingAtEnd: api.missing,
        apiChannelHubCpuMsPerMessage: Math.round(api.hubCpuMsPerMessage * 1000) / 1000,
        workerHubEveryDeskP95Ms: r1(worker.allP95),
        workerHubEveryDeskP50Ms: r1(worker.allP50),
        workerHubAchievedRate: Math.round(worker.achievedRate),
        workerHubMissingAtEnd: worker.missing,
        workerHubProcessCores: Math.round(worker.hubCores * 100) / 100,
        loadAverage: os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' '),
      },
    };
  } finally {
    await closeInProcess();
  }
}

/** A full garbage collection (the flag is set at run time, so the bench needs no node option). */
function collect(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function memory() {
  collect();
  collect();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers };
}

/**
 * "Hub memory per connected desk": what 50 idle desks (signed in, each having pulled once, then
 * quiet) add to the hub's process (its core and server here; the desks in another process), after a
 * full GC, divided by 50: the JS heap with external buffers (the figure: what each connection
 * keeps), and RSS (in the details: it also keeps the high-water mark of serving the first pulls,
 * which the allocator does not give back). Target: ours, 256 KB (200 desks in 50 MB of heap). The
 * baseline: the same for 50 bare WebSocket connections to a plain ws server.
 */
export async function runHubMemory(options: { quick?: boolean } = {}): Promise<SyncBenchResult> {
  void options;
  const desksCount = 50;
  const hub = await benchHub({ customers: 2000, openConversations: 200 });
  const desks = await desksProcess();
  try {
    const accounts = await hub.agents(desksCount);
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const bareDesks = await desksProcess();
    const bare = { rss: Number.NaN, heap: Number.NaN };
    try {
      const bareBefore = memory();
      await bareDesks.ask(
        { type: 'bare', url: `ws://127.0.0.1:${(server.address() as { port: number }).port}`, count: desksCount },
        'connected',
      );
      await sleep(1000);
      const bareAfter = memory();
      bare.rss = (bareAfter.rss - bareBefore.rss) / desksCount / 1024;
      bare.heap = (bareAfter.heap - bareBefore.heap) / desksCount / 1024;
    } finally {
      await bareDesks.close();
      server.close();
    }
    await sleep(500);
    const before = memory();
    await desks.ask(
      { type: 'connect', url: hub.url, desks: accounts.map((a) => ({ token: a.token })), online: false, pull: false },
      'connected',
    );
    await sleep(1000);
    const connected = memory();
    await desks.ask({ type: 'pull' }, 'pulled');
    await sleep(1000);
    const after = memory();
    if (hub.hub.sockets() !== desksCount) throw new Error(`${hub.hub.sockets()} desks connected, not ${desksCount}`);
    const kb = (bytes: number) => Math.round(bytes / desksCount / 1024);
    return {
      name: 'hub-memory-per-desk',
      value: kb(after.heap - before.heap),
      unit: 'KB',
      target: 256,
      better: 'lower',
      baseline: { label: 'a bare WebSocket connection', value: Math.round(bare.heap) },
      details: {
        desks: desksCount,
        heapPerDeskBeforePullKb: kb(connected.heap - before.heap),
        rssPerDeskBeforePullKb: kb(connected.rss - before.rss),
        rssPerDeskKb: kb(after.rss - before.rss),
        bareRssPerConnectionKb: Math.round(bare.rss),
        hubRssBeforeMb: Math.round(before.rss / 1024 / 1024),
        hubRssAfterMb: Math.round(after.rss / 1024 / 1024),
      },
    };
  } finally {
    await desks.close();
    await hub.close();
  }
}
