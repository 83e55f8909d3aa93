/**
 * Bench scenario: export 1,000,000 messages (issue 6).
 *
 * Seeds a temporary shop with the demo shop plus N messages of history (`seed-demo --messages`), then
 * measures, on the export's own read-only connection and in this process:
 * - the bare baseline: a bare `SELECT` of the message columns streamed to a file (no joins, no quoting);
 * - the fair baseline: the export's own row reader (the same filter, columns, names and order) with every
 *   value written as it comes (comma-joined, no quoting, no time formatting) through the export's own
 *   file writer (the same chunks, fsync and rename): what any export of these rows costs at least;
 * - CSV, JSON Lines and XLSX exports of every message (the same `runExport` the export thread runs);
 * each as the median of `runs` runs, with rows/s, its ratios to both baselines, and the peak RSS above
 * the RSS just before it started.
 *
 * Targets (docs: performance brief): CSV and JSONL ≤ 10 s, XLSX ≤ 60 s, extra memory ≤ 200 MB.
 *
 *   npx tsx bench/scenarios/export-1m.ts [--messages N] [--runs N] [--xlsx-runs N] [--keep]
 *
 * The harness imports `runExport1m` and reads the returned figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { exportFiltersSchema, type ExportFormat } from '../../shared/contract/logExport';
import { seedDemoShop } from '../../src-main/services/demo/seedDemo';
import { seedMessageHistory } from '../../src-main/services/demo/seedHistory';
import { TempFile, tempPathFor } from '../../src-main/services/logExport/output';
import { resolveFilter, runExport } from '../../src-main/services/logExport/runExport';
import { ZonedClock } from '../../src-main/services/logExport/timeZone';
import { openLogReader, openStore, type LogFilter, type LogReader } from '../../src-main/store';

export type Export1mOptions = {
  messages?: number;
  /** Runs per measurement for the baseline, CSV and JSONL (the median is reported). */
  runs?: number;
  /** Runs for XLSX (each takes tens of seconds). */
  xlsxRuns?: number;
  /** Keep the temporary folder (its path is in the result). */
  keep?: boolean;
  log?: (line: string) => void;
};

export type Measurement = {
  name: string;
  /** Median wall time. */
  ms: number;
  rows: number;
  rowsPerSecond: number;
  /** Largest peak RSS above the RSS before the run, over all runs. */
  peakExtraRssMb: number;
  bytes: number;
  /** Median time divided by the bare baseline's median time. */
  ratioToBaseline: number;
  /** Median time divided by the fair baseline's median time (the export's own SELECT through its file writer). */
  ratioToFair: number;
  targetMs: number | null;
  targetRssMb: number | null;
  pass: boolean;
  runsMs: number[];
};

export type Export1mResult = {
  scenario: 'export-1m';
  messages: number;
  seed: { ms: number; messagesPerSecond: number };
  dir: string | null;
  baseline: Measurement;
  /** The export's own SELECT, values written as they come through the export's file writer. */
  fairBaseline: Measurement;
  /** The same bare rows through the XLSX library alone: the floor of the chosen writer. */
  xlsxFloor: Measurement;
  exports: Measurement[];
  pass: boolean;
};

const TARGET_MS: Record<'csv' | 'jsonl' | 'xlsx', number> = { csv: 10_000, jsonl: 10_000, xlsx: 60_000 };
const TARGET_RSS_MB = 200;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** Samples this process's RSS every 10 ms (and whenever `sample` is called) to find the peak. */
function rssWatch() {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const start = process.memoryUsage.rss();
  let peak = start;
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, 10);
  return {
    sample,
    stop(): number {
      clearInterval(timer);
      sample();
      return (peak - start) / 1024 / 1024;
    },
  };
}

/** The baseline: the message columns in time order, as plain comma-joined lines, with backpressure. */
async function bareSelectToFile(reader: LogReader, file: string, sample: () => void): Promise<{ rows: number; bytes: number }> {
  const out = fs.createWriteStream(file, { highWaterMark: 1024 * 1024 });
  let pending = '';
  let rows = 0;
  for (const row of reader.queries.bareRows()) {
    pending += `${row.join(',')}\n`;
    if (++rows % 2048 === 0) {
      sample();
      if (!out.write(pending)) await once(out, 'drain');
      pending = '';
    }
  }
  out.end(pending);
  await once(out, 'finish');
  return { rows, bytes: fs.statSync(file).size };
}

/**
 * The fair baseline: the export's own row reader (same filter, columns, names and order, in one read
 * snapshot) with each row's values comma-joined as they come (no quoting, no neutralising, no time
 * formatting, no labels), through the export's file writer (chunks, backpressure, fsync, rename).
 */
async function exportSelectToFile(
  reader: LogReader,
  filter: LogFilter,
  file: string,
  sample: () => void,
): Promise<{ rows: number; bytes: number }> {
  const out = new TempFile(tempPathFor(file, 'fair'));
  let rows = 0;
  try {
    reader.queries.begin();
    try {
      for (const row of reader.queries.rows(filter)) {
        out.write(`${row.join(',')}\r\n`);
        if ((++rows & 511) === 0) {
          sample();
          await out.flush();
        }
      }
    } finally {
      reader.queries.end();
    }
    await out.finish();
    return { rows, bytes: await out.commit(file, true) };
  } catch (error) {
    await out.discard();
    throw error;
  }
}

/**
 * The floor of the chosen XLSX writer: the same bare rows through exceljs's streaming WorkbookWriter
 * with nothing of ours (no styles, no dates, no header, no neutralisation), inline strings as the
 * export uses. What any export through this library costs at least; the XLSX export is compared to it.
 */
async function bareRowsToXlsx(reader: LogReader, file: string, sample: () => void): Promise<{ rows: number; bytes: number }> {
  const { default: ExcelJS } = await import('exceljs');
  const stream = fs.createWriteStream(file, { highWaterMark: 1024 * 1024 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('bare');
  let rows = 0;
  for (const row of reader.queries.bareRows()) {
    sheet.addRow(row).commit();
    if (++rows % 2048 === 0) {
      sample();
      // Let the zip stream write out what it holds (the export's own writer paces the same way).
      if (stream.writableNeedDrain) await once(stream, 'drain');
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }
  sheet.commit();
  await workbook.commit();
  return { rows, bytes: fs.statSync(file).size };
}

export async function runExport1m(options: Export1mOptions = {}): Promise<Export1mResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const messages = options.messages ?? 1_000_000;
  const runs = Math.max(1, options.runs ?? 3);
  const xlsxRuns = Math.max(1, options.xlsxRuns ?? 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bench-export-'));
  const dbFile = path.join(dir, 'jiedai.sqlite');
  try {
    const now = Date.now();
    const store = openStore(dbFile);
    seedDemoShop(store, { now });
    log(`seeding ${messages.toLocaleString('en-US')} messages into ${dir} …`);
    const seeded = seedMessageHistory(store, { messages, now });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const seed = { ms: seeded.ms, messagesPerSecond: Math.round(seeded.messages / (seeded.ms / 1000)) };
    log(`seeded in ${(seeded.ms / 1000).toFixed(1)} s (${seed.messagesPerSecond.toLocaleString('en-US')} messages/s)`);

    const reader = openLogReader(dbFile);
    const total = reader.queries.count({
      fromMs: 0,
      toMs: Number.MAX_SAFE_INTEGER,
      agents: [],
      customers: [],
      tags: [],
      groups: [],
      keyword: null,
      directions: [],
    }).messages;
    // Every day any message can have: the whole history in one export.
    const filters = exportFiltersSchema.parse({ from: '2000-01-01', to: '2100-12-31' });

    const measure = async (
      name: string,
      times: number,
      once1: (watch: ReturnType<typeof rssWatch>, i: number) => Promise<{ rows: number; bytes: number }>,
    ) => {
      const runsMs: number[] = [];
      let peak = 0;
      let rows = 0;
      let bytes = 0;
      for (let i = 0; i < times; i++) {
        const watch = rssWatch();
        const t0 = performance.now();
        const r = await once1(watch, i);
        runsMs.push(Math.round(performance.now() - t0));
        peak = Math.max(peak, watch.stop());
        rows = r.rows;
        bytes = r.bytes;
        log(`  ${name} run ${i + 1}/${times}: ${runsMs.at(-1)} ms`);
      }
      return { name, runsMs, ms: Math.round(median(runsMs)), peakExtraRssMb: Math.round(peak), rows, bytes };
    };

    const base = await measure('bare SELECT → file', runs, (watch, i) =>
      bareSelectToFile(reader, path.join(dir, `bare-${i}.txt`), watch.sample),
    );
    const fairFilter = resolveFilter(filters, new ZonedClock('Asia/Shanghai'));
    const fairRun = await measure('export SELECT → file', runs, (watch, i) =>
      exportSelectToFile(reader, fairFilter, path.join(dir, `fair-${i}.txt`), watch.sample),
    );
    const baseline: Measurement = {
      ...base,
      rowsPerSecond: Math.round(base.rows / (base.ms / 1000)),
      ratioToBaseline: 1,
      ratioToFair: Math.round((base.ms / fairRun.ms) * 100) / 100,
      targetMs: null,
      targetRssMb: null,
      pass: true,
    };
    const fairBaseline: Measurement = {
      ...fairRun,
      rowsPerSecond: Math.round(fairRun.rows / (fairRun.ms / 1000)),
      ratioToBaseline: Math.round((fairRun.ms / baseline.ms) * 100) / 100,
      ratioToFair: 1,
      targetMs: null,
      targetRssMb: null,
      pass: true,
    };

    const floor = await measure('xlsx writer floor', xlsxRuns, (watch, i) =>
      bareRowsToXlsx(reader, path.join(dir, `floor-${i}.xlsx`), watch.sample),
    );
    const xlsxFloor: Measurement = {
      ...floor,
      rowsPerSecond: Math.round(floor.rows / (floor.ms / 1000)),
      ratioToBaseline: Math.round((floor.ms / baseline.ms) * 100) / 100,
      ratioToFair: Math.round((floor.ms / fairBaseline.ms) * 100) / 100,
      targetMs: null,
      targetRssMb: null,
      pass: true,
    };

    const results: Measurement[] = [];
    for (const format of ['csv', 'jsonl', 'xlsx'] as const satisfies readonly ExportFormat[]) {
      const m = await measure(format, format === 'xlsx' ? xlsxRuns : runs, async (watch, i) => {
        const outcome = await runExport(
          reader.queries,
          {
            filters,
            format,
            locale: 'zh-CN',
            timeZone: 'Asia/Shanghai',
            shopName: 'bench',
            exportedAt: Date.now(),
            path: path.join(dir, `export-${i}.${format}`),
            overwrite: true,
            tag: `bench-${i}`,
          },
          { progressIntervalMs: 20, onProgress: () => watch.sample() },
        );
        fs.rmSync(outcome.path, { force: true });
        return { rows: outcome.rows, bytes: outcome.bytes };
      });
      const targetMs = TARGET_MS[format];
      results.push({
        ...m,
        rowsPerSecond: Math.round(m.rows / (m.ms / 1000)),
        ratioToBaseline: Math.round((m.ms / baseline.ms) * 100) / 100,
        ratioToFair: Math.round((m.ms / fairBaseline.ms) * 100) / 100,
        targetMs,
        targetRssMb: TARGET_RSS_MB,
        pass: m.ms <= targetMs && m.peakExtraRssMb <= TARGET_RSS_MB && m.rows === total,
      });
    }
    reader.close();

    const result: Export1mResult = {
      scenario: 'export-1m',
      messages: total,
      seed,
      dir: options.keep ? dir : null,
      baseline,
      fairBaseline,
      xlsxFloor,
      exports: results,
      pass: results.every((r) => r.pass),
    };
    log('');
    log(`export-1m: ${total.toLocaleString('en-US')} messages (${os.cpus().length} cores, Node ${process.version})`);
    log('  what                    median ms    rows/s     ×bare     ×fair  peak extra RSS  size        target');
    for (const m of [baseline, fairBaseline, xlsxFloor, ...results]) {
      log(
        `  ${m.name.padEnd(22)} ${String(m.ms).padStart(10)} ${String(m.rowsPerSecond).padStart(9)} ${m.ratioToBaseline.toFixed(2).padStart(9)} ${m.ratioToFair.toFixed(2).padStart(9)} ` +
          `${`${m.peakExtraRssMb} MB`.padStart(15)}  ${`${(m.bytes / 1024 / 1024).toFixed(0)} MB`.padEnd(10)}  ` +
          `${m.targetMs === null ? (m === xlsxFloor ? '(the writer alone)' : m === fairBaseline ? '(fair baseline)' : '(bare baseline)') : `≤ ${m.targetMs / 1000} s, ≤ ${m.targetRssMb} MB: ${m.pass ? 'pass' : 'FAIL'}`}`,
      );
    }
    return result;
  } finally {
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string' },
      runs: { type: 'string' },
      'xlsx-runs': { type: 'string' },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  runExport1m({
    ...(values.messages ? { messages: Number(values.messages.replace(/_/g, '')) } : {}),
    ...(values.runs ? { runs: Number(values.runs) } : {}),
    ...(values['xlsx-runs'] ? { xlsxRuns: Number(values['xlsx-runs']) } : {}),
    keep: values.keep,
  }).then(
    (result) => {
      if (values.json) console.log(JSON.stringify(result));
      process.exitCode = result.pass ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
