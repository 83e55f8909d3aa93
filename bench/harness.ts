import os from 'node:os';

/**
 * The bench harness: named scenarios, each measured against its target and against a plain baseline
 * run in the same process (these machines are shared and noisy: ratios travel better than absolutes).
 */
export type Better = 'lower' | 'higher';

export type Measurement = {
  /** The figure compared with the target (e.g. p95 ms, or rows per second). */
  value: number;
  /** The same work done the plainest way, measured in the same run. */
  baseline?: { label: string; value: number };
  /** Anything else worth keeping (medians, sample counts, sizes). */
  details?: Record<string, number | string>;
};

export type Scenario = {
  name: string;
  /** What is measured, in one line. */
  what: string;
  unit: string;
  better: Better;
  target: number;
  run(options: { quick: boolean }): Promise<Measurement>;
  /** Minutes rather than seconds (e.g. 10M generated messages): `--quick` leaves it out unless named in `--only`. */
  long?: boolean;
};

/**
 * Thrown by a scenario that cannot run on this machine (e.g. no PostgreSQL): the bench says why on a
 * `skip` line and goes on; not a failure.
 */
export class ScenarioSkipped extends Error {}

export type ScenarioResult = {
  name: string;
  what: string;
  unit: string;
  value: number;
  target: number;
  better: Better;
  meetsTarget: boolean;
  baseline: { label: string; value: number } | null;
  /** value / baseline value: how many times the plain way's figure ours is. */
  ratio: number | null;
  details: Record<string, number | string>;
  /** When this row was measured (rows of a merged report come from different runs). */
  measuredAt?: string;
  /** The machine's 1-minute load average before and after the row ran: read the figure beside it. */
  load?: { before: number; after: number };
};

export type BenchReport = {
  date: string;
  machine: { cpus: number; cpuModel: string; totalMemMb: number; node: string; platform: string };
  quick: boolean;
  results: ScenarioResult[];
  failures: { name: string; error: string }[];
  /** Scenarios left out, and why (a long one in a quick run, one this machine cannot run). */
  skipped: { name: string; reason: string }[];
};

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export const median = (samples: number[]): number => percentile(samples, 50);

export function meets(value: number, target: number, better: Better): boolean {
  return better === 'lower' ? value <= target : value >= target;
}

/** Times `fn` `runs` times after `warmup` untimed calls; returns milliseconds per call. */
export async function sample(fn: () => unknown, runs: number, warmup = Math.min(20, runs)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out;
}

export function toResult(scenario: Scenario, m: Measurement): ScenarioResult {
  const baseline = m.baseline ?? null;
  return {
    name: scenario.name,
    what: scenario.what,
    unit: scenario.unit,
    value: m.value,
    target: scenario.target,
    better: scenario.better,
    meetsTarget: meets(m.value, scenario.target, scenario.better),
    baseline,
    ratio: baseline && baseline.value !== 0 ? m.value / baseline.value : null,
    details: m.details ?? {},
  };
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(3);
}

/** One line per scenario: figure, target, verdict, and the ratio to its baseline. */
export function formatLine(r: ScenarioResult): string {
  const sign = r.better === 'lower' ? '≤' : '≥';
  const verdict = r.meetsTarget ? 'ok  ' : 'MISS';
  const ratio =
    r.baseline && r.ratio !== null ? `  ×${r.ratio.toFixed(2)} vs ${r.baseline.label} (${fmt(r.baseline.value)} ${r.unit})` : '';
  return `${verdict} ${r.name.padEnd(26)} ${fmt(r.value).padStart(10)} ${r.unit.padEnd(10)} target ${sign} ${fmt(r.target)}${ratio}`;
}

export function machine(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * `--merge`: the rows of a full (not quick) run of some scenarios replace the same rows of the last
 * report, in the scenarios' order; the others stay as they were measured, each with its own date and
 * load. A row that failed now keeps its old figure and the failure is kept beside it.
 */
export function mergeReports(previous: BenchReport, next: BenchReport, order: string[]): BenchReport {
  if (next.quick) throw new Error('a quick run is not merged into the full figures');
  const byName = new Map(previous.results.map((r) => [r.name, r]));
  for (const r of next.results) byName.set(r.name, r);
  const rank = (name: string) => {
    const i = order.indexOf(name);
    return i === -1 ? order.length : i;
  };
  const ran = new Set([...next.results, ...next.failures, ...next.skipped].map((r) => r.name));
  return {
    date: next.date,
    machine: next.machine,
    quick: false,
    results: [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name)),
    failures: [...previous.failures.filter((f) => !ran.has(f.name)), ...next.failures],
    skipped: [...(previous.skipped ?? []).filter((s) => !ran.has(s.name)), ...next.skipped],
  };
}

/** Runs the chosen scenarios one after another (never in parallel: they would measure each other). */
export async function runBench(
  scenarios: Scenario[],
  options: { only?: string[]; quick: boolean; log: (line: string) => void },
): Promise<BenchReport> {
  const chosen = options.only?.length ? scenarios.filter((s) => options.only!.includes(s.name)) : scenarios;
  const unknown = (options.only ?? []).filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: machine(),
    quick: options.quick,
    results: [],
    failures: [],
    skipped: [],
  };
  for (const scenario of chosen) {
    if (scenario.long && options.quick && !options.only?.includes(scenario.name)) {
      report.skipped.push({ name: scenario.name, reason: 'long: not in a quick run (name it in --only)' });
      options.log(`skip ${scenario.name}: long, not in a quick run (name it in --only to run it)`);
      continue;
    }
    try {
      const measuredAt = new Date().toISOString();
      const before = os.loadavg()[0]!;
      const measurement = await scenario.run({ quick: options.quick });
      const load = { before: round1(before), after: round1(os.loadavg()[0]!) };
      const result = { ...toResult(scenario, measurement), measuredAt, load };
      report.results.push(result);
      options.log(formatLine(result));
    } catch (error) {
      if (error instanceof ScenarioSkipped) {
        report.skipped.push({ name: scenario.name, reason: error.message });
        options.log(`skip ${scenario.name}: ${error.message}`);
        continue;
      }
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      report.failures.push({ name: scenario.name, error: message });
      options.log(`FAIL ${scenario.name}: ${message}`);
    }
  }
  return report;
}
