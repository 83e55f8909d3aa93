import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../jiedai';

const FIXTURES = path.resolve(import.meta.dirname, '../../../tests/fixtures/phrases');
const dirs: string[] = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-cli-import-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('jiedai import-phrases / export-phrases', () => {
  it('dry-runs by default, exits 1 when invalid rows would stop it, and writes nothing', async () => {
    const dir = tempDir();
    await cli(['seed-demo', '--data-dir', dir]);
    const before = JSON.parse((await cli(['stats', '--json', '--data-dir', dir])).out) as Record<string, number>;
    const r = await cli(['import-phrases', path.join(FIXTURES, 'with-errors.csv'), '--commit', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('第 7 行 · 快捷编码超过 16 个字符');
    expect(r.out).toContain('未写入任何内容');
    const after = JSON.parse((await cli(['stats', '--json', '--data-dir', dir])).out) as Record<string, number>;
    expect(after.replies).toBe(before.replies);
  });

  it('commits with --skip-invalid (exit 0), prints JSON with --json, and exports a file that imports back unchanged', async () => {
    const dir = tempDir();
    await cli(['seed-demo', '--data-dir', dir]);
    const r = await cli([
      'import-phrases',
      path.join(FIXTURES, 'with-errors.csv'),
      '--commit',
      '--skip-invalid',
      '--json',
      '--data-dir',
      dir,
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { outcome: string; counts: { new: number; invalid: number } };
    expect(report).toMatchObject({ outcome: 'committed', counts: { new: 4, invalid: 4 } });
    const file = path.join(dir, 'library.xlsx');
    expect((await cli(['export-phrases', file, '--data-dir', dir])).code).toBe(0);
    const again = await cli(['import-phrases', file, '--json', '--data-dir', dir]);
    expect(again.code).toBe(0);
    const round = JSON.parse(again.out) as { counts: { new: number; updated: number; unchanged: number } };
    expect(round.counts.new + round.counts.updated).toBe(0);
    expect(round.counts.unchanged).toBeGreaterThan(40);
  });

  it('still runs under the names scripts used before (import-replies, export-replies), unlisted in the usage', async () => {
    const dir = tempDir();
    await cli(['seed-demo', '--data-dir', dir]);
    const file = path.join(dir, 'library.csv');
    expect((await cli(['export-replies', file, '--data-dir', dir])).code).toBe(0);
    const again = await cli(['import-replies', file, '--json', '--data-dir', dir]);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.out) as { outcome: string }).outcome).toBe('dry_run');
    expect((await cli(['--help'])).out).not.toContain('replies');
  });

  it('exits 2 for bad arguments and unreadable files, with a clear message', async () => {
    const dir = tempDir();
    expect((await cli(['import-phrases', '--data-dir', dir])).code).toBe(2);
    expect((await cli(['import-phrases', path.join(FIXTURES, 'phrases.json'), '--mode', 'overwrite', '--data-dir', dir])).err).toContain(
      '--mode must be one of merge, replace',
    );
    const missing = await cli(['import-phrases', path.join(dir, 'nope.csv'), '--data-dir', dir]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read');
    const xls = path.join(dir, 'old.xls');
    fs.writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]));
    const legacy = await cli(['import-phrases', xls, '--data-dir', dir]);
    expect(legacy.code).toBe(2);
    expect(legacy.err).toContain('“另存为” .xlsx');
    expect((await cli(['export-phrases', path.join(dir, 'x.pdf'), '--data-dir', dir])).code).toBe(2);
  });

  it("acts as the account named by --as with that account's rights, not whoever last used the desk, and refuses a name it does not know", async () => {
    const dir = tempDir();
    await cli(['seed-demo', '--data-dir', dir]);
    const file = path.join(dir, 'mine.csv');
    fs.writeFileSync(file, '分组,快捷编码,快捷短语\n王姐的,wjzy,王姐自用的话\n');
    const r = await cli(['import-phrases', file, '--scope', 'personal', '--as', '主管-王姐', '--commit', '--data-dir', dir]);
    expect(r.code).toBe(0);
    // An agent may not import at the desk, so not from the CLI either: the same contract and policy.
    const agent = await cli(['import-replies', file, '--scope', 'personal', '--as', '阿杰', '--commit', '--data-dir', dir]);
    expect(agent).toMatchObject({ code: 1, err: expect.stringContaining('importing phrases is for supervisors and the shop owner') });
    const { Core } = await import('../../core/core');
    const core = new Core({ dataDir: dir, seedDemo: false, demoBuyers: { enabled: false } });
    try {
      const owners = core.store.db
        .prepare("SELECT a.nick FROM replies r JOIN agents a ON a.id = r.owner WHERE r.code = 'wjzy'")
        .pluck()
        .all();
      expect(owners).toEqual(['主管-王姐']);
    } finally {
      core.close();
    }
    const unknown = await cli(['import-phrases', file, '--scope', 'personal', '--as', '没这个人', '--data-dir', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('没这个人');
  });
});
