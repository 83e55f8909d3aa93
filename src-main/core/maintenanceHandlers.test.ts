import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listBackups } from '../store/backups';
import { Core } from './core';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function core(seedDemo = true) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-maint-'));
  const c = new Core({ dataDir: dir, seedDemo, demoBuyers: { enabled: false } });
  cleanups.push(() => {
    c.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { core: c, dir };
}

function ownerOf(c: Core): string {
  return c.store.agents.list().find((a) => a.role === 'owner')!.id;
}

describe('the owner’s shop-wide work through the contract', () => {
  it('refuses seeding and backups to an agent and a supervisor, and writes nothing', async () => {
    const { core: c, dir } = core();
    const messages = c.store.stats.counts().messages;
    for (const nick of ['小美', '主管-王姐']) {
      c.signIn(nick, c.store.agents.list().find((a) => a.nick === nick)!.id);
      for (const [method, args] of [
        ['demo.seedShop', {}],
        ['demo.seedHistory', { messages: 500 }],
        ['backups.create', {}],
      ] as const) {
        expect(await c.call(method, args, nick), `${nick} ${method}`).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      }
    }
    expect(c.store.stats.counts().messages).toBe(messages);
    expect(listBackups(dir)).toEqual([]);
  });

  it('lets the owner add history and take a backup, and the operator of a shop without accounts seed it', async () => {
    const { core: c, dir } = core();
    c.signIn('cli', ownerOf(c));
    const before = c.store.stats.counts().messages as number;
    expect(await c.call('demo.seedShop', {}, 'cli')).toEqual({ ok: true, value: { seeded: false } });
    const added = await c.call('demo.seedHistory', { messages: 500, seed: 7 }, 'cli');
    expect(added).toMatchObject({ ok: true, value: { messages: 500 } });
    expect(c.store.stats.counts().messages).toBe(before + 500);
    const backup = await c.call('backups.create', {}, 'cli');
    expect(backup).toMatchObject({ ok: true, value: { reason: 'manual' } });
    expect(listBackups(dir).map((b) => b.name)).toEqual([(backup as { value: { name: string } }).value.name]);
    // More than one call's worth is refused by the schema: the CLI loops instead.
    expect(await c.call('demo.seedHistory', { messages: 100_001 }, 'cli')).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });

    const { core: empty } = core(false);
    empty.signIn('cli', null);
    expect(await empty.call('demo.seedHistory', { messages: 10 }, 'cli')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await empty.call('demo.seedShop', {}, 'cli')).toEqual({ ok: true, value: { seeded: true } });
  });
});
