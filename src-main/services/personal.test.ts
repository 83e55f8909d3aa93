import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { PERSONAL_MAX_ROWS } from '../../shared/domain/personal';
import { Core } from '../core/core';
import { addCustomerWithConversation } from '../store/testing';

const dirs: string[] = [];
const cores: Core[] = [];

afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** The demo shop with a clock the test moves (the one snoozes fall due by) and two agents at two desks. */
async function shop() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-personal-'));
  dirs.push(dir);
  let t = Date.now();
  const core = new Core({ dataDir: dir, demoBuyers: { enabled: false }, log: () => undefined, automation: { now: () => t, timer: false } });
  cores.push(core);
  const call = async <M extends MethodName>(connection: string, method: M, args: ArgsIn<M>) =>
    (await core.call(method, args, connection)) as Result<ResultOf<M>>;
  const ok = async <M extends MethodName>(connection: string, method: M, args: ArgsIn<M>): Promise<ResultOf<M>> => {
    const r = await call(connection, method, args);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const id = (nick: string) => core.store.agents.list().find((a) => a.nick === nick)!.id;
  await ok('a', 'session.switchAgent', { agentId: id('小美') });
  await ok('b', 'session.switchAgent', { agentId: id('阿杰') });
  const open = core.store.conversations.list('open', new Map()).map((c) => c);
  return {
    core,
    call,
    ok,
    open,
    advance: (ms: number) => (t += ms),
    now: () => t,
  };
}

describe('an agent’s holds, snoozes and drafts in the core (issue 15)', () => {
  it('keeps each agent’s drafts and holds to that agent, by the connection, never in the shop’s feed', async () => {
    const s = await shop();
    const [c1, c2] = s.open;
    const head = s.core.store.changes.head();
    await s.ok('a', 'personal.saveDraft', { conversationId: c1!.id, draft: '亲，白色明天补货' });
    await s.ok('a', 'personal.setHold', { conversationId: c2!.id, hold: { kind: 'held' } });
    await s.ok('b', 'personal.saveDraft', { conversationId: c1!.id, draft: '阿杰的草稿' });

    const mine = await s.ok('a', 'personal.list', {});
    expect(mine.items.map((i) => [i.conversationId, i.draft, i.state])).toEqual(
      [
        [c1!.id, '亲，白色明天补货', null],
        [c2!.id, '', 'held'],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect((await s.ok('b', 'personal.list', {})).items).toMatchObject([{ conversationId: c1!.id, draft: '阿杰的草稿', hold: null }]);
    // Nothing of it is shop data: no feed row, so no replica and no hub ever receives it.
    expect(s.core.store.changes.head()).toBe(head);

    // An agent id in the arguments is refused outright (strict schemas): identity is the connection's.
    expect(await s.call('a', 'personal.list', { agentId: 'x' } as never)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    // Clearing the draft and the hold leaves no content behind (the rows stay empty, with when they were cleared: migration 0021).
    await s.ok('a', 'personal.saveDraft', { conversationId: c1!.id, draft: '' });
    await s.ok('a', 'personal.setHold', { conversationId: c2!.id, hold: null });
    expect((await s.ok('a', 'personal.list', {})).items).toEqual([]);
    expect(s.core.store.db.prepare(`SELECT count(*) FROM personal_conversations WHERE hold IS NOT NULL OR draft <> ''`).pluck().get()).toBe(
      1,
    );
  });

  it('a timed snooze is snoozed until the core’s clock reaches it, then due; one in the past or far ahead is refused', async () => {
    const s = await shop();
    const c = s.open[0]!;
    const until = s.now() + 30 * 60_000;
    expect(await s.ok('a', 'personal.setHold', { conversationId: c.id, hold: { kind: 'until', until } })).toMatchObject({
      state: 'snoozed',
      dueAt: until,
      hold: { kind: 'until', until, since: s.now() },
    });
    s.advance(29 * 60_000);
    expect((await s.ok('a', 'personal.list', {})).items[0]).toMatchObject({ state: 'snoozed' });
    s.advance(60_000);
    const after = await s.ok('a', 'personal.list', {});
    expect(after.now).toBe(s.now());
    expect(after.items[0]).toMatchObject({ state: 'due', dueAt: until });
    expect(await s.call('a', 'personal.setHold', { conversationId: c.id, hold: { kind: 'until', until: s.now() - 1 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(
      await s.call('a', 'personal.setHold', { conversationId: c.id, hold: { kind: 'until', until: s.now() + 400 * 86_400_000 } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('"until the buyer writes" ends with the buyer’s next message, not with one from before', async () => {
    const s = await shop();
    const c = s.open[0]!;
    await s.ok('a', 'personal.setHold', { conversationId: c.id, hold: { kind: 'buyer' } });
    s.advance(1000);
    expect((await s.ok('a', 'personal.list', {})).items[0]).toMatchObject({ state: 'snoozed', dueAt: null });
    const m = s.core.conversations.receive({ customerId: c.customerId, text: '还在吗', at: s.now() });
    expect(m.conversationId).toBe(c.id);
    expect((await s.ok('a', 'personal.list', {})).items[0]).toMatchObject({ state: 'due', dueAt: s.now() });
  });

  it('refuses conversations that are not open, hides rows of ended ones, and bounds drafts and rows', async () => {
    const s = await shop();
    const [c1, c2] = s.open;
    expect(await s.call('a', 'personal.saveDraft', { conversationId: 'nope', draft: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await s.call('a', 'personal.saveDraft', { conversationId: c1!.id, draft: 'x'.repeat(4001) })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    await s.ok('a', 'personal.saveDraft', { conversationId: c1!.id, draft: '草稿' });
    await s.ok('a', 'conversations.end', { conversationId: c1!.id });
    expect((await s.ok('a', 'personal.list', {})).items).toEqual([]);
    expect(await s.call('a', 'personal.setHold', { conversationId: c1!.id, hold: { kind: 'held' } })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    // At the limit, rows of conversations no longer open make room; only then is a new one refused.
    const store = s.core.store;
    store.tx(() => {
      for (let i = 0; i < PERSONAL_MAX_ROWS - 1; i++) {
        const { conversationId } = addCustomerWithConversation(store, `买家${i}`);
        store.personal.setDraft(s.core.store.agents.list().find((a) => a.nick === '小美')!.id, conversationId, 'd', 1);
      }
    });
    expect(await s.call('a', 'personal.saveDraft', { conversationId: c2!.id, draft: '新的' })).toMatchObject({ ok: true });
    const { conversationId: extra } = addCustomerWithConversation(store, '再一个');
    expect(await s.call('a', 'personal.saveDraft', { conversationId: extra, draft: '放不下' })).toMatchObject({
      ok: false,
      error: { code: 'limit_exceeded' },
    });
    // Agent B is not limited by A's rows.
    expect(await s.call('b', 'personal.saveDraft', { conversationId: extra, draft: '阿杰的' })).toMatchObject({ ok: true });
  });

  it('takes this browser’s old drafts and holds once, without overwriting what the core has', async () => {
    const s = await shop();
    const [c1, c2, c3] = s.open;
    await s.ok('a', 'personal.saveDraft', { conversationId: c1!.id, draft: '核心里的' });
    const r = await s.ok('a', 'personal.importLocal', {
      drafts: [
        { conversationId: c1!.id, draft: '浏览器里的' },
        { conversationId: c2!.id, draft: '旧草稿' },
        { conversationId: 'gone', draft: '已不在' },
      ],
      held: [c3!.id],
    });
    expect(r.imported).toBe(2);
    const items = new Map((await s.ok('a', 'personal.list', {})).items.map((i) => [i.conversationId, i]));
    expect(items.get(c1!.id)?.draft).toBe('核心里的');
    expect(items.get(c2!.id)?.draft).toBe('旧草稿');
    expect(items.get(c3!.id)?.state).toBe('held');
    expect((await s.ok('b', 'personal.list', {})).items).toEqual([]);
  });

  it('personal.sync (what a hub answers a desk): the newest write by its time wins, a time ahead of the clock is the clock’s, only the caller’s rows', async () => {
    const s = await shop();
    const [c1, c2, c3] = s.open;
    const t = s.now();
    const sync = (connection: string, writes: ArgsIn<'personal.sync'>['writes'], rows = true) =>
      s.ok(connection, 'personal.sync', { writes, rows });
    expect((await sync('a', [{ conversationId: c1!.id, at: t - 10, draft: '新' }])).rows).toMatchObject([
      { conversationId: c1!.id, draft: '新', draftAt: t - 10 },
    ]);
    // An older write of the draft (another PC, offline) changes nothing; a hold is another content and is taken.
    const after = await sync('a', [
      { conversationId: c1!.id, at: t - 20, draft: '旧' },
      { conversationId: c1!.id, at: t - 15, hold: { kind: 'buyer' } },
    ]);
    expect(after.rows).toMatchObject([{ conversationId: c1!.id, draft: '新', hold: { kind: 'buyer', since: t - 15 } }]);
    // A time far ahead of the clock counts as the clock's (plus the skew): it cannot win for ever.
    await sync('a', [{ conversationId: c2!.id, at: t + 86_400_000, draft: '来自未来' }]);
    expect(
      s.core.store.personal.syncRows(s.core.store.agents.list().find((a) => a.nick === '小美')!.id).find((r) => r.conversationId === c2!.id)
        ?.draftAt,
    ).toBe(t + 60_000);
    s.advance(61_000);
    await sync('a', [{ conversationId: c2!.id, at: s.now(), draft: '现在的' }]);
    expect((await s.ok('a', 'personal.list', {})).items.find((i) => i.conversationId === c2!.id)?.draft).toBe('现在的');
    // The agent's own write here is the newest even when a PC with a clock ahead wrote last (within the skew).
    await sync('a', [{ conversationId: c3!.id, at: s.now() + 30_000, draft: '快钟的电脑' }]);
    await s.ok('a', 'personal.saveDraft', { conversationId: c3!.id, draft: '此刻的' });
    expect((await s.ok('a', 'personal.list', {})).items.find((i) => i.conversationId === c3!.id)?.draft).toBe('此刻的');
    await s.ok('a', 'personal.saveDraft', { conversationId: c3!.id, draft: '' });
    // A write the core cannot keep (no such open conversation) is dropped, the rest taken.
    await sync('a', [
      { conversationId: 'gone', at: s.now(), draft: 'x' },
      { conversationId: c3!.id, at: s.now(), hold: { kind: 'held' } },
    ]);
    expect((await s.ok('a', 'personal.list', {})).items.map((i) => i.conversationId).sort()).toEqual([c1!.id, c2!.id, c3!.id].sort());
    // Another agent reads and writes only their own; no rows unless asked; no agent id can be named.
    expect((await sync('b', [])).rows).toEqual([]);
    await sync('b', [{ conversationId: c1!.id, at: s.now() + 1, draft: '阿杰的' }]);
    expect((await s.ok('a', 'personal.list', {})).items.find((i) => i.conversationId === c1!.id)?.draft).toBe('新');
    expect((await sync('a', [], false)).rows).toEqual([]);
    expect(await s.call('a', 'personal.sync', { writes: [], agentId: 'x' } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(
      await s.call('a', 'personal.sync', { writes: Array.from({ length: 101 }, () => ({ conversationId: c1!.id, at: 1, draft: 'x' })) }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });
});
