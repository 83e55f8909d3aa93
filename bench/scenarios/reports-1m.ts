/**
 * Bench scenario: reports over a year of a 1,000,000-message shop (issue 17).
 *
 * Seeds a temporary shop (the demo shop + N messages of history over the past year, as
 * `seed-demo --messages` writes them), or opens `--file`, then measures on the core's own services:
 * - the backfill: the report rollups built from scratch from the history (what a file from before
 *   migration 0013 does once, in the background);
 * - the upkeep per live message: messages written one per transaction, as the desk writes them,
 *   with the rollups brought up to date after every 10 (the background job's debounce);
 * - `reports.summary` for the last 365 days (team, agents, the year before, the weekly series) and
 *   `reports.heatmap` for the same days, p50/p95 over rounds; hot questions too.
 * Baselines in the same run: one bare `GROUP BY` over the year's messages (what any report by scan
 * would cost at least), and the heatmap computed by scan (`strftime` per message).
 *
 * Targets (performance brief): report ≤ 1 s, heatmap ≤ 300 ms.
 *
 *   npx tsx bench/scenarios/reports-1m.ts [--file shop.sqlite] [--messages N] [--rounds N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { dayString } from '../../shared/domain/reports/clock';
import { newId } from '../../shared/domain/ids';
import { percentile, type Scenario } from '../harness';
import { conversationService } from '../../src-main/services/conversations';
import { seedDemoShop } from '../../src-main/services/demo/seedDemo';
import { seedMessageHistory } from '../../src-main/services/demo/seedHistory';
import { reportService } from '../../src-main/services/reports/reportService';
import { openStore } from '../../src-main/store';

export type Reports1mResult = {
  messages: number;
  backfillMs: number;
  backfillMessagesPerSecond: number;
  upkeepUsPerMessage: number;
  writeUsPerMessage: number;
  report: { p50: number; p95: number };
  heatmap: { p50: number; p95: number };
  questions: { p50: number; p95: number };
  bareGroupBy: { p50: number; p95: number };
  bareHeatmap: { p50: number; p95: number };
  rounds: number;
};

function times(rounds: number, fn: () => unknown): { p50: number; p95: number } {
  fn(); // warm the page cache, as a desk that has been open a while
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    out.push(performance.now() - start);
  }
  return { p50: percentile(out, 50), p95: percentile(out, 95) };
}

export async function runReports1m(
  options: { file?: string; messages?: number; rounds?: number; live?: number; log?: (s: string) => void } = {},
): Promise<Reports1mResult> {
  const log = options.log ?? (() => undefined);
  let dir: string | null = null;
  let file = options.file;
  if (!file) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bench-reports-'));
    file = path.join(dir, 'shop.sqlite');
    const seeding = openStore(file);
    seedDemoShop(seeding, { now: Date.now() });
    seedMessageHistory(seeding, { messages: options.messages ?? 1_000_000, now: Date.now() });
    seeding.close();
  }
  const store = openStore(file);
  try {
    const messages = store.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    const reports = reportService({ store, now: Date.now, log: () => undefined, background: false });
    store.reports.reset();
    const started = performance.now();
    reports.catchUpAll();
    const backfillMs = performance.now() - started;
    log(`reports-1m: backfill of ${messages} messages in ${(backfillMs / 1000).toFixed(1)} s`);

    // The upkeep per live message: written one per transaction into open conversations, folded every 10.
    const live = options.live ?? 2000;
    const conversations = conversationService(store, Date.now);
    const open = store.db.prepare("SELECT id, customer_id FROM conversations WHERE status = 'open' LIMIT 30").all() as {
      id: string;
      customer_id: string;
    }[];
    const agent = store.db.prepare("SELECT id FROM agents WHERE role <> 'owner' LIMIT 1").pluck().get() as string;
    let writeMs = 0;
    let upkeepMs = 0;
    for (let i = 0; i < live; i++) {
      const c = open[i % open.length]!;
      const t0 = performance.now();
      if (i % 3 === 2) conversations.send({ id: newId(), conversationId: c.id, text: '亲，今天就给您发出哦' }, agent);
      else conversations.receive({ customerId: c.customer_id, text: i % 2 ? '什么时候发货呀？' : '能便宜点吗' });
      const t1 = performance.now();
      writeMs += t1 - t0;
      if (i % 10 === 9) {
        reports.catchUpAll();
        upkeepMs += performance.now() - t1;
      }
    }

    const rounds = options.rounds ?? 10;
    const today = reports.today();
    const year = { from: dayString(today - 364), to: dayString(today) };
    const report = times(rounds, () => reports.summary(year));
    const heatmap = times(rounds, () => reports.heatmap(year));
    const questions = times(rounds, () => reports.questions({ ...year, limit: 20 }));
    const since = Date.now() - 365 * 86_400_000;
    const groupBy = store.db.prepare('SELECT sender, count(*) FROM messages WHERE created_at >= ? GROUP BY sender');
    const bareGroupBy = times(rounds, () => groupBy.all(since));
    const scan = store.db.prepare(
      `SELECT strftime('%w', created_at / 1000, 'unixepoch', '+8 hours') AS w, strftime('%H', created_at / 1000, 'unixepoch', '+8 hours') AS h,
         count(*) FROM messages WHERE sender = 'buyer' AND created_at >= ? GROUP BY w, h`,
    );
    const bareHeatmap = times(rounds, () => scan.all(since));
    const result: Reports1mResult = {
      messages,
      backfillMs: Math.round(backfillMs),
      backfillMessagesPerSecond: Math.round(messages / (backfillMs / 1000)),
      upkeepUsPerMessage: Math.round((upkeepMs / live) * 1000),
      writeUsPerMessage: Math.round((writeMs / live) * 1000),
      report,
      heatmap,
      questions,
      bareGroupBy,
      bareHeatmap,
      rounds,
    };
    log(
      `reports-1m: year report p50 ${report.p50.toFixed(0)} p95 ${report.p95.toFixed(0)} ms (bare GROUP BY p95 ${bareGroupBy.p95.toFixed(0)}); ` +
        `heatmap p95 ${heatmap.p95.toFixed(1)} ms (by scan ${bareHeatmap.p95.toFixed(0)}); questions p95 ${questions.p95.toFixed(0)} ms; ` +
        `upkeep ${result.upkeepUsPerMessage} µs per live message (writing it ${result.writeUsPerMessage} µs)`,
    );
    return result;
  } finally {
    store.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

let shared: Promise<Reports1mResult> | null = null;
const once = (quick: boolean) => (shared ??= runReports1m(quick ? { messages: 100_000, rounds: 5, live: 500 } : {}));

export const reportsScenario: Scenario = {
  name: 'reports-1m',
  what: 'reports.summary over the last 365 days of a 1M-message shop (p95; --quick: 100k)',
  unit: 'ms',
  better: 'lower',
  target: 1000,
  async run({ quick }) {
    const r = await once(quick);
    return {
      value: r.report.p95,
      baseline: { label: "one bare GROUP BY over the year's messages (p95)", value: r.bareGroupBy.p95 },
      details: {
        p50: r.report.p50,
        messages: r.messages,
        backfillMs: r.backfillMs,
        backfillMessagesPerSecond: r.backfillMessagesPerSecond,
        upkeepUsPerMessage: r.upkeepUsPerMessage,
        writeUsPerMessage: r.writeUsPerMessage,
        questionsP95: r.questions.p95,
        rounds: r.rounds,
      },
    };
  },
};

export const reportsHeatmapScenario: Scenario = {
  name: 'reports-1m-heatmap',
  what: 'reports.heatmap (weekday × hour) over the last 365 days of a 1M-message shop (p95; --quick: 100k)',
  unit: 'ms',
  better: 'lower',
  target: 300,
  async run({ quick }) {
    const r = await once(quick);
    return {
      value: r.heatmap.p95,
      baseline: { label: 'the same grid by scanning the messages (p95)', value: r.bareHeatmap.p95 },
      details: { p50: r.heatmap.p50, messages: r.messages },
    };
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { file: { type: 'string' }, messages: { type: 'string' }, rounds: { type: 'string' }, live: { type: 'string' } },
  });
  const result = await runReports1m({
    ...(values.file ? { file: values.file } : {}),
    ...(values.messages ? { messages: Number(values.messages) } : {}),
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
    ...(values.live ? { live: Number(values.live) } : {}),
    log: console.log,
  });
  console.log(JSON.stringify(result));
}
