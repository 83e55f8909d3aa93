import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Core, DATA_FILE } from '../../src-main/core/core';
import { inspectDataFile } from '../../src-main/store/fileCheck';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(import.meta.dirname, 'fixtures/openCoreTogether.ts');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-race-'));
  dirs.push(d);
  return d;
}

function opener(dataDir: string, go: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dataDir, go], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const waiting = new Promise<void>((resolve) => {
    const check = () => (out.includes('waiting') ? resolve() : setTimeout(check, 10));
    check();
  });
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, out, err })),
  );
  return { waiting, done };
}

describe('two processes started together on an empty data folder', () => {
  it('give one complete demo shop, exactly once, in a file that checks clean', { timeout: 90_000 }, async () => {
    const reference = tmp();
    const normal = new Core({ dataDir: reference, demoBuyers: { enabled: false } });
    const expected = normal.store.stats.counts();
    normal.close();

    for (let round = 0; round < 3; round++) {
      const dir = tmp();
      const go = path.join(dir, '..', `${path.basename(dir)}.go`);
      dirs.push(go);
      const a = opener(path.join(dir, 'shop'), go);
      const b = opener(path.join(dir, 'shop'), go);
      await Promise.all([a.waiting, b.waiting]);
      fs.writeFileSync(go, '');
      const results = await Promise.all([a.done, b.done]);
      for (const r of results) {
        expect(r.code, r.err).toBe(0);
        expect(JSON.parse(r.out.split('\n')[1]!)).toEqual(expected);
      }
      const after = new Core({ dataDir: path.join(dir, 'shop'), seedDemo: false, demoBuyers: { enabled: false } });
      expect(after.store.stats.counts()).toEqual(expected);
      after.close();
      expect(inspectDataFile(path.join(dir, 'shop', DATA_FILE))).toEqual({ state: 'ok' });
      expect(fs.readdirSync(path.join(dir, 'shop')).filter((n) => n.includes('.new-'))).toEqual([]);
    }
  });
});
