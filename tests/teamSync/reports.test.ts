import fs from 'node:fs';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import type { ReportExport, ReportSummary } from '../../shared/contract/reports';
import { dayString, fixedOffsetClock, localDay } from '../../shared/domain/reports/clock';
import type { Core } from '../../src-main/core/core';
import { seedMessageHistory } from '../../src-main/services/demo/seedHistory';
import { drain, hubAgents, inProcessHub, joinDesk, makeHub } from './team';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c();
});

const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
};

describe('reports on a desk of a team', () => {
  it('are asked of the hub, which holds the whole shop; offline the desk answers from its own store; the export is written on the desk', async () => {
    const hub = makeHub();
    // Two weeks of ended conversations on the hub: a desk's bootstrap takes only the open ones' newest pages.
    seedMessageHistory(hub.core.store, { messages: 3000, now: Date.now(), days: 14, seed: 7 });
    const accounts = new Map<string, string>();
    let hubCore: Core | null = hub.core;
    const end = inProcessHub(() => hubCore, accounts);
    const lead = (await hubAgents(end)).find((a) => a.role === 'supervisor')!;
    const desk = joinDesk(end, accounts, 'lead', lead);
    cleanup.push(() => {
      desk.core.close();
      fs.rmSync(desk.dir, { recursive: true, force: true });
      hub.core.close();
      fs.rmSync(hub.dir, { recursive: true, force: true });
    });
    expect(await drain(hub.core, [desk])).toBeNull();
    // The hub's rollups built (a first query during the backfill answers with what is folded so far, and says so).
    hub.core.reports.catchUpAll();
    desk.core.reports.catchUpAll();
    const today = localDay(Date.now(), fixedOffsetClock(480));
    const period = { from: dayString(today - 13), to: dayString(today) };

    const viaHub = value<ReportSummary>(await desk.core.call('reports.summary', period, 'renderer'));
    const onHub = hub.core.reports.summary(period);
    expect(viaHub.totals.team).toEqual(onHub.totals.team);
    const local = desk.core.reports.summary(period);
    expect(local.totals.team.buyerMessages).toBeLessThan(onHub.totals.team.buyerMessages);

    // The export is the hub's table, written here (the hub's disk is not the desk's).
    const file = value<ReportExport>(await desk.core.call('reports.export', { period, format: 'csv' }, 'renderer'));
    expect(file.path.startsWith(desk.dir)).toBe(true);
    const rows = Papa.parse<string[]>(fs.readFileSync(file.path, 'utf8').slice(1), { skipEmptyLines: true }).data;
    expect(Number(rows[1]![1])).toBe(onHub.totals.team.received);

    // The hub out of reach: the desk's own rollups answer.
    hubCore = null;
    const offline = value<ReportSummary>(await desk.core.call('reports.summary', period, 'renderer'));
    expect(offline.totals.team).toEqual(desk.core.reports.summary(period).totals.team);
    // Working hours are the hub's to keep: offline, the desk says the hub is needed.
    expect(await desk.core.call('reports.setWorkingHours', { workingHours: null }, 'renderer')).toMatchObject({ ok: false });
  });
});
