import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnWorker, type SpawnWorker } from '../../../platform/spawnWorker';
import { openStore } from '../../../store';
import { ImportError } from './errors';
import { importPhrases } from './importPhrases';
import { parseOffThread } from './parseOffThread';
import { parsePhraseFile } from './parsePhraseFile';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../tests/fixtures/phrases');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

/** The real thread starter, counting the threads it starts. */
function counting(): { spawn: SpawnWorker; started: () => number } {
  let n = 0;
  const spawn: SpawnWorker = (...args) => {
    n++;
    return spawnWorker(...args);
  };
  return { spawn, started: () => n };
}

describe('the phrase import parsed on its own thread', () => {
  it('gives what the inline parse gives, for each fixture format, from a thread per import', async () => {
    const { spawn, started } = counting();
    const parse = parseOffThread(spawn);
    for (const name of ['qianniu-style.csv', 'team-scripts.xlsx', 'phrases.json', 'with-errors.csv']) {
      const options = { scope: 'team' as const };
      const [off, inline] = await Promise.all([parse(name, fixture(name), options), parsePhraseFile(name, fixture(name), options)]);
      expect(off, name).toEqual(inline);
      expect(off.valid.length, name).toBeGreaterThan(0);
      expect(off.valid[0]!.searchKeys, name).not.toBe('');
    }
    expect(started()).toBe(4);
  });

  it('brings a file of thousands of rows back whole and in order (the rows come in slices)', async () => {
    const lines = ['分组,快捷编码,标题,快捷短语', ...Array.from({ length: 2_500 }, (_, i) => `售前,k${i},标题${i},亲，第${i}条回复`)];
    const file = Buffer.from(lines.join('\n'), 'utf8');
    const off = await parseOffThread(spawnWorker)('many.csv', file, { scope: 'team' });
    expect(off).toEqual(await parsePhraseFile('many.csv', file, { scope: 'team' }));
    expect(off.valid.map((r) => r.code)).toEqual(Array.from({ length: 2_500 }, (_, i) => `k${i}`));
  });

  it('brings a refused file back as the same ImportError, and an import through it reports it in the user’s language', async () => {
    const parse = parseOffThread(spawnWorker);
    await expect(parse('x.csv', Buffer.alloc(0), { scope: 'team' })).rejects.toMatchObject({ name: 'ImportError', code: 'empty' });
    const legacy = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]);
    const error = await parse('old.xls', legacy, { scope: 'team' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({ code: 'legacy_xls' });

    const store = openStore(':memory:');
    store.agents.insert({ id: 'sup', nick: '主管小王', role: 'supervisor', state: 'online', created_at: 0 });
    const common = { scope: 'team' as const, mode: 'merge' as const, skipInvalid: false, lang: 'zh-CN' as const, agentId: 'sup', parse };
    const refused = await importPhrases(store, 'old.xls', legacy, { ...common, commit: true });
    expect(refused).toMatchObject({ outcome: 'refused' });
    expect(refused.error).toMatch(/xls/i);
    const committed = await importPhrases(store, 'qianniu-style.csv', fixture('qianniu-style.csv'), { ...common, commit: true });
    expect(committed).toMatchObject({ outcome: 'committed', counts: { new: 36 } });
    expect(store.phrases.forPicker('sup').phrases.find((p) => p.code === 'kd')?.searchKeys).toMatch(/kd/);
    store.close();
  });

  it('ends a parse that outlives its time as an unreadable file, and the next import still runs', async () => {
    const hurried = parseOffThread(spawnWorker, { timeoutMs: 1 });
    await expect(hurried('qianniu-style.csv', fixture('qianniu-style.csv'), { scope: 'team' })).rejects.toMatchObject({
      code: 'unreadable',
    });
    const parse = parseOffThread(spawnWorker);
    await expect(parse('phrases.json', fixture('phrases.json'), { scope: 'team' })).resolves.toMatchObject({ format: 'json' });
  });

  it('runs at most its threads at once; more imports wait their turn, and past the queue’s bound one is refused', async () => {
    let live = 0;
    let most = 0;
    const spawn: SpawnWorker = (...args) => {
      live++;
      most = Math.max(most, live);
      const worker = spawnWorker(...args);
      worker.once('exit', () => live--);
      return worker;
    };
    const parse = parseOffThread(spawn, { threads: 2, queue: 3 });
    const file = fixture('phrases.json');
    const all = Array.from({ length: 2 + 3 + 1 }, () =>
      parse('phrases.json', file, { scope: 'team' }).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      ),
    );
    const outcomes = await Promise.all(all);
    expect(most).toBeLessThanOrEqual(2);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'limit_exceeded')).toHaveLength(1);
  });
});
