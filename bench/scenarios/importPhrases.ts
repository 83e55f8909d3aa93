import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { TEAM_PHRASES } from '../../src-main/services/demo/data/phrases';
import { importPhrases } from '../../src-main/services/phrases/files';
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
  // Baseline: parsing alone with the same library, no validation, no pinyin keys, no commit.
  const bareStart = performance.now();
  if (fileName.endsWith('.csv')) Papa.parse(data.toString('utf8'));
  else await new ExcelJS.Workbook().xlsx.load(data as unknown as ArrayBuffer);
  return { ms, bareMs: performance.now() - bareStart };
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
        baseline: { label: `bare parse of the .${format}`, value: median(results.map((r) => r.bareMs)) },
        details: { fileBytes: data.length, runs },
      };
    },
  };
}

export const importCsvScenario = scenario('csv');
export const importXlsxScenario = scenario('xlsx');
