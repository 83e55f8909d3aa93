import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './jiedai';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe('the jiedai CLI', () => {
  it('seeds the demo shop into a data folder and reports its counts as JSON', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-cli-'));
    const seed = capture();
    expect(await run(['seed-demo', '--data-dir', dir], seed.io)).toBe(0);
    const stats = capture();
    expect(await run(['stats', '--json', '--data-dir', dir], stats.io)).toBe(0);
    const counts = JSON.parse(stats.out.join('')) as Record<string, number>;
    expect(counts.customers).toBeGreaterThanOrEqual(60);
    expect(counts.orders).toBeGreaterThanOrEqual(200);
    expect(counts.replies).toBeGreaterThanOrEqual(40);
    expect(counts.conversations).toBeGreaterThanOrEqual(30);
    const again = capture();
    expect(await run(['seed-demo', '--data-dir', dir], again.io)).toBe(0);
    expect(again.out.join('')).toContain('nothing changed');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers bad arguments with a clear message and exit code 2', async () => {
    for (const argv of [[], ['frobnicate'], ['stats', '--colour'], ['stats', 'extra']]) {
      const c = capture();
      expect(await run(argv, c.io)).toBe(2);
      expect(c.err.join('')).toMatch(/jiedai: .+\n\nusage: jiedai/);
    }
  });
});
