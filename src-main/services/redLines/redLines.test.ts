import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/errors';
import type { EventName } from '../../../shared/contract/events';
import type { ArgsIn, MethodName, ResultOf } from '../../../shared/contract/methods';
import { Core } from '../../core/core';

const dirs: string[] = [];
const cores: Core[] = [];

function demoCore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-redlines-'));
  dirs.push(dir);
  const core = new Core({ dataDir: dir, demoBuyers: { enabled: false } });
  cores.push(core);
  const events: EventName[] = [];
  core.on((name) => events.push(name));
  async function call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<ResultOf<M>> {
    const result = (await core.call(method, args, 'test')) as Result<ResultOf<M>>;
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
  const raw = <M extends MethodName>(method: M, args: ArgsIn<M>) => core.call(method, args, 'test');
  return { core, call, raw, events };
}

async function asRole(core: Core, role: 'supervisor' | 'owner' | 'agent'): Promise<void> {
  const agents = (await core.call('agents.list', {}, 'test')) as { ok: true; value: { id: string; role: string }[] };
  await core.call('session.switchAgent', { agentId: agents.value.find((a) => a.role === role)!.id }, 'test');
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the red-line list', () => {
  it('starts with the shipped list, readable by every agent', async () => {
    const { call } = demoCore();
    const list = await call('redLines.list', {});
    expect(list.words.find((w) => w.word === '加微信')).toEqual({
      word: '加微信',
      category: 'contact',
      caughtSent: 0,
      caughtStopped: 0,
      lastCaughtAt: null,
    });
    expect(list.words.map((w) => w.category)).toEqual(expect.arrayContaining(['contact', 'claim', 'refund']));
    expect(list.exceptions).toContain('第一时间');
  });

  it('is changed by supervisors only; a plain agent is refused', async () => {
    const { core, call, raw, events } = demoCore();
    expect(await raw('redLines.save', { words: [], exceptions: [] })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await asRole(core, 'supervisor');
    const before = (await call('sync.pull', { cursor: 0, limit: 1 })).head;
    const saved = await call('redLines.save', {
      words: [
        { word: '加微信', category: 'contact' },
        { word: ' 淘宝外 ', category: 'custom' },
        { word: 'ＱＱ', category: 'contact' },
        { word: 'qq', category: 'custom' },
      ],
      exceptions: ['淘宝外套'],
    });
    expect(saved.words.map((w) => w.word)).toEqual(['加微信', '淘宝外', 'ＱＱ']);
    expect(saved.exceptions).toEqual(['淘宝外套']);
    // The desks learn of it through the change feed alone: one row per entry changed, then a poke.
    const pulled = await call('sync.pull', { cursor: before });
    const feed = pulled.kind === 'changes' ? pulled.changes.filter((c) => c.entity === 'red_line') : [];
    expect(feed.find((c) => c.id === 'w:淘宝外')).toMatchObject({
      op: 'upsert',
      row: { kind: 'word', text: '淘宝外', category: 'custom', sort: 1 },
    });
    expect(feed.find((c) => c.id === 'x:淘宝外套')).toMatchObject({
      op: 'upsert',
      row: { kind: 'exception', text: '淘宝外套', category: null },
    });
    expect(feed.find((c) => c.id === 'w:最低价')).toMatchObject({ op: 'delete' });
    expect(feed.find((c) => c.id === 'x:第一时间')).toMatchObject({ op: 'delete' });
    expect(feed.some((c) => c.id === 'w:加微信')).toBe(false);
    expect(events).toContain('sync.poked');
  });

  it('counts catches per word and keeps the counts of words a save keeps', async () => {
    const { core, call } = demoCore();
    await call('redLines.recordCatches', { words: ['加微信', 'QQ'], outcome: 'sent' });
    await call('redLines.recordCatches', { words: ['加 微 信', '不在列表里'], outcome: 'stopped' });
    const counted = (await call('redLines.list', {})).words.find((w) => w.word === '加微信')!;
    expect([counted.caughtSent, counted.caughtStopped]).toEqual([1, 1]);
    await asRole(core, 'owner');
    const after = await call('redLines.save', { words: [{ word: '加微信', category: 'contact' }], exceptions: [] });
    expect(after.words).toMatchObject([{ word: '加微信', caughtSent: 1, caughtStopped: 1 }]);
  });

  it('imports words from CSV with a dry run first, merging and reporting rows it cannot take', async () => {
    const { core, call, raw } = demoCore();
    const file = {
      fileName: 'words.csv',
      dataBase64: b64(
        '红线词,分类\n加微信,联系方式\n包你满意,绝对化\n手工词,\n第一名额,例外\n坏分类,粗话\n' + '长'.repeat(31) + ',自定义\n',
      ),
    };
    expect(await raw('redLines.importPreview', file)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await asRole(core, 'supervisor');
    const preview = await call('redLines.importPreview', file);
    expect(preview).toMatchObject({ outcome: 'dry_run', rows: 6, added: 2, existing: 1, exceptionsAdded: 1 });
    expect(preview.problems).toEqual(
      expect.arrayContaining([
        { row: 6, rule: 'unknown_category' },
        { row: 7, rule: 'too_long' },
      ]),
    );
    expect((await call('redLines.list', {})).words.some((w) => w.word === '包你满意')).toBe(false);
    expect(await call('redLines.importCommit', file)).toMatchObject({ outcome: 'committed', added: 2 });
    const list = await call('redLines.list', {});
    expect(list.words.find((w) => w.word === '包你满意')?.category).toBe('claim');
    expect(list.words.find((w) => w.word === '手工词')?.category).toBe('custom');
    expect(list.exceptions).toContain('第一名额');
  });

  it('imports words from an Excel sheet', async () => {
    const { core, call } = demoCore();
    await asRole(core, 'supervisor');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('红线');
    ws.addRow(['词', '分类']);
    ws.addRow(['拍下改价', 'refund']);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await call('redLines.importCommit', { fileName: 'words.xlsx', dataBase64: data.toString('base64') })).toMatchObject({
      outcome: 'committed',
      added: 1,
    });
    expect((await call('redLines.list', {})).words.find((w) => w.word === '拍下改价')?.category).toBe('refund');
  });
});

describe('phrases and red lines', () => {
  it("refuses an agent's phrase holding a red-line word, naming the word", async () => {
    const { call, raw } = demoCore();
    const mine = await call('phraseGroups.save', { id: 'g-mine', scope: 'personal', name: '自己的' });
    const refused = await raw('phrases.save', { id: 'p1', groupId: mine.id, code: '', title: '', content: '亲，加 微 信发你优惠' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', details: { redLines: ['加微信'] } } });
    expect(
      await raw('phrases.save', { id: 'p1', groupId: mine.id, code: '', title: '', content: '亲，加微信发你优惠', confirmRedLines: true }),
    ).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await raw('phrases.save', { id: 'p1', groupId: mine.id, code: '', title: '', content: '亲，我们第一时间发货' })).toMatchObject({
      ok: true,
    });
  });

  it('lets a supervisor save it knowingly, and the check follows an edited list', async () => {
    const { core, call, raw } = demoCore();
    await asRole(core, 'supervisor');
    const team = (await call('phrases.forPicker', {})).groups.find((g) => g.scope === 'team')!;
    const args = { id: 'p2', groupId: team.id, code: '', title: '', content: '本店销量第一' };
    expect(await raw('phrases.save', args)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await raw('phrases.save', { ...args, confirmRedLines: true })).toMatchObject({ ok: true });
    await call('redLines.save', { words: [{ word: '包邮', category: 'custom' }], exceptions: [] });
    expect(await raw('phrases.save', { ...args, id: 'p3', content: '全场包邮' })).toMatchObject({
      ok: false,
      error: { details: { redLines: ['包邮'] } },
    });
  });
});
