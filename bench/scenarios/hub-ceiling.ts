import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Agent } from '../../shared/domain/types';
import { Core } from '../../src-main/core/core';
import { writeHubDatabase } from '../../src-main/store/pg';
import { ScenarioSkipped } from '../harness';
import { benchPg, pgClient, type BenchPg } from './benchPg';
import { desksProcess } from './hub-fanout';
import { BENCH_OWNER } from './hubFixture';
import { openSocket } from './hubSocket';
import type { SyncBenchResult } from './sync-fixture';

const ROOT = path.resolve(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clock = () => performance.timeOrigin + performance.now();
const TICKS = 100; // /proc's clock ticks a second (USER_HZ) on Linux

/** The offered rates the ceiling steps through (messages a second), each for STEP_SECONDS. */
export const CEILING_RATES = [100, 250, 500, 1000, 2000, 3000];
export const CEILING_QUICK_RATES = [100, 500];
const STEP_SECONDS = 10;
const QUICK_STEP_SECONDS = 4;
/** After a step's last message is due: this long for the stragglers to reach every desk. */
const DRAIN_MS = 3000;
const BOUND_MS = 200;

/** One hub process (ceilingHub.ts: what `jiedai hub` runs, limits raised for one loopback address). */
async function startHubProcess(dataDir: string, nodeArgs: string[] = []) {
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', path.join(import.meta.dirname, 'ceilingHub.ts'), dataDir],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4096)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`a hub process did not start in 60 s: ${stderr}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`a hub process exited while starting (${code ?? signal}): ${stderr}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CPU seconds a process (all its threads) has used so far, from /proc (0 where there is none). */
function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** The machine's busy and total CPU seconds so far (all cores), from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3]! + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / TICKS, total: total / TICKS };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** The PostgreSQL server processes' CPU seconds (every `postgres` process on the machine; the bench's cluster is the only one here). */
function postgresCpu(): number {
  let sum = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') sum += cpuSeconds(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

function percentileOf(hist: [number, number][], p: number): number {
  const total = hist.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const [ms, c] of [...hist].sort((a, b) => a[0] - b[0])) {
    seen += c;
    if (seen >= rank) return ms;
  }
  return hist[hist.length - 1]![0];
}

type DesksReport = { all: [number, number][]; cross: [number, number][]; arrivals: number; failures: number; pulls: number };
type BuyersReport = { acks: number; refused: number; open: number };

export type CeilingOptions = {
  backend: 'sqlite' | 'postgres';
  processes: 1 | 2;
  quick?: boolean;
  desks?: number;
  buyers?: number;
  rates?: number[];
  stepSeconds?: number;
  /** Node flags for the hub processes (e.g. `--cpu-prof`, `--cpu-prof-dir=DIR` for a profile). */
  hubNodeArgs?: string[];
  log?: (line: string) => void;
};

/**
 * "The ceiling" (issue 14): the highest offered rate of buyer messages at which buyer → desk stays
 * within 200 ms at p95. A hub on SQLite (one process) or PostgreSQL (one or two processes on one
 * database, LISTEN/NOTIFY between them), each a real Node process as `jiedai hub` runs it; 200 desks
 * (/hub/ws, each its own agent, 在线, pulling on every poke; a process of their own) and 2,000 widget
 * buyers (/widget/ws; another process), both spread over the hub processes (desk d and buyer b on
 * process d mod H, b mod H). The rate steps up (100, 250, 500, 1,000, 2,000, 3,000 msg/s, 10 s each;
 * --quick: 100 and 500, 4 s each), round-robin over the buyers; a step's figure is the p95 from
 * a message being due to its reaching each desk (every desk pulls the shop's feed: 200 arrivals a
 * message), apart the arrivals on a desk of the other process than the buyer's. Stops at the first
 * step over the bound. Everything on 127.0.0.1, load generators included, on this machine's cores.
 */
export async function runHubCeiling(options: CeilingOptions): Promise<SyncBenchResult> {
  const name = options.backend === 'sqlite' ? 'hub-ceiling-sqlite' : `hub-ceiling-pg-${options.processes}`;
  const log = options.log ?? (() => undefined);
  const desksCount = options.desks ?? 200;
  const buyersCount = options.buyers ?? 2000;
  const rates = options.rates ?? (options.quick ? CEILING_QUICK_RATES : CEILING_RATES);
  const stepSeconds = options.stepSeconds ?? (options.quick ? QUICK_STEP_SECONDS : STEP_SECONDS);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bench-ceiling-'));
  let server: BenchPg | null = null;
  let database: string | null = null;
  let stats: Awaited<ReturnType<typeof pgClient>> | null = null;
  const hubs: Awaited<ReturnType<typeof startHubProcess>>[] = [];
  let desks: Awaited<ReturnType<typeof desksProcess>> | null = null;
  let buyers: Awaited<ReturnType<typeof desksProcess>> | null = null;
  try {
    if (options.backend === 'postgres') {
      const pgServer = benchPg();
      if ('unavailable' in pgServer) throw new ScenarioSkipped(pgServer.unavailable);
      server = pgServer;
      database = await pgServer.database('ceiling');
      writeHubDatabase(dir, database);
    }
    // The shop, as `jiedai hub init` sets it up.
    const init = new Core({ dataDir: dir, hub: {}, watchOtherWritersMs: false, presence: false, keepBackups: 0, log: () => undefined });
    try {
      await init.initShop('小店', BENCH_OWNER.nick, BENCH_OWNER.password);
    } finally {
      init.close();
    }
    for (let h = 0; h < options.processes; h++) hubs.push(await startHubProcess(dir, options.hubNodeArgs));
    const urls = hubs.map((h) => h.url);
    log(`  ${name}: ${hubs.length} hub process(es) at ${urls.join(' ')}`);

    const login = async (url: string, account: string, password: string) => {
      const response = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ account, password }),
      });
      if (response.status !== 200) throw new Error(`login ${account}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { token: string; agent: Agent };
    };
    const owner = await login(urls[0]!, BENCH_OWNER.nick, BENCH_OWNER.password);
    const ownerSocket = await openSocket(urls[0]!, owner.token);
    const tokens: { url: string; token: string; hub: number }[] = [];
    try {
      const saved = await ownerSocket.call('widget.save', {
        enabled: true,
        welcomeText: '您好，有什么可以帮您？',
        offlineText: '',
        hours: null,
        publicUrl: urls[0],
        allowedOrigins: [],
      });
      if (!saved.ok) throw new Error(`widget.save: ${saved.error.message}`);
      // Ten at a time: each is a scrypt hash on the hub and one on sign-in.
      for (let done = 0; done < desksCount; done += 10) {
        const batch = Array.from({ length: Math.min(10, desksCount - done) }, (_, i) => done + i);
        tokens.push(
          ...(await Promise.all(
            batch.map(async (d) => {
              const password = `agent-pass-${d}`;
              const r = await ownerSocket.call('accounts.create', { id: `agent-${d}`, nick: `坐席${d}`, role: 'agent', password });
              if (!r.ok) throw new Error(`accounts.create: ${r.error.message}`);
              const hub = d % urls.length;
              return { url: urls[hub]!, token: (await login(urls[hub]!, `坐席${d}`, password)).token, hub };
            }),
          )),
        );
      }
    } finally {
      ownerSocket.close();
    }
    desks = await desksProcess('ceilingDesks.ts');
    await desks.ask({ type: 'connect', desks: tokens }, 'connected', 300_000);
    buyers = await desksProcess('ceilingBuyers.ts');
    await buyers.ask({ type: 'connect', urls, count: buyersCount }, 'connected', 300_000);
    log(`  ${name}: ${desksCount} desks and ${buyersCount} widget buyers connected`);
    await sleep(1000);

    // Where a PostgreSQL hub's time goes: its commits and the WAL's flushes to disk, per message.
    if (database) stats = await pgClient(database);
    const pgStats = async () => {
      if (!stats) return { commits: 0, walSyncs: 0 };
      const r = await stats.query<{ commits: string; syncs: string }>(
        'SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits, (SELECT wal_sync FROM pg_stat_wal) AS syncs',
      );
      return { commits: Number(r.rows[0]!.commits), walSyncs: Number(r.rows[0]!.syncs) };
    };
    type Step = {
      desksCores: number;
      generatorCores: number;
      commitsPerMessage: number;
      walSyncsPerSecond: number;
      rate: number;
      p95: number;
      p50: number;
      crossP95: number;
      missing: number;
      sendLateMaxMs: number;
      hubCores: number;
      pgCores: number;
      machineBusy: number;
      refused: number;
    };
    const steps: Step[] = [];
    let base = 0;
    let refusedBefore = 0;
    for (const rate of rates) {
      const count = rate * stepSeconds;
      const start = clock() + 300;
      const step = { prefix: 'cb-', base, count, start, rate };
      await desks.ask({ type: 'step', ...step, buyers: buyersCount, hubs: hubs.length }, 'stepping');
      const hubCpu0 = hubs.map((h) => cpuSeconds(h.pid));
      const pg0 = server ? postgresCpu() : 0;
      const gen0 = cpuSeconds(desks.pid) + cpuSeconds(buyers.pid);
      const desks0 = cpuSeconds(desks.pid);
      const m0 = machineCpu();
      const s0 = await pgStats();
      const t0 = performance.now();
      const sent = await buyers.ask<{ lateMaxMs: number }>({ type: 'step', ...step }, 'sent', (stepSeconds + 120) * 1000);
      const sendMs = performance.now() - t0;
      const hubCores = hubs.reduce((n, h, i) => n + cpuSeconds(h.pid) - hubCpu0[i]!, 0) / (sendMs / 1000);
      const pgCores = server ? (postgresCpu() - pg0) / (sendMs / 1000) : 0;
      const desksCores = (cpuSeconds(desks.pid) - desks0) / (sendMs / 1000);
      const generatorCores = (cpuSeconds(desks.pid) + cpuSeconds(buyers.pid) - gen0) / (sendMs / 1000);
      const m1 = machineCpu();
      const s1 = await pgStats();
      const machineBusy = m1.total > m0.total ? (m1.busy - m0.busy) / (m1.total - m0.total) : Number.NaN;
      // Every message on every desk, or the drain's end.
      const expected = count * desksCount;
      let report: DesksReport;
      const deadline = Date.now() + DRAIN_MS;
      for (;;) {
        await sleep(250);
        report = await desks.ask<DesksReport>({ type: 'report' }, 'report');
        if (report.arrivals >= expected || Date.now() > deadline) break;
      }
      const missing = expected - report.arrivals;
      // A message that never arrived counts as over the bound (its arrival is past the drain).
      const all: [number, number][] = missing > 0 ? [...report.all, [60_000, missing]] : report.all;
      const b = await buyers.ask<BuyersReport>({ type: 'report' }, 'report');
      const s: Step = {
        rate,
        desksCores: Math.round(desksCores * 100) / 100,
        generatorCores: Math.round(generatorCores * 100) / 100,
        commitsPerMessage: Math.round(((s1.commits - s0.commits) / count) * 100) / 100,
        walSyncsPerSecond: Math.round((s1.walSyncs - s0.walSyncs) / (sendMs / 1000)),
        p95: percentileOf(all, 95),
        p50: percentileOf(all, 50),
        crossP95: hubs.length > 1 ? percentileOf(report.cross, 95) : Number.NaN,
        missing,
        sendLateMaxMs: sent.lateMaxMs,
        hubCores: Math.round(hubCores * 100) / 100,
        pgCores: Math.round(pgCores * 100) / 100,
        machineBusy: Math.round(machineBusy * 100) / 100,
        refused: b.refused - refusedBefore,
      };
      refusedBefore = b.refused;
      steps.push(s);
      log(
        `  ${name}: ${rate} msg/s → every desk p95 ${s.p95} ms (p50 ${s.p50}${hubs.length > 1 ? `, other process's desks p95 ${s.crossP95}` : ''}), missing ${missing}, hub ${s.hubCores} cores, desks' process ${s.desksCores}, buyers' + desks' ${s.generatorCores}${server ? `, postgres ${s.pgCores} cores, ${s.commitsPerMessage} commits/msg, ${s.walSyncsPerSecond} WAL syncs/s` : ''}, machine ${Math.round(s.machineBusy * 100)}% busy; load ${os.loadavg()[0]!.toFixed(2)}`,
      );
      base += count;
      if (!(s.p95 <= BOUND_MS)) break;
      // The feed drained, the desks idle again before the next step.
      await sleep(1000);
    }
    const held = steps.filter((s) => s.p95 <= BOUND_MS).map((s) => s.rate);
    const ceiling = held.length > 0 ? Math.max(...held) : 0;
    const details: Record<string, number | string> = {
      hubProcesses: hubs.length,
      backend: options.backend,
      desks: desksCount,
      buyers: buyersCount,
      stepSeconds,
      boundMs: BOUND_MS,
      ratesTried: steps.map((s) => s.rate).join(' '),
      loadAverage: os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    };
    for (const s of steps) {
      details[`p95Ms@${s.rate}`] = s.p95;
      details[`p50Ms@${s.rate}`] = s.p50;
      if (hubs.length > 1) details[`otherProcessDeskP95Ms@${s.rate}`] = s.crossP95;
      details[`missingArrivals@${s.rate}`] = s.missing;
      details[`hubCores@${s.rate}`] = s.hubCores;
      details[`desksProcessCores@${s.rate}`] = s.desksCores;
      details[`loadGeneratorCores@${s.rate}`] = s.generatorCores;
      if (server) {
        details[`postgresCores@${s.rate}`] = s.pgCores;
        details[`pgCommitsPerMessage@${s.rate}`] = s.commitsPerMessage;
        details[`pgWalSyncsPerSecond@${s.rate}`] = s.walSyncsPerSecond;
      }
      details[`machineBusy@${s.rate}`] = s.machineBusy;
      details[`buyerSendLateMaxMs@${s.rate}`] = s.sendLateMaxMs;
      details[`refusedFrames@${s.rate}`] = s.refused;
    }
    return { name, value: ceiling, unit: 'msg/s', target: 2000, better: 'higher', details };
  } finally {
    await stats?.end();
    await buyers?.close();
    await desks?.close();
    for (const h of hubs) await h.stop();
    server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `npx tsx bench/scenarios/hub-ceiling.ts [sqlite|pg-1|pg-2] [--quick]`: one row, its steps printed as they go. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const which = process.argv[2] ?? 'sqlite';
  const quick = process.argv.includes('--quick');
  const profile = process.argv.find((a) => a.startsWith('--cpu-prof-dir='));
  const result = await runHubCeiling({
    backend: which === 'sqlite' ? 'sqlite' : 'postgres',
    processes: which === 'pg-2' ? 2 : 1,
    quick,
    ...(profile ? { hubNodeArgs: ['--cpu-prof', profile] } : {}),
    ...(process.env.CEILING_DESKS ? { desks: Number(process.env.CEILING_DESKS) } : {}),
    ...(process.env.CEILING_BUYERS ? { buyers: Number(process.env.CEILING_BUYERS) } : {}),
    ...(process.env.CEILING_RATES ? { rates: process.env.CEILING_RATES.split(',').map(Number) } : {}),
    log: (l) => console.log(l),
  });
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
