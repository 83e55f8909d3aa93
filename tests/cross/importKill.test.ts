import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store';

const CHILD = path.resolve(import.meta.dirname, 'children/importChild.ts');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('an import killed while it commits', () => {
  it('leaves the library as it was, and the database whole', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-import-kill-'));
    dirs.push(dir);
    const dataFile = path.join(dir, 'jiedai.sqlite');
    // A library with a few phrases already.
    const before = openStore(dataFile);
    const small = path.join(dir, 'small.csv');
    fs.writeFileSync(small, '\uFEFF分组,快捷编码,快捷短语\n售前,hy,亲，在的\n售后,th,七天无理由退换\n');
    const { importReplies } = await import('../../src-main/services/replyImport');
    await importReplies(before, 'small.csv', fs.readFileSync(small), { scope: 'team', mode: 'merge', skipInvalid: false, lang: 'zh-CN', agentId: '', commit: true });
    const feedBefore = before.changes.head();
    before.close();

    // A big file whose commit takes long enough to be cut.
    const big = path.join(dir, 'big.csv');
    const rows = Array.from({ length: 40_000 }, (_, i) => `分组${i % 20},c${i},标题${i},亲，这是第${i}条话术，请按规范回复买家哦～`);
    fs.writeFileSync(big, `\uFEFF分组,快捷编码,标题,快捷短语\n${rows.join('\n')}\n`);

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataFile, big], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('writing')) setTimeout(() => child.kill('SIGKILL'), 150);
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    expect(err).toBe('');
    expect(out).toContain('writing');
    expect(out).not.toContain('committed'); // killed before the transaction ended

    const after = openStore(dataFile);
    try {
      expect(after.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(after.stats.counts().replies).toBe(2);
      expect(after.changes.head()).toBe(feedBefore);
      expect(after.replies.forPicker('').phrases.map((p) => p.code).sort()).toEqual(['hy', 'th']);
    } finally {
      after.close();
    }
  });
});
