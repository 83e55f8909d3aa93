import type { BenchReport, ScenarioResult } from './harness';

/**
 * The README's bench figures are the bench's: the table between these two markers is written from
 * bench/results/latest.json (after a full or merged run, and by `npm run bench:readme`), and a test
 * (readmeTable.test.ts) fails when the README's table is not the one latest.json gives.
 */
export const BEGIN = '<!-- bench:begin (written from bench/results/latest.json by `npm run bench:readme`) -->';
export const END = '<!-- bench:end -->';

function figure(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

function row(r: ScenarioResult, reportDate: string): string {
  const sign = r.better === 'lower' ? '≤' : '≥';
  const ratio = r.baseline && r.ratio !== null ? `×${r.ratio.toFixed(2)} ${cell(r.baseline.label)}` : '—';
  const when = (r.measuredAt ?? reportDate).slice(0, 10);
  const load = r.load ? `${figure(r.load.before)}–${figure(r.load.after)}` : '?';
  return `| \`${r.name}\` | ${figure(r.value)} ${cell(r.unit)} | ${sign} ${figure(r.target)} | ${r.meetsTarget ? 'met' : '**missed**'} | ${ratio} | ${when} | ${load} |`;
}

/** The table (with its markers) for a report. */
export function renderTable(report: BenchReport): string {
  const met = report.results.filter((r) => r.meetsTarget).length;
  const lines = [
    BEGIN,
    `${report.results.length} rows, ${met} meeting their target, on ${report.machine.cpus} × ${cell(report.machine.cpuModel)} ` +
      `(${report.machine.node}); the load is the 1-minute load average before–after the row (2 cores: above 2, the row shared the machine).`,
    '',
    '| row | figure | target | | × same-run baseline | measured | load |',
    '|---|---|---|---|---|---|---|',
    ...report.results.map((r) => row(r, report.date)),
  ];
  for (const f of report.failures) lines.push(`| \`${f.name}\` | failed: ${cell(f.error.split('\n')[0]!)} | | | | | |`);
  for (const s of report.skipped ?? []) lines.push(`| \`${s.name}\` | skipped: ${cell(s.reason)} | | | | | |`);
  lines.push(END);
  return lines.join('\n');
}

/** The README with its table replaced by the report's; throws when the markers are missing. */
export function withTable(readme: string, report: BenchReport): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin === -1 || end === -1 || end < begin) throw new Error('README.md has no bench table markers');
  return readme.slice(0, begin) + renderTable(report) + readme.slice(end + END.length);
}
