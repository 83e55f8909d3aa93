import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupNow, backupOnline, isBackupName, listBackups, restoreBackupFile } from './backups';
import { damagePages, writeShopFile } from './testing';
import { inspectDataFile } from './fileCheck';
import { openStore } from './index';

const dirs: string[] = [];
function shop(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-backups-'));
  dirs.push(dir);
  const file = path.join(dir, 'jiedai.sqlite');
  writeShopFile(file, 50);
  return { dir, file };
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const customers = (file: string) => {
  const store = openStore(file);
  try {
    return store.stats.counts().customers;
  } finally {
    store.close();
  }
};

describe('automatic backups', () => {
  it('writes an online backup that opens, checks clean and holds the shop, listed newest first', async () => {
    const { dir, file } = shop();
    const store = openStore(file);
    const first = await backupOnline(store.db, dir, { reason: 'daily', now: Date.UTC(2024, 5, 18, 8) });
    const second = backupNow(store.db, dir, { reason: 'migration', now: Date.UTC(2024, 5, 19, 8) });
    store.close();
    expect(listBackups(dir).map((b) => b.name)).toEqual([second.name, first.name]);
    expect(first.name).toBe('jiedai-20240618T080000000Z-daily.sqlite');
    expect(inspectDataFile(first.file)).toEqual({ state: 'ok' });
    expect(customers(second.file)).toBe(50);
    expect(fs.readdirSync(path.join(dir, 'backups')).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('keeps only the newest few', async () => {
    const { dir, file } = shop();
    const store = openStore(file);
    for (let day = 1; day <= 7; day++) await backupOnline(store.db, dir, { reason: 'daily', keep: 3, now: Date.UTC(2024, 5, day) });
    store.close();
    expect(listBackups(dir).map((b) => new Date(b.at).getUTCDate())).toEqual([7, 6, 5]);
  });

  it('restores a backup in place of a damaged file, keeping the damaged one aside, with a new feed id', async () => {
    const { dir, file } = shop();
    const store = openStore(file);
    store.settings.set('feedId', 'old-feed');
    const backup = await backupOnline(store.db, dir, { reason: 'daily' });
    store.close();
    damagePages(file);
    const { setAside } = restoreBackupFile(file, backup, path.join(dir, 'damaged'));
    expect(setAside).toMatch(/damaged[/\\]jiedai-\d{8}T\d{9}Z-replaced\.sqlite$/);
    expect(inspectDataFile(setAside!)).toMatchObject({ state: 'damaged' });
    expect(inspectDataFile(file)).toEqual({ state: 'ok' });
    expect(customers(file)).toBe(50);
    const restored = openStore(file);
    expect(restored.settings.get('feedId', '')).not.toBe('old-feed');
    restored.close();
  });

  it('refuses to restore a backup that fails its check, leaving the data file as it was', async () => {
    const { dir, file } = shop();
    const store = openStore(file);
    const backup = await backupOnline(store.db, dir, { reason: 'daily' });
    store.close();
    damagePages(backup.file);
    const before = fs.readFileSync(file);
    expect(() => restoreBackupFile(file, backup, path.join(dir, 'damaged'))).toThrow(/failed its check/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('takes only backup names, never a path', () => {
    expect(isBackupName('jiedai-20240618T080000000Z-daily.sqlite')).toBe(true);
    for (const bad of ['../jiedai.sqlite', 'jiedai-20240618T080000000Z-daily.sqlite/../../x', 'x.sqlite', ''])
      expect(isBackupName(bad)).toBe(false);
  });
});
