import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../shared/domain/ids';
import type { RecoveryStatus } from '../../shared/contract/recovery';
import { listBackups } from '../store/backups';
import { damagePages } from '../store/testing';
import { Core, DATA_FILE } from './core';
import { startCore, type StartCoreOptions } from './recovery';

const dirs: string[] = [];
const open: { close(): void }[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-recovery-'));
  dirs.push(dir);
  return dir;
}
const quiet = () => undefined;
function start(dir: string, extra: Partial<StartCoreOptions> = {}) {
  const core = startCore({ dataDir: dir, demoBuyers: { enabled: false }, ...extra }, quiet);
  open.push(core);
  return core;
}
async function value<T>(p: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}
const counts = (core: ReturnType<typeof start>) => value<Record<string, number>>(core.call('stats.counts', {}, 'test'));

describe('a damaged data file at start', () => {
  it('never turns a 0-byte file into a fresh demo shop: the file is kept aside and the desk is not served', async () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, DATA_FILE), '');
    const core = start(dir);
    const status = await value<RecoveryStatus>(core.call('recovery.status', {}, 'test'));
    expect(status).toMatchObject({ state: 'damaged', reason: 'empty', backups: [] });
    const keptAs = status.state === 'damaged' ? status.keptAs! : '';
    expect(path.dirname(keptAs)).toBe(path.join(dir, 'damaged'));
    expect(fs.statSync(keptAs).size).toBe(0);
    expect(fs.existsSync(path.join(dir, DATA_FILE))).toBe(false);
    const refused = await core.call('conversations.list', { status: 'open' }, 'test');
    expect(refused).toMatchObject({ ok: false, error: { code: 'store_damaged' } });

    // Quitting at the recovery screen and starting again still asks; still no demo shop.
    core.close();
    const again = start(dir);
    expect(await value<RecoveryStatus>(again.call('recovery.status', {}, 'test'))).toMatchObject({
      state: 'damaged',
      reason: 'empty',
      keptAs,
    });
    expect(fs.existsSync(path.join(dir, DATA_FILE))).toBe(false);
  });

  it('starts empty on request, and the empty shop stays empty on the next start', async () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, DATA_FILE), 'not a database at all'.repeat(300));
    const core = start(dir);
    expect(await value<RecoveryStatus>(core.call('recovery.status', {}, 'test'))).toMatchObject({ state: 'damaged', reason: 'not_sqlite' });
    expect(await value(core.call('recovery.startEmpty', {}, 'test'))).toEqual({ state: 'ready' });
    expect((await counts(core)).customers).toBe(0);
    core.close();
    const next = start(dir);
    expect(await value<RecoveryStatus>(next.call('recovery.status', {}, 'test'))).toEqual({ state: 'ready' });
    expect((await counts(next)).customers).toBe(0);
  });

  it('restores the newest daily backup after pages in the middle of the file were overwritten', async () => {
    const dir = dataDir();
    const first = start(dir);
    await first.firstBackup();
    const seeded = await counts(first);
    const shop = (await value<{ shop: { name: string } }>(first.call('app.info', {}, 'test'))).shop.name;
    first.close();
    expect(listBackups(dir).map((b) => b.reason)).toEqual(['daily']);

    damagePages(path.join(dir, DATA_FILE));
    const core = start(dir);
    const status = await value<RecoveryStatus>(core.call('recovery.status', {}, 'test'));
    expect(status).toMatchObject({ state: 'damaged', reason: 'corrupt' });
    expect(status.state === 'damaged' && status.backups.map((b) => b.reason)).toEqual(['daily']);
    expect(await value(core.call('recovery.restoreBackup', {}, 'test'))).toEqual({ state: 'ready' });
    expect(await counts(core)).toEqual(seeded);
    expect((await value<{ shop: { name: string } }>(core.call('app.info', {}, 'test'))).shop.name).toBe(shop);
    expect(fs.readdirSync(path.join(dir, 'damaged')).some((n) => n.endsWith('-damaged.sqlite'))).toBe(true);
  });

  it('refuses a backup name that is not one, and answers ready once the store serves', async () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, DATA_FILE), '');
    const core = start(dir);
    expect(await core.call('recovery.restoreBackup', { name: '../../etc/passwd' }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(await core.call('recovery.restoreBackup', {}, 'test')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await value(core.call('recovery.startEmpty', {}, 'test'));
    expect(await core.call('recovery.startEmpty', {}, 'test')).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

describe('automatic backups of a running core', () => {
  it('takes one at start when the newest is older than a day, not when it is fresh', async () => {
    const dir = dataDir();
    const a = start(dir);
    await a.firstBackup();
    a.close();
    const b = start(dir);
    await b.firstBackup();
    b.close();
    expect(listBackups(dir)).toHaveLength(1);
    const c = start(dir, { dailyBackups: { everyMs: 1 } });
    await c.firstBackup();
    expect(listBackups(dir)).toHaveLength(2);
  });
});

describe('a write that meets a full disk', () => {
  it('answers storage_full, and a push stops there saying why', async () => {
    const dir = dataDir();
    const core = new Core({ dataDir: dir, demoBuyers: { enabled: false } });
    open.push(core);
    const pages = core.store.db.pragma('page_count', { simple: true }) as number;
    core.store.db.pragma(`max_page_count = ${pages}`);
    const big = '满'.repeat(20);
    let direct;
    for (let i = 0; i < 2000; i++) {
      direct = await core.call('tags.create', { id: newId(), name: `${big.slice(0, 18)}${i}`, color: '#ff0000' }, 'test');
      if (!direct.ok) break;
    }
    expect(direct).toMatchObject({ ok: false, error: { code: 'storage_full' } });
    const pushed = await core.call(
      'sync.push',
      {
        clientId: newId(),
        mutations: [{ mutationId: newId(), name: 'tags.create', args: { id: newId(), name: '又一个', color: '#00ff00' } }],
      },
      'test',
    );
    expect(pushed).toMatchObject({ ok: true, value: { results: [], stopped: { code: 'storage_full' } } });
  });
});
