import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReportExport, ReportSummary } from '../../shared/contract/reports';
import { dayString, localDay, fixedOffsetClock } from '../../shared/domain/reports/clock';
import { cellText } from '../../shared/domain/reports/table';
import { translator } from '../../shared/i18n';
import { reportTable } from '../services/reports/exportReport';
import { Core } from './core';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function core() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-reports-'));
  const c = new Core({ dataDir: dir, demoBuyers: { enabled: false }, watchOtherWritersMs: false });
  cleanups.push(() => {
    c.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const as = (nick: string) => {
    c.signIn(nick, c.store.agents.list().find((a) => a.nick === nick)!.id);
    return nick;
  };
  return { core: c, dir, as };
}

const value = <T>(r: unknown): T => {
  expect(r).toMatchObject({ ok: true });
  return (r as { value: T }).value;
};

/** The last 30 days of the demo shop, in its own time zone (Asia/Shanghai). */
function last30(): { from: string; to: string } {
  const today = localDay(Date.now(), fixedOffsetClock(480));
  return { from: dayString(today - 29), to: dayString(today) };
}

describe('reports through the contract', () => {
  it('refuses an agent every report method, whatever the arguments', async () => {
    const { core: c, as } = core();
    const mei = as('小美');
    const period = last30();
    for (const [method, args] of [
      ['reports.summary', period],
      ['reports.heatmap', period],
      ['reports.questions', period],
      ['reports.phrases', {}],
      ['reports.export', { period, format: 'csv' }],
      ['reports.setWorkingHours', { workingHours: null }],
    ] as const) {
      expect(await c.call(method, args, mei), method).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
  });

  it('refuses periods that are backwards or longer than the limit, and stray fields', async () => {
    const { core: c, as } = core();
    const wang = as('主管-王姐');
    for (const args of [
      { from: '2024-06-10', to: '2024-06-01' },
      { from: '2023-01-01', to: '2024-06-01' },
      { from: '2024-02-30', to: '2024-03-01' },
      { from: '2024-06-01', to: '2024-06-02', extra: 1 },
    ]) {
      expect(await c.call('reports.summary', args, wang), JSON.stringify(args)).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument' },
      });
    }
  });

  it('gives a supervisor the demo shop’s report, and the exported table holds the same numbers', async () => {
    const { core: c, dir, as } = core();
    const wang = as('主管-王姐');
    const period = last30();
    const summary = value<ReportSummary>(await c.call('reports.summary', period, wang));
    expect(summary.status).toEqual({ behind: 0, rebuilding: null });
    expect(summary.totals.team.received).toBeGreaterThan(5);
    expect(summary.totals.team.response.count).toBeGreaterThan(5);
    expect(summary.series).toHaveLength(30);
    // one row per agent who serves buyers (the owner does not), each named
    const nicks = new Map(summary.agents.map((a) => [a.id, a.nick]));
    expect(summary.totals.agents.filter((a) => a.agentId !== '').map((a) => nicks.get(a.agentId))).toEqual(
      c.store.agents
        .list()
        .filter((a) => a.role !== 'owner')
        .map((a) => a.nick),
    );

    const csv = value<ReportExport>(await c.call('reports.export', { period, format: 'csv' }, wang));
    expect(path.dirname(csv.path)).toBe(path.join(dir, 'exports'));
    expect(csv.fileName).toMatch(/报表-.*\.csv$/);
    expect(csv.download).not.toBeNull();
    // browser mode fetches it once with the ticket
    expect(c.redeemDownload(csv.download!.ticket)).toMatchObject({ fileName: csv.fileName });
    expect(c.redeemDownload(csv.download!.ticket)).toBeNull();
    const text = fs.readFileSync(csv.path, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
    const table = reportTable(summary, translator('zh-CN'));
    expect(rows[0]).toEqual(table.header);
    expect(rows.slice(1)).toEqual(table.rows.map((r) => r.map((cell) => cellText(cell))));
    expect(rows[1]![0]).toBe('团队合计');
    expect(Number(rows[1]![1])).toBe(summary.totals.team.received);

    const xlsx = value<ReportExport>(await c.call('reports.export', { period, format: 'xlsx', locale: 'en' }, wang));
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx.path);
    expect(book.worksheets.map((s) => s.name)).toEqual(['By agent', 'Trend', 'Definitions']);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(2).getCell(1).value).toBe('Team total');
    expect(sheet.getRow(2).getCell(2).value).toBe(summary.totals.team.received);
    expect(sheet.getRow(2).getCell(18).value).toBe(summary.totals.team.salesCents / 100);
    expect(book.worksheets[1]!.rowCount).toBe(31);
  });

  it('answers the heatmap, hot questions and phrases, and rebuilds with working hours', async () => {
    const { core: c, as } = core();
    const wang = as('主管-王姐');
    const period = last30();
    const heat = value<{ grid: number[][]; max: number }>(await c.call('reports.heatmap', period, wang));
    expect(heat.grid).toHaveLength(7);
    expect(heat.grid.flat().reduce((a, b) => a + b, 0)).toBe(
      value<ReportSummary>(await c.call('reports.summary', period, wang)).totals.team.buyerMessages,
    );
    const questions = value<{ questions: { count: number; term: string }[]; words: unknown[] }>(
      await c.call('reports.questions', period, wang),
    );
    expect(questions.questions.length).toBeGreaterThan(0);
    expect(questions.words.length).toBeGreaterThan(0);
    const phrases = value<{ teamCount: number; mostUsed: unknown[]; neverUsedCount: number }>(await c.call('reports.phrases', {}, wang));
    expect(phrases.teamCount).toBeGreaterThan(0);

    const hours = { days: [1, 2, 3, 4, 5], start: 9 * 60, end: 18 * 60 };
    expect(value(await c.call('reports.setWorkingHours', { workingHours: hours }, wang))).toEqual({ workingHours: hours });
    expect(await c.call('reports.setWorkingHours', { workingHours: { days: [1], start: 600, end: 600 } }, wang)).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    c.reports.catchUpAll();
    const after = value<ReportSummary>(await c.call('reports.summary', period, wang));
    expect(after.workingHours).toEqual(hours);
    expect(after.status.rebuilding).toBeNull();
  });
  it('counts phrase use per day: the period shows the uses made in it, and a period before any use shows every phrase unused', async () => {
    const { core: c, as } = core();
    const wang = as('主管-王姐');
    const today = dayString(localDay(Date.now(), fixedOffsetClock(480)));
    type Phrases = {
      mostUsed: { id: string; useCount: number }[];
      neverUsed: { id: string }[];
      neverUsedCount: number;
      teamCount: number;
      period: unknown;
    };
    const phraseId = c.store.db.prepare("SELECT id FROM replies WHERE scope = 'team' ORDER BY id LIMIT 1").pluck().get() as string;
    const uses = (p: Phrases) => p.mostUsed.find((x) => x.id === phraseId)?.useCount ?? 0;
    const before = value<Phrases>(await c.call('reports.phrases', { from: today, to: today, limit: 100 }, wang));
    expect(before.period).toEqual({ from: today, to: today });

    const mei = as('小美');
    for (let i = 0; i < 3; i++) value(await c.call('phrases.markUsed', { phraseId }, mei));
    const after = value<Phrases>(await c.call('reports.phrases', { from: today, to: today, limit: 100 }, wang));
    expect(uses(after)).toBe(uses(before) + 3);
    expect(after.neverUsed.map((p) => p.id)).not.toContain(phraseId);

    // The all-time view (no period) still counts since each phrase was written.
    const allTime = value<Phrases>(await c.call('reports.phrases', { limit: 100 }, wang));
    expect(allTime.period).toBeNull();
    expect(uses(allTime)).toBeGreaterThanOrEqual(uses(after));

    // Long before the demo shop's history: nothing used, every team phrase listed as unused.
    const old = value<Phrases>(await c.call('reports.phrases', { from: '2001-01-01', to: '2001-03-31', limit: 100 }, wang));
    expect(old.mostUsed).toEqual([]);
    expect(old.neverUsedCount).toBe(old.teamCount);
    expect(old.neverUsed.map((p) => p.id)).toContain(phraseId);

    for (const args of [
      { from: today },
      { to: today },
      { from: '2024-06-10', to: '2024-06-01' },
      { from: '2023-01-01', to: '2024-06-01' },
    ]) {
      expect(await c.call('reports.phrases', args, wang), JSON.stringify(args)).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument' },
      });
    }
  });
});
