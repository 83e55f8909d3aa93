import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/errors';
import type { EventName } from '../../../shared/contract/events';
import type { ArgsIn, MethodName, ResultOf } from '../../../shared/contract/methods';
import { Core } from '../../core/core';

const dirs: string[] = [];
const cores: Core[] = [];

function demoCore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-library-'));
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
  return { core, call, events };
}

/** The demo desk's agent is a plain agent; the team library is the supervisor's. */
async function asSupervisor(core: Core, connection = 'test'): Promise<void> {
  const agents = (await core.call('agents.list', {}, connection)) as { ok: true; value: { id: string; role: string }[] };
  const lead = agents.value.find((a) => a.role === 'supervisor')!;
  await core.call('session.switchAgent', { agentId: lead.id }, connection);
}

afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the phrase library', () => {
  it('creates a personal group and phrase that the picker then finds by pinyin, keeping the text exactly', async () => {
    const { core, call, events } = demoCore();
    const cursor = core.store.changes.head();
    const group = await call('phraseGroups.save', { id: 'my-group', scope: 'personal', name: '测试分组' });
    const content = '亲，<b>包邮</b>哦 😀 𠮷\u200b';
    await call('phrases.save', { id: 'my-phrase', groupId: group.id, code: 'by', title: '包邮说明', content });
    const { phrases } = await call('phrases.forPicker', {});
    const saved = phrases.find((p) => p.id === 'my-phrase')!;
    expect(saved).toMatchObject({ scope: 'personal', content, code: 'by' });
    expect(saved.searchKeys).toContain('baoyou');
    // Each save poked the desks, and a pull brings the group and the phrase.
    expect(events.filter((e) => e === 'sync.poked')).toHaveLength(2);
    const page = await call('sync.pull', { cursor, limit: 100 });
    expect(page.kind === 'changes' && page.changes.map((c) => `${c.entity}:${c.id}`)).toEqual([
      'phrase_group:my-group',
      'phrase:my-phrase',
    ]);
  });

  it('refuses a code with a space, a code taken in the same library, and an empty phrase, with typed errors', async () => {
    const { core, call } = demoCore();
    await asSupervisor(core);
    const { groups, phrases } = await call('phrases.forPicker', {});
    const team = groups.find((g) => g.scope === 'team')!;
    const taken = phrases.find((p) => p.scope === 'team' && p.code !== '')!;
    expect(await core.call('phrases.save', { id: 'x1', groupId: team.id, code: 'a b', title: '', content: '内容' }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(
      await core.call('phrases.save', { id: 'x2', groupId: team.id, code: taken.code, title: '', content: '内容' }, 'test'),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await core.call('phrases.save', { id: 'x3', groupId: team.id, code: '', title: '', content: '   ' }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(
      await core.call('phrases.save', { id: 'x4', groupId: team.id, code: '', title: '', content: '字'.repeat(2001) }, 'test'),
    ).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    // the same code is fine in the personal library
    const mine = await call('phraseGroups.save', { id: 'mine', scope: 'personal', name: '个人' });
    await call('phrases.save', { id: 'x5', groupId: mine.id, code: taken.code, title: '', content: '我的版本' });
  });

  it('edits a phrase in place, keeps its use count, and moves it to the top of another group', async () => {
    const { core, call } = demoCore();
    await asSupervisor(core);
    const { groups, phrases } = await call('phrases.forPicker', {});
    const [g1, g2] = groups.filter((g) => g.scope === 'team');
    const phrase = phrases.find((p) => p.groupId === g1!.id)!;
    await call('phrases.markUsed', { phraseId: phrase.id });
    const edited = await call('phrases.save', {
      id: phrase.id,
      groupId: g1!.id,
      code: phrase.code,
      title: '改过的标题',
      content: phrase.content,
    });
    expect(edited).toMatchObject({ title: '改过的标题', useCount: phrase.useCount + 1 });
    await call('phrases.move', { id: phrase.id, groupId: g2!.id, index: 0 });
    const after = (await call('phrases.forPicker', {})).phrases.filter((p) => p.groupId === g2!.id).sort((a, b) => a.sort - b.sort);
    expect(after[0]!.id).toBe(phrase.id);
    expect(after.map((p) => p.sort)).toEqual(after.map((_, i) => i));
  });

  it('renames, reorders and deletes groups; deleting a group deletes its phrases', async () => {
    const { core, call } = demoCore();
    await asSupervisor(core);
    const { groups, phrases } = await call('phrases.forPicker', {});
    const team = groups.filter((g) => g.scope === 'team');
    const last = team[team.length - 1]!;
    await call('phraseGroups.move', { id: last.id, index: 0 });
    let now = (await call('phrases.forPicker', {})).groups.filter((g) => g.scope === 'team');
    expect(now[0]!.id).toBe(last.id);
    await call('phraseGroups.save', { id: last.id, scope: 'team', name: '售后专区' });
    now = (await call('phrases.forPicker', {})).groups.filter((g) => g.scope === 'team');
    expect(now[0]!.name).toBe('售后专区');
    const inIt = phrases.filter((p) => p.groupId === last.id).length;
    expect(inIt).toBeGreaterThan(0);
    await call('phraseGroups.delete', { id: last.id });
    const after = await call('phrases.forPicker', {});
    expect(after.groups.some((g) => g.id === last.id)).toBe(false);
    expect(after.phrases).toHaveLength(phrases.length - inIt);
  });

  it("lets an agent keep personal phrases but not change the team's, nor import", async () => {
    const { core, call } = demoCore();
    const { groups, phrases } = await call('phrases.forPicker', {});
    const team = groups.find((g) => g.scope === 'team')!;
    const teamPhrase = phrases.find((p) => p.scope === 'team')!;
    expect(
      await core.call('phrases.save', { id: 'a1', groupId: team.id, code: '', title: '', content: '我改团队的' }, 'test'),
    ).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await core.call('phrases.delete', { id: teamPhrase.id }, 'test')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await core.call('phraseGroups.save', { id: 'g-new', scope: 'team', name: '新团队组' }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(
      await core.call('phrases.importPreview', { fileName: 'x.csv', dataBase64: Buffer.from('快捷短语\n亲\n').toString('base64') }, 'test'),
    ).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const mine = await call('phraseGroups.save', { id: 'g-mine', scope: 'personal', name: '自己的' });
    await call('phrases.save', { id: 'a2', groupId: mine.id, code: 'zj', title: '', content: '我自己的话术' });
    expect((await call('phrases.forPicker', {})).phrases.some((p) => p.id === 'a2')).toBe(true);
  });
});

describe('who may write which phrase, asked of the stored row', () => {
  it('refuses an agent renaming a team group by calling it personal, and the name stays', async () => {
    const { core, call } = demoCore();
    const team = (await call('phrases.forPicker', {})).groups.find((g) => g.scope === 'team')!;
    expect(await core.call('phraseGroups.save', { id: team.id, scope: 'personal', name: '被改了' }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await core.call('phraseGroups.delete', { id: team.id }, 'test')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await core.call('phraseGroups.move', { id: team.id, index: 5 }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    const after = (await call('phrases.forPicker', {})).groups.find((g) => g.id === team.id)!;
    expect(after).toEqual(team);
  });

  it('keeps a group in its library: a supervisor naming the other scope gets a conflict', async () => {
    const { core, call } = demoCore();
    await asSupervisor(core);
    const team = (await call('phrases.forPicker', {})).groups.find((g) => g.scope === 'team')!;
    expect(await core.call('phraseGroups.save', { id: team.id, scope: 'personal', name: '挪到个人' }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect((await call('phrases.forPicker', {})).groups.find((g) => g.id === team.id)!.name).toBe(team.name);
  });

  it('answers a duplicate group name with conflict, for a new group and for a rename', async () => {
    const { core, call } = demoCore();
    await asSupervisor(core);
    const [first, second] = (await call('phrases.forPicker', {})).groups.filter((g) => g.scope === 'team');
    const duplicate = { ok: false, error: { code: 'conflict', message: expect.stringContaining(first!.name) } };
    expect(await core.call('phraseGroups.save', { id: second!.id, scope: 'team', name: first!.name }, 'test')).toMatchObject(duplicate);
    expect(await core.call('phraseGroups.save', { id: 'g-dup', scope: 'team', name: first!.name }, 'test')).toMatchObject(duplicate);
    // a call naming the wrong library never reaches the store's UNIQUE constraint as `internal`
    expect(await core.call('phraseGroups.save', { id: second!.id, scope: 'personal', name: first!.name }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    await call('phraseGroups.save', { id: 'g-mine', scope: 'personal', name: '我的' });
    expect(await core.call('phraseGroups.save', { id: 'g-mine-2', scope: 'personal', name: '我的' }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    // the same name in the other library is fine
    await call('phraseGroups.save', { id: 'g-mine-3', scope: 'personal', name: first!.name });
    // and the store itself turns the constraint into a typed conflict
    expect(() => core.store.tx(() => core.store.phrases.renameGroup(second!.id, first!.name, Date.now()))).toThrow(
      expect.objectContaining({ code: 'conflict' }),
    );
  });

  it("hides another agent's personal groups and phrases: not found for every write", async () => {
    const { core, call } = demoCore();
    await call('phraseGroups.save', { id: 'g-mei', scope: 'personal', name: '小美的' });
    await call('phrases.save', { id: 'p-mei', groupId: 'g-mei', code: 'xmdhs', title: '', content: '小美的话术' });
    const other = { ok: false, error: { code: 'not_found' } };
    const agents = (await call('agents.list', {})).filter((a) => a.role === 'agent');
    await core.call('session.switchAgent', { agentId: agents[1]!.id }, 'other');
    const as = (method: MethodName, args: unknown) => core.call(method, args, 'other');
    expect(await as('phraseGroups.save', { id: 'g-mei', scope: 'personal', name: '抢走' })).toMatchObject(other);
    expect(await as('phraseGroups.delete', { id: 'g-mei' })).toMatchObject(other);
    expect(await as('phraseGroups.move', { id: 'g-mei', index: 0 })).toMatchObject(other);
    expect(await as('phrases.save', { id: 'p-new', groupId: 'g-mei', code: '', title: '', content: '塞进去' })).toMatchObject(other);
    expect(await as('phrases.save', { id: 'p-mei', groupId: 'g-mei', code: '', title: '', content: '改掉' })).toMatchObject(other);
    expect(await as('phrases.delete', { id: 'p-mei' })).toMatchObject(other);
    expect(await as('phrases.move', { id: 'p-mei', groupId: 'g-mei', index: 0 })).toMatchObject(other);
    // and a supervisor is no exception: personal means the owner's
    await asSupervisor(core);
    expect(await core.call('phrases.delete', { id: 'p-mei' }, 'test')).toMatchObject(other);
    const { phrases } = await call('phrases.forPicker', {});
    expect(phrases.some((p) => p.id === 'p-mei')).toBe(false);
  });
});
