import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportFinished, ExportJob, ExportPreview, ExportProgress } from '../../../shared/contract/logExport';
import type { EventName } from '../../../shared/contract/events';
import { Core } from '../../core/core';
import { CoreClient } from '../../core/coreClient';
import { openStore } from '../../store';
import { seedMessageHistory } from '../demo/seedHistory';
import { SHANGHAI_DAY_START, writeFixture } from './testFixture';

const dirs: string[] = [];
const cores: { close(): unknown }[] = [];

/** A data folder holding the fixture shop (and, when asked, a longer history), the desk's agent set. */
function dataDir(options: { agent?: string; history?: number; timeZone?: string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-exports-'));
  dirs.push(dir);
  const store = openStore(path.join(dir, 'jiedai.sqlite'));
  writeFixture(store, options.agent ?? 'ag-boss');
  if (options.history) seedMessageHistory(store, { messages: options.history, now: SHANGHAI_DAY_START, days: 5 });
  if (options.timeZone) store.settings.set('timeZone', options.timeZone);
  store.close();
  return dir;
}

function core(dir: string): Core {
  const c = new Core({ dataDir: dir, seedDemo: false, demoBuyers: { enabled: false } });
  cores.push(c);
  return c;
}

afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function events(c: { on: Core['on'] }) {
  const seen: { name: EventName; payload: unknown }[] = [];
  c.on((name, payload) => seen.push({ name, payload }));
  return {
    seen,
    finished: (jobId: string) =>
      new Promise<ExportFinished>((resolve) => {
        const off = c.on((name, payload) => {
          if (name === 'logExport.finished' && (payload as ExportFinished).jobId === jobId) {
            off();
            resolve(payload as ExportFinished);
          }
        });
      }),
  };
}

const DAY18 = { from: '2024-06-18', to: '2024-06-18' };

describe('exports through the contract', () => {
  it('previews the count in the shop’s time zone', async () => {
    const c = core(dataDir());
    const result = await c.call('logExport.preview', DAY18, 'test');
    expect(result).toEqual({
      ok: true,
      value: {
        messages: 15,
        conversations: 3,
        fromMs: SHANGHAI_DAY_START,
        toMs: SHANGHAI_DAY_START + 86_400_000,
        timeZone: 'Asia/Shanghai',
      },
    });
    const filtered = await c.call('logExport.preview', { ...DAY18, directions: ['system'], tags: ['要发票'] }, 'test');
    expect(filtered.ok && (filtered.value as ExportPreview).messages).toBe(2);
  });

  it('follows the shop’s timeZone setting', async () => {
    const c = core(dataDir({ timeZone: 'UTC' }));
    const result = await c.call('logExport.preview', DAY18, 'test');
    expect(result.ok && result.value).toMatchObject({ messages: 8, timeZone: 'UTC' });
  });

  it('runs an export in its own thread: progress events, a finished event, the file, the recent list', async () => {
    const dir = dataDir();
    const c = core(dir);
    const ev = events(c);
    const out = path.join(dir, 'day.csv');
    const started = await c.call('logExport.start', { filters: DAY18, format: 'csv' }, 'test', {
      exportDestination: { path: out, overwrite: false },
    });
    if (!started.ok) throw new Error(started.error.message);
    const { jobId, path: written } = started.value as { jobId: string; path: string };
    expect(written).toBe(out);
    const finished = await ev.finished(jobId);
    expect(finished).toMatchObject({ jobId, status: 'done', path: out, rows: 15 });
    expect(finished.bytes).toBe(fs.statSync(out).size);
    const rows = Papa.parse<string[]>(fs.readFileSync(out, 'utf8').slice(1), { newline: '\r\n', skipEmptyLines: true }).data;
    expect(rows).toHaveLength(16);
    const progress = ev.seen.filter((e) => e.name === 'logExport.progress').map((e) => e.payload as ExportProgress);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ jobId, done: 15, total: 15 });
    const list = await c.call('logExport.list', {}, 'test');
    expect(list.ok && (list.value as ExportJob[])[0]).toMatchObject({
      id: jobId,
      status: 'done',
      done: 15,
      total: 15,
      format: 'csv',
      timeZone: 'Asia/Shanghai',
    });
  });

  it('writes to the data folder’s exports/ when no destination is given, and remembers jobs across restarts', async () => {
    const dir = dataDir();
    const c = core(dir);
    const ev = events(c);
    const started = await c.call('logExport.start', { filters: DAY18, format: 'jsonl' }, 'test');
    if (!started.ok) throw new Error(started.error.message);
    const { jobId, path: written } = started.value as { jobId: string; path: string };
    expect(path.dirname(written)).toBe(path.join(dir, 'exports'));
    expect(path.basename(written)).toMatch(/^小桃家_女装_旗舰店-聊天记录-2024-06-18_2024-06-18-\d{8}T\d{6}\.jsonl$/);
    await ev.finished(jobId);
    expect(fs.readFileSync(written, 'utf8').trim().split('\n')).toHaveLength(15);
    c.close();
    const again = core(dir);
    const list = await again.call('logExport.list', {}, 'test');
    expect(list.ok && (list.value as ExportJob[]).map((j) => j.id)).toEqual([jobId]);
  });

  it('refuses bad destinations with typed errors', async () => {
    const dir = dataDir();
    const c = core(dir);
    const start = (destination: { path: string; overwrite?: boolean }, format = 'csv') =>
      c.call('logExport.start', { filters: DAY18, format }, 'test', { exportDestination: { overwrite: false, ...destination } });
    expect(await start({ path: 'relative.csv' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await start({ path: path.join(dir, 'x.txt') })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await start({ path: path.join(dir, 'x.csv') }, 'xlsx')).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await start({ path: path.join(dir, 'missing', 'x.csv') })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    fs.writeFileSync(path.join(dir, 'taken.csv'), 'keep');
    expect(await start({ path: path.join(dir, 'taken.csv') })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(fs.readFileSync(path.join(dir, 'taken.csv'), 'utf8')).toBe('keep');
    expect(await c.call('logExport.start', { filters: { from: '2024-06-19', to: '2024-06-18' }, format: 'csv' }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(await c.call('logExport.preview', { from: '2024-02-30', to: '2024-03-01' }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(await c.call('logExport.cancel', { jobId: 'nope' }, 'test')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('is for owners and supervisors only', async () => {
    const agentDesk = core(dataDir({ agent: 'ag-mei' }));
    for (const [method, args] of [
      ['logExport.preview', DAY18],
      ['logExport.start', { filters: DAY18, format: 'csv' }],
      ['logExport.list', {}],
      ['logExport.cancel', { jobId: 'x' }],
    ] as const) {
      expect(await agentDesk.call(method, args, 'test')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    const supervisorDesk = core(dataDir({ agent: 'ag-wang' }));
    expect((await supervisorDesk.call('logExport.preview', DAY18, 'test')).ok).toBe(true);
  });

  it('cancels a running export: a cancelled event and no file, not even a temporary one', async () => {
    const dir = dataDir({ history: 20_000 });
    const c = core(dir);
    const ev = events(c);
    const out = path.join(dir, 'big.xlsx');
    const started = await c.call('logExport.start', { filters: { from: '2024-06-01', to: '2024-06-30' }, format: 'xlsx' }, 'test', {
      exportDestination: { path: out, overwrite: false },
    });
    if (!started.ok) throw new Error(started.error.message);
    const { jobId } = started.value as { jobId: string };
    const finished = ev.finished(jobId);
    await new Promise<void>((resolve) => {
      const off = c.on((name, payload) => {
        if (name === 'logExport.progress' && (payload as ExportProgress).total > 0) {
          off();
          resolve();
        }
      });
    });
    expect(await c.call('logExport.cancel', { jobId }, 'test')).toEqual({ ok: true, value: { cancelled: true } });
    expect(await finished).toMatchObject({ jobId, status: 'cancelled', path: out });
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(await c.call('logExport.cancel', { jobId }, 'test')).toEqual({ ok: true, value: { cancelled: false } });
    const list = await c.call('logExport.list', {}, 'test');
    expect(list.ok && (list.value as ExportJob[])[0]).toMatchObject({ id: jobId, status: 'cancelled' });
  });

  it('removes a running export’s temporary file when the core closes', async () => {
    const dir = dataDir({ history: 20_000 });
    const c = core(dir);
    const ev = events(c);
    const out = path.join(dir, 'closing.xlsx');
    const started = await c.call('logExport.start', { filters: { from: '2024-06-01', to: '2024-06-30' }, format: 'xlsx' }, 'test', {
      exportDestination: { path: out, overwrite: false },
    });
    if (!started.ok) throw new Error(started.error.message);
    await new Promise<void>((resolve) => {
      const off = c.on((name, payload) => {
        if (name === 'logExport.progress' && (payload as ExportProgress).done > 0) {
          off();
          resolve();
        }
      });
    });
    c.close();
    expect(ev.seen.some((e) => e.name === 'logExport.finished' && (e.payload as ExportFinished).status === 'cancelled')).toBe(true);
    await expect
      .poll(() => fs.readdirSync(dir).filter((f) => f.endsWith('.part') || f === 'closing.xlsx'), {
        message: 'no half file and no export is left once the thread is gone',
        timeout: 5_000,
      })
      .toEqual([]);
  });

  it('works the same with the core in its worker thread (the export thread starts from inside it)', async () => {
    const dir = dataDir();
    const client = await CoreClient.start({ dataDir: dir, seedDemo: false, demoBuyers: { enabled: false } });
    cores.push(client);
    const ev = events(client as unknown as Core);
    const out = path.join(dir, 'from-worker.html');
    const started = await client.call('logExport.start', { filters: DAY18, format: 'html' }, 'test', {
      exportDestination: { path: out, overwrite: false },
    });
    if (!started.ok) throw new Error(started.error.message);
    const finished = await ev.finished((started.value as { jobId: string }).jobId);
    expect(finished).toMatchObject({ status: 'done', rows: 15 });
    expect(fs.readFileSync(out, 'utf8')).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
