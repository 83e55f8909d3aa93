import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mergeReports, runBench, type BenchReport, type Scenario } from './harness';
import { withTable } from './readmeTable';
import { automationScenario } from './scenarios/automation';
import { contractRoundtripScenario } from './scenarios/contract';
import { deskMemoryShiftScenario, deskMemorySteadyScenario } from './scenarios/deskMemory';
import { openConversationScenario, saveLiveMessageScenario, switchConversationsScenario } from './scenarios/conversations';
import { importCsvScenario, importStallScenario, importXlsxScenario } from './scenarios/importPhrases';
import { exportCsvScenario, exportJsonlScenario, exportXlsxScenario } from './scenarios/exportLogs';
import { firstOpenConversationScenario, firstOpenListScenario, warmOpenScenario } from './scenarios/firstOpen';
import {
  hubCeilingPg1Scenario,
  hubCeilingPg2Scenario,
  hubCeilingSqliteScenario,
  hubFanoutScenario,
  hubIngestPgScenario,
  hubIngestSqliteScenario,
  hubMemoryScenario,
  hubPushScenario,
  hubSearchPgScenario,
  hubSearchSqliteScenario,
  hubWidgetScenario,
} from './scenarios/hub';
import { ingestScenario } from './scenarios/ingest';
import { pickerScenario } from './scenarios/picker';
import { replyLatencyScenario } from './scenarios/replyLatency';
import { seedDemoScenario } from './scenarios/seedDemo';
import { shellLoopScenario } from './scenarios/shellLoop';
import { searchLongScenario, searchShortScenario } from './scenarios/search-1m';
import { searchOpenScenario } from './scenarios/searchOpen';
import { reportsHeatmapScenario, reportsScenario } from './scenarios/reports-1m';
import { syncApplyScenario, syncBootstrapChromiumScenario, syncBootstrapScenario, syncPushScenario } from './scenarios/sync';

/**
 * `npm run bench [-- --quick] [-- --only NAME[,NAME]] [-- --merge]`: runs the scenarios in order, prints
 * one line each, and writes bench/results/latest.json and the README's bench table after a full run
 * (partial.json after --only or --quick; or `--out FILE`). `--only … --merge` puts those rows of a full
 * run in place of theirs in latest.json (each row keeps its own date and load) and rewrites the table;
 * `--readme` only rewrites the table from latest.json.
 */
export const SCENARIOS: Scenario[] = [
  ingestScenario,
  seedDemoScenario,
  openConversationScenario,
  switchConversationsScenario,
  saveLiveMessageScenario,
  contractRoundtripScenario,
  replyLatencyScenario,
  pickerScenario,
  importCsvScenario,
  importXlsxScenario,
  importStallScenario,
  shellLoopScenario,
  exportCsvScenario,
  exportJsonlScenario,
  exportXlsxScenario,
  syncBootstrapScenario,
  syncBootstrapChromiumScenario,
  firstOpenListScenario,
  firstOpenConversationScenario,
  warmOpenScenario,
  deskMemorySteadyScenario,
  deskMemoryShiftScenario,
  syncApplyScenario,
  syncPushScenario,
  searchShortScenario,
  searchLongScenario,
  searchOpenScenario,
  hubPushScenario,
  hubFanoutScenario,
  hubMemoryScenario,
  hubWidgetScenario,
  hubCeilingSqliteScenario,
  hubCeilingPg1Scenario,
  hubCeilingPg2Scenario,
  hubIngestSqliteScenario,
  hubIngestPgScenario,
  hubSearchSqliteScenario,
  hubSearchPgScenario,
  reportsScenario,
  reportsHeatmapScenario,
  automationScenario,
];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      out: { type: 'string' },
      list: { type: 'boolean', default: false },
      merge: { type: 'boolean', default: false },
      readme: { type: 'boolean', default: false },
    },
  });
  if (values.list) {
    for (const s of SCENARIOS) console.log(`${s.name.padEnd(26)} ${s.what}`);
    return 0;
  }
  const latest = path.join(import.meta.dirname, 'results', 'latest.json');
  const readme = path.join(import.meta.dirname, '..', 'README.md');
  const writeReadme = (report: BenchReport) => {
    fs.writeFileSync(readme, withTable(fs.readFileSync(readme, 'utf8'), report));
    console.log(`written: README.md's bench table`);
  };
  if (values.readme) {
    writeReadme(JSON.parse(fs.readFileSync(latest, 'utf8')) as BenchReport);
    return 0;
  }
  if (values.merge && values.quick) throw new Error("--merge takes a full run's rows only (no --quick)");
  const only = (values.only ?? []).flatMap((o) => o.split(',')).filter(Boolean);
  console.log(`Jiedai bench${values.quick ? ' (quick)' : ''}: figure, target, and ratio to a plain baseline run now\n`);
  const report = await runBench(SCENARIOS, { only, quick: values.quick, log: (line) => console.log(line) });
  // A partial or quick run must not replace the committed figures of the last full run; `--merge`
  // puts a full run's rows of some scenarios in place of theirs, the others kept with their dates.
  const partial = (only.length > 0 && !values.merge) || values.quick;
  const out = values.out ?? (partial ? path.join(import.meta.dirname, 'results', 'partial.json') : latest);
  const written =
    values.merge && !values.out && fs.existsSync(latest)
      ? mergeReports(
          JSON.parse(fs.readFileSync(latest, 'utf8')) as BenchReport,
          report,
          SCENARIOS.map((s) => s.name),
        )
      : report;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(written, null, 2)}\n`);
  console.log(`\nwritten: ${path.relative(process.cwd(), out)}`);
  if (out === latest) writeReadme(written);
  return report.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
