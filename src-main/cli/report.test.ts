import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportSummary } from '../../shared/contract/reports';
import { Core } from '../core/core';
import { run, type Io } from './jiedai';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A data folder holding the demo shop, as after the app's first start. */
function demoDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-cli-report-'));
  dirs.push(dir);
  new Core({ dataDir: dir, demoBuyers: { enabled: false }, watchOtherWritersMs: false }).close();
  return dir;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), isTty: false };
  return { io, out, err };
}

const shanghaiDay = (offsetDays: number) => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('jiedai report', () => {
  it('prints the summary as JSON, exports the table to CSV, and narrows it to one agent', async () => {
    const dir = demoDir();
    const period = ['--from', shanghaiDay(-29), '--to', shanghaiDay(0), '--data-dir', dir];
    const json = capture();
    expect(await run(['report', ...period], json.io)).toBe(0);
    const summary = JSON.parse(json.out.join('')) as ReportSummary;
    expect(summary.totals.team.received).toBeGreaterThan(5);
    expect(summary.series).toHaveLength(30);

    const out = path.join(dir, 'report.csv');
    const csv = capture();
    expect(await run(['report', ...period, '--out', out], csv.io)).toBe(0);
    expect(csv.out.join('')).toBe(`已导出到 ${out}`);
    const rows = Papa.parse<string[]>(fs.readFileSync(out, 'utf8').slice(1), { skipEmptyLines: true }).data;
    expect(rows[0]!.slice(0, 3)).toEqual(['客服', '接待人数', '询单人数']);
    expect(rows[1]!.slice(0, 2)).toEqual(['团队合计', String(summary.totals.team.received)]);
    // 催付 per agent and for the team, the table's last columns (the JSON has them per agent too).
    expect(rows[0]!.slice(-3)).toEqual(['催付次数', '催付后付款单数', '催付挽回金额(元)']);
    expect(rows[1]!.at(-3)).toBe(String(summary.reminders.sent));
    expect(typeof summary.agentReminders).toBe('object');

    const one = capture();
    expect(await run(['report', ...period, '--agent', '小美', '--format', 'csv', '--out', out], one.io)).toBe(0);
    const narrowed = Papa.parse<string[]>(fs.readFileSync(out, 'utf8').slice(1), { skipEmptyLines: true }).data;
    expect(narrowed.map((r) => r[0])).toEqual(['客服', '团队合计', '小美']);

    const xlsx = capture();
    expect(await run(['report', ...period, '--format', 'xlsx'], xlsx.io)).toBe(0);
    expect(xlsx.out.join('')).toMatch(new RegExp(`已导出到 ${path.join(dir, 'exports').replace(/[/\\]/g, '.')}.*\\.xlsx$`));
  });

  it('refuses an agent, an unknown agent and a bad format', async () => {
    const dir = demoDir();
    const period = ['--from', shanghaiDay(-6), '--to', shanghaiDay(0), '--data-dir', dir];
    const agent = capture();
    expect(await run(['report', ...period, '--as', '小美'], agent.io)).toBe(1);
    expect(agent.err.join('\n')).toContain('supervisors and the shop owner');
    const unknown = capture();
    expect(await run(['report', ...period, '--agent', '没有这个人'], unknown.io)).toBe(2);
    const format = capture();
    expect(await run(['report', ...period, '--format', 'pdf'], format.io)).toBe(2);
  });
});
