import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportDownload, ExportFinished, ExportJob } from '../../../shared/contract/logExport';
import { Core } from '../../core/core';
import { openStore } from '../../store';
import { TICKET_TTL_MS } from './downloadTickets';
import type { StoredJob } from './leftovers';
import { writeFixture } from './testFixture';

const dirs: string[] = [];
const cores: Core[] = [];
const DAY18 = { from: '2024-06-18', to: '2024-06-18' };

function dataDir(prepare?: (store: ReturnType<typeof openStore>) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-export-dest-'));
  dirs.push(dir);
  const store = openStore(path.join(dir, 'jiedai.sqlite'));
  writeFixture(store, 'ag-boss');
  prepare?.(store);
  store.close();
  return dir;
}

function core(dir: string, now?: () => number): Core {
  const c = new Core({ dataDir: dir, seedDemo: false, demoBuyers: { enabled: false }, ...(now ? { now } : {}) });
  cores.push(c);
  return c;
}

afterEach(() => {
  for (const c of cores.splice(0)) c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function exportDone(
  c: Core,
  format: 'csv' | 'jsonl' = 'csv',
  shell?: Parameters<Core['call']>[3],
): Promise<{ jobId: string; path: string }> {
  const started = await c.call('logExport.start', { filters: DAY18, format }, 'test', shell);
  if (!started.ok) throw new Error(started.error.message);
  const value = started.value as { jobId: string; path: string };
  const finished: ExportFinished = await c.logExport.whenFinished(value.jobId);
  expect(finished.status).toBe('done');
  return value;
}

describe('where an export may write', () => {
  it('refuses a path sent by the renderer: the contract has no destination', async () => {
    const dir = dataDir();
    const victim = path.join(dir, 'victim.csv');
    fs.writeFileSync(victim, 'keep me');
    const c = core(dir);
    const answer = await c.call(
      'logExport.start',
      { filters: DAY18, format: 'csv', destination: { path: victim, overwrite: true } },
      'test',
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
    expect(c.logExport.list()).toEqual([]);
  });

  it('never overwrites in exports/: a second export of the same days gets a new name', async () => {
    const c = core(dataDir(), () => Date.UTC(2024, 5, 20, 8));
    const first = await exportDone(c);
    const second = await exportDone(c);
    expect(path.dirname(second.path)).toBe(path.dirname(first.path));
    expect(second.path).not.toBe(first.path);
    expect(path.basename(second.path)).toMatch(/-2\.csv$/);
  });

  it('refuses days a calendar cannot hold, as invalid arguments, before any job starts', async () => {
    const c = core(dataDir());
    for (const filters of [
      { from: '2024-06-18', to: '9999-12-31' },
      { from: '1969-12-31', to: '2024-06-18' },
      { from: '2101-01-01', to: '2101-01-02' },
    ]) {
      expect(await c.call('logExport.preview', filters, 'test')).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      expect(await c.call('logExport.start', { filters, format: 'csv' }, 'test')).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument' },
      });
    }
    expect(c.logExport.list()).toEqual([]);
  });
});

describe('an export the app did not see end', () => {
  it('is listed as interrupted at the next start, and its hidden half files are gone', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-export-chosen-'));
    dirs.push(elsewhere);
    const job = (id: string, file: string): StoredJob => ({
      id,
      format: 'csv',
      filters: { ...DAY18, agents: [], customers: [], tags: [], groups: [], directions: [] },
      timeZone: 'Asia/Shanghai',
      path: file,
      status: 'running',
      done: 10,
      total: 15,
      startedAt: 1,
      finishedAt: null,
      bytes: null,
      pid: process.pid,
    });
    const dir = dataDir();
    const exportsDir = path.join(dir, 'exports');
    fs.mkdirSync(exportsDir);
    const inExports = path.join(exportsDir, 'day.csv');
    const chosen = path.join(elsewhere, 'mine.csv');
    const store = openStore(path.join(dir, 'jiedai.sqlite'));
    store.settings.set('exports.recent', [job('job-a', inExports), job('job-b', chosen)]);
    store.close();
    fs.writeFileSync(path.join(exportsDir, '.day.csv.job-a.part'), 'half');
    fs.writeFileSync(path.join(elsewhere, '.mine.csv.job-b.part'), 'half');
    fs.writeFileSync(path.join(exportsDir, '.lost.xlsx.job-z.part'), 'orphan');
    fs.writeFileSync(path.join(elsewhere, 'unrelated.part'), 'not ours');

    const c = core(dir);
    const list = (await c.call('logExport.list', {}, 'test')) as { ok: true; value: ExportJob[] };
    expect(list.value.map((j) => [j.id, j.status])).toEqual([
      ['job-a', 'interrupted'],
      ['job-b', 'interrupted'],
    ]);
    expect(list.value[0]).not.toHaveProperty('pid');
    expect(fs.readdirSync(exportsDir)).toEqual([]);
    expect(fs.readdirSync(elsewhere)).toEqual(['unrelated.part']);
  });
});

describe('downloads in browser mode', () => {
  it('issues a one-time ticket for a finished export in exports/, and only for that', async () => {
    let clock = Date.UTC(2024, 5, 20, 8);
    const dir = dataDir();
    const c = core(dir, () => clock);
    const { jobId, path: file } = await exportDone(c);
    const answer = await c.call('logExport.download', { jobId }, 'test');
    if (!answer.ok) throw new Error(answer.error.message);
    const ticket = answer.value as ExportDownload;
    expect(ticket).toMatchObject({ fileName: path.basename(file), bytes: fs.statSync(file).size });
    expect(ticket.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(c.redeemDownload(ticket.ticket)).toEqual({ path: fs.realpathSync(file), fileName: path.basename(file) });
    expect(c.redeemDownload(ticket.ticket)).toBeNull(); // used
    expect(c.redeemDownload('made-up')).toBeNull();

    const late = (await c.call('logExport.download', { jobId }, 'test')) as { ok: true; value: ExportDownload };
    clock += TICKET_TTL_MS + 1;
    expect(c.redeemDownload(late.value.ticket)).toBeNull(); // expired

    // a file the desktop shell wrote elsewhere is not served
    const outside = path.join(dir, 'outside.csv');
    const mine = await exportDone(c, 'csv', { exportDestination: { path: outside, overwrite: false } });
    expect(await c.call('logExport.download', { jobId: mine.jobId }, 'test')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await c.call('logExport.download', { jobId: 'nope' }, 'test')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('does not follow a finished export that was replaced by a link out of exports/', async () => {
    const dir = dataDir();
    const c = core(dir);
    const { jobId, path: file } = await exportDone(c);
    const answer = (await c.call('logExport.download', { jobId }, 'test')) as { ok: true; value: ExportDownload };
    const secret = path.join(dir, 'secret.txt');
    fs.writeFileSync(secret, 'secret');
    fs.rmSync(file);
    fs.symlinkSync(secret, file);
    expect(c.redeemDownload(answer.value.ticket)).toBeNull();
  });
});
