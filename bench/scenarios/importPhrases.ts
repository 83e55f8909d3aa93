import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { TEAM_PHRASES } from '../../src-main/services/demo/data/phrases';
import { spawnWorker } from '../../src-main/platform/spawnWorker';
import { importPhrases } from '../../src-main/services/phrases/files';
import { parseOffThread } from '../../src-main/services/phrases/files/parseOffThread';
import { phraseSearchKeys } from '../../src-main/services/phrases/searchKeys';
import type { ParsePhraseFile } from '../../src-main/services/phrases/files/parsePhraseFile';
import { openStore } from '../../src-main/store';
import { median, type Scenario } from '../harness';

/** 10,000 distinct phrases in five groups, as a supervisor's sheet would hold them. */
function tenThousandRows(): string[][] {
  const base = Object.entries(TEAM_PHRASES).flatMap(([group, list]) => list.map((p) => ({ group, ...p })));
  return Array.from({ length: 10_000 }, (_, i) => {
    const p = base[i % base.length]!;
    return [p.group, `${p.code}${i}`, `${p.title}${i}`, `${p.content}（${i}）`, i % 10 === 0 ? '否' : '是'];
  });
}

const HEADER = ['分组', '快捷编码', '标题', '快捷短语', '是否加入团队'];

async function timeImport(fileName: string, data: Buffer): Promise<{ ms: number; bareMs: number }> {
  const store = openStore(':memory:');
  store.agents.insert({ id: 'sup', nick: '主管', role: 'supervisor', state: 'online', created_at: 0 });
  const start = performance.now();
  const report = await importPhrases(store, fileName, data, {
    scope: 'team',
    mode: 'merge',
    skipInvalid: false,
    lang: 'zh-CN',
    agentId: 'sup',
    commit: true,
  });
  const ms = performance.now() - start;
  if (report.outcome !== 'committed' || report.counts.new !== 10_000)
    throw new Error(`import did not land: ${JSON.stringify(report.counts)} ${report.error ?? ''}`);
  store.close();
  // Baseline: what any import must do, bare: parse with the same library, the same pinyin keys per
  // row, and one transaction of plain INSERTs into the same table (no validation, no compare, no groups).
  const bare = openStore(':memory:');
  bare.db.exec(`INSERT INTO reply_groups (id, scope, owner, name, sort, created_at) VALUES ('bare', 'team', '', '导入', 0, 0)`);
  const insert = bare.db.prepare<unknown[]>(
    `INSERT INTO replies (id, scope, owner, group_id, code, title, content, search_keys, use_count, sort, created_at, updated_at)
     VALUES (?, 'team', '', 'bare', ?, ?, ?, ?, 0, ?, 0, 0)`,
  );
  const bareStart = performance.now();
  let cells: string[][];
  if (fileName.endsWith('.csv')) cells = Papa.parse<string[]>(data.toString('utf8')).data;
  else {
    const wb = await new ExcelJS.Workbook().xlsx.load(data as unknown as ArrayBuffer);
    cells = [];
    wb.worksheets[0]!.eachRow((row) => cells.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  }
  bare.db.transaction(() => {
    cells
      .slice(1)
      .forEach(([, code = '', title = '', content = ''], i) =>
        insert.run(`bare-${i}`, code, title, content, phraseSearchKeys({ code, title, content }), i),
      );
  })();
  const bareMs = performance.now() - bareStart;
  bare.close();
  return { ms, bareMs };
}

function scenario(format: 'csv' | 'xlsx'): Scenario {
  return {
    name: `import-10k-${format}`,
    what: `import 10,000 phrases from .${format}: parse, validate, pinyin keys, compare, commit in one transaction (median of 3)`,
    unit: 'ms',
    better: 'lower',
    target: 1000,
    async run({ quick }) {
      const rows = [HEADER, ...tenThousandRows()];
      let data: Buffer;
      if (format === 'csv') data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(Papa.unparse(rows), 'utf8')]);
      else {
        const wb = new ExcelJS.Workbook();
        wb.addWorksheet('快捷短语').addRows(rows);
        data = Buffer.from(await wb.xlsx.writeBuffer());
      }
      const runs = quick ? 1 : 3;
      const results = [];
      for (let i = 0; i < runs; i++) results.push(await timeImport(`scripts.${format}`, data));
      return {
        value: median(results.map((r) => r.ms)),
        baseline: { label: `bare parse of the .${format} + the pinyin keys + plain INSERTs`, value: median(results.map((r) => r.bareMs)) },
        details: { fileBytes: data.length, runs },
      };
    },
  };
}

export const importCsvScenario = scenario('csv');
export const importXlsxScenario = scenario('xlsx');

/**
 * The longest event-loop stall (ms) on this thread while `work` runs: the largest gap between ticks of
 * a 1 ms timer, including the gap that ends only after the work (a block just before it settles).
 */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  };
  const timer = setInterval(tick, 1);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 5));
  } finally {
    clearInterval(timer);
  }
  return longest;
}

async function xlsxFile(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('快捷短语').addRows([HEADER, ...tenThousandRows()]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A supervisor's preview (read, check, keys, compare: what runs before they press 导入) and commit, with a parse. */
async function stalls(data: Buffer, parse: ParsePhraseFile | undefined): Promise<{ preview: number; commit: number }> {
  const store = openStore(':memory:');
  store.agents.insert({ id: 'sup', nick: '主管', role: 'supervisor', state: 'online', created_at: 0 });
  const options = { scope: 'team' as const, mode: 'merge' as const, skipInvalid: false, lang: 'zh-CN' as const, agentId: 'sup', parse };
  const preview = await longestStall(() => importPhrases(store, 'scripts.xlsx', data, { ...options, commit: false }));
  const commit = await longestStall(() => importPhrases(store, 'scripts.xlsx', data, { ...options, commit: true }));
  if (store.phrases.forPicker('sup').phrases.length < 9_000) throw new Error('the import did not land');
  store.close();
  return { preview, commit };
}

/**
 * Issue 18: one supervisor's import must not stop every desk. The core's thread is watched while a
 * 10,000-row .xlsx is previewed with the parse on its own thread (parseOffThread.ts), against the
 * same preview parsed inline on the core's thread (how it ran before). The commit (one transaction of
 * 10,000 rows, on the core's thread by design: all or nothing) is reported beside it.
 */
export const importStallScenario: Scenario = {
  name: 'import-stall-10k-xlsx',
  what: "longest stall of the core's event loop while a 10,000-row .xlsx import is previewed (parse on its own thread; worst of 3)",
  unit: 'ms',
  better: 'lower',
  target: 16,
  async run({ quick }) {
    const data = await xlsxFile();
    const parse = parseOffThread(spawnWorker);
    const runs = quick ? 1 : 3;
    const off = [];
    const inline = [];
    for (let i = 0; i < runs; i++) {
      off.push(await stalls(data, parse));
      inline.push(await stalls(data, undefined));
    }
    return {
      value: Math.max(...off.map((r) => r.preview)),
      baseline: { label: "the same preview parsed on the core's thread", value: Math.max(...inline.map((r) => r.preview)) },
      details: { commitStallMs: Math.round(Math.max(...off.map((r) => r.commit))), fileBytes: data.length, runs },
    };
  },
};
