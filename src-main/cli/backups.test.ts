import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Core, DATA_FILE } from '../core/core';
import { damagePages } from '../store/testing';
import { run } from './jiedai';

const dirs: string[] = [];
beforeEach(() => vi.stubEnv('LC_ALL', 'en_US.UTF-8')); // the sentences follow the system's language
afterEach(() => {
  vi.unstubAllEnvs();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-cli-backups-'));
  dirs.push(d);
  return d;
}
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out: () => out.join('\n'), err: () => err.join('\n') };
}
async function cli(argv: string[]) {
  const c = capture();
  const code = await run(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('jiedai backups', () => {
  it('lists backups, and restores the newest in place of a damaged file that other commands refuse with a sentence', async () => {
    const dir = tmp();
    expect((await cli(['seed-demo', '--data-dir', dir])).code).toBe(0);
    const seeded = JSON.parse((await cli(['stats', '--json', '--data-dir', dir])).out) as Record<string, number>;
    expect((await cli(['backups', 'create', '--data-dir', dir])).code).toBe(0);
    const list = await cli(['backups', 'list', '--json', '--data-dir', dir]);
    const backups = JSON.parse(list.out) as { name: string; reason: string }[];
    expect(backups.map((b) => b.reason)).toEqual(['manual']);

    damagePages(path.join(dir, DATA_FILE));
    const refused = await cli(['stats', '--data-dir', dir]);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(
      `jiedai: The data file is damaged: ${path.join(dir, DATA_FILE)}. Restore the newest automatic backup with "jiedai backups restore --newest", or open Jiedai and choose there.`,
    );

    const restored = await cli(['backups', 'restore', '--newest', '--data-dir', dir]);
    expect(restored.code).toBe(0);
    expect(restored.out).toContain(`restored ${backups[0]!.name}`);
    expect(restored.out).toMatch(/previous file is kept as .*damaged/);
    expect(JSON.parse((await cli(['stats', '--json', '--data-dir', dir])).out)).toEqual(seeded);
  });

  it('refuses to restore while the shop is open, and with no such backup (exit 1)', async () => {
    const dir = tmp();
    const core = new Core({ dataDir: dir, demoBuyers: { enabled: false } });
    try {
      expect((await cli(['backups', 'create', '--data-dir', dir])).code).toBe(0);
      const busy = await cli(['backups', 'restore', '--newest', '--data-dir', dir]);
      expect(busy).toMatchObject({ code: 1, err: expect.stringContaining('open in Jiedai') });
      expect((await cli(['backups', 'restore', 'jiedai-20000101T000000000Z-daily.sqlite', '--data-dir', dir])).code).toBe(1);
    } finally {
      core.close();
    }
  });

  it('answers bad arguments with exit 2', async () => {
    const dir = tmp();
    for (const argv of [
      ['backups'],
      ['backups', 'restore'],
      ['backups', 'restore', '../jiedai.sqlite'],
      ['backups', 'frob'],
      ['backups', 'restore', 'x', '--newest'],
    ]) {
      expect((await cli([...argv, '--data-dir', dir])).code, argv.join(' ')).toBe(2);
    }
  });

  it('says a data folder that is a file is not a folder (exit 2), not an errno', async () => {
    const file = path.join(tmp(), 'shop.txt');
    fs.writeFileSync(file, 'x');
    const r = await cli(['stats', '--data-dir', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`jiedai: ${file} is not a folder, so it cannot hold Jiedai's data. Name a folder with --data-dir.`);
  });
});
