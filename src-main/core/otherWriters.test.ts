import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Events } from '../../shared/contract/events';
import { run } from '../cli/jiedai';
import { openStore, type Store } from '../store';
import { Core, DATA_FILE } from './core';
import { watchOtherWriters } from './otherWriters';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-writers-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function opened(file: string): Store {
  const store = openStore(file);
  cleanups.push(() => store.close());
  return store;
}

const quiet = { out: () => undefined, err: () => undefined };

describe('hearing another connection’s writes', () => {
  it('calls back after another connection commits, and not for this connection’s own commits', async () => {
    const file = path.join(tempDir(), DATA_FILE);
    const mine = opened(file);
    const other = opened(file);
    let heard = 0;
    cleanups.push(watchOtherWriters(mine, () => heard++, 20));
    const version = mine.dataVersion();
    mine.tx(() => mine.settings.set('mine', 1));
    expect(mine.dataVersion(), 'a connection’s own commit does not move its data_version').toBe(version);
    other.tx(() => other.settings.set('theirs', 1));
    expect(mine.dataVersion()).not.toBe(version);
    await expect.poll(() => heard, { message: 'the other connection’s commit is heard', timeout: 5_000 }).toBe(1);
    other.tx(() => other.settings.set('theirs', 2));
    await expect.poll(() => heard, { message: 'and the next one', timeout: 5_000 }).toBe(2);
  });

  it('pokes a running core’s desks with the new head when the CLI imports phrases beside it', async () => {
    const dir = tempDir();
    const core = new Core({ dataDir: dir, demoBuyers: { enabled: false } });
    cleanups.push(() => core.close());
    const pokes: number[] = [];
    core.on((name, payload) => {
      if (name === 'sync.poked') pokes.push((payload as Events['sync.poked']).head);
    });
    const before = core.store.changes.head();
    const csv = path.join(dir, 'new.csv');
    fs.writeFileSync(csv, '分组,快捷编码,快捷短语\n售后,clixz,亲，CLI 导入的这句话\n');
    // The CLI opens its own connection (its own core) on the same file, as `jiedai import-replies` beside a running app.
    expect(await run(['import-replies', csv, '--commit', '--data-dir', dir], quiet)).toBe(0);
    const head = core.store.changes.head();
    expect(head).toBeGreaterThan(before);
    await expect
      .poll(() => pokes.at(-1), { message: 'the running core pokes with the CLI’s head', timeout: 3_000, interval: 50 })
      .toBe(head);
  });
});
