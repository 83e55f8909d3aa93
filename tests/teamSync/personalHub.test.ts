import { afterEach, describe, expect, it } from 'vitest';
import type { PersonalList } from '../../shared/contract/personal';
import type { Core } from '../../src-main/core/core';
import { addCustomerWithConversation } from '../../src-main/store/testing';
import { deskCoreKit, status, value } from './deskCore';
import { AGENT, realHub, type RealHub } from './realHubServer';

/**
 * An agent's holds, snoozes and drafts follow the agent from PC to PC of a team (issue 15): the hub
 * keeps them for that agent alone, a desk writes locally at once and hands its writes over when it
 * can, and per conversation and content the newest write by the time it was made wins, whatever
 * order the desks reach the hub in (architecture.md, "Holds, snoozes and drafts are the agent's").
 * Against the real hub server (SQLite, or PostgreSQL with JIEDAI_TEST_HUB_BACKEND=postgres).
 */

const kit = deskCoreKit('personal-hub');
const { cleanup, tempDir, openDesk } = kit;
afterEach(() => kit.cleanUp());

const R = 'renderer';
const AGENT2 = { id: 'agent2', nick: '小丽', password: 'agent-pass-2' };
const SUPERVISOR = { id: 'lead1', nick: '组长', password: 'lead-pass-12' };

/** A desk joined to the hub as this account, its shop downloaded. */
async function joined(hub: RealHub, account: { nick: string; password: string }, dir = tempDir('desk')) {
  const desk = openDesk(dir);
  await value(desk.call('team.connect', { hubUrl: hub.base, account: account.nick, password: account.password }, R));
  await expect
    .poll(() => status(desk), { timeout: 15_000, message: 'the desk did not download the shop from the hub' })
    .toMatchObject({ link: 'online', bootstrap: { ready: true, loading: false }, pending: 0 });
  return { desk, dir };
}

const list = (desk: Core) => value<PersonalList>(desk.call('personal.list', {}, R));
/** What the hub keeps for an agent (its own store: the truth the desks converge on). */
const onHub = (hub: RealHub, agentId: string) =>
  hub
    .core()
    .store.personal.syncRows(agentId)
    .filter((r) => r.hold !== null || r.draft !== '');
const sent = (desk: Core) =>
  expect.poll(() => desk.store.personal.outboxCount(), { timeout: 15_000, message: 'personal writes still wait' }).toBe(0);

async function shop() {
  const hub = await realHub();
  cleanup.push(() => hub.close());
  const a = addCustomerWithConversation(hub.core().store, '草稿买家');
  const b = addCustomerWithConversation(hub.core().store, '稍后买家');
  for (const account of [
    { ...AGENT2, role: 'agent' },
    { ...SUPERVISOR, role: 'supervisor' },
  ]) {
    const created = await hub.asOwner('accounts.create', account);
    if (!created.ok) throw new Error(JSON.stringify(created));
  }
  return { hub, c1: a.conversationId, c2: b.conversationId };
}

describe('an agent’s holds and drafts on the team hub', () => {
  it('follow the agent to another PC; another agent, a supervisor and the owner see none of them', async () => {
    const { hub, c1, c2 } = await shop();
    const { desk: desk1 } = await joined(hub, AGENT);
    const until = Date.now() + 30 * 60_000;
    await value(desk1.call('personal.saveDraft', { conversationId: c1, draft: '白色明天补货，给您留一件' }, R));
    await value(desk1.call('personal.setHold', { conversationId: c2, hold: { kind: 'until', until } }, R));
    await sent(desk1);
    expect(
      onHub(hub, AGENT.id)
        .map((r) => [r.conversationId, r.draft, r.hold?.kind ?? null])
        .sort(),
    ).toEqual(
      [
        [c1, '白色明天补货，给您留一件', null],
        [c2, '', 'until'],
      ].sort(),
    );

    // 小美 signs in on a second PC: her draft and her snooze are there.
    const { desk: desk2 } = await joined(hub, AGENT);
    const there = await list(desk2);
    expect(there.items.find((i) => i.conversationId === c1)).toMatchObject({ draft: '白色明天补货，给您留一件', hold: null });
    expect(there.items.find((i) => i.conversationId === c2)).toMatchObject({ state: 'snoozed', hold: { kind: 'until', until }, draft: '' });

    // 小丽 on a third PC of the same hub: nothing of 小美's, and her own draft in the same conversation stays hers.
    const { desk: desk3 } = await joined(hub, AGENT2);
    expect((await list(desk3)).items).toEqual([]);
    await value(desk3.call('personal.saveDraft', { conversationId: c1, draft: '小丽自己的草稿' }, R));
    await sent(desk3);
    expect((await list(desk3)).items).toMatchObject([{ conversationId: c1, draft: '小丽自己的草稿' }]);
    expect((await list(desk2)).items.find((i) => i.conversationId === c1)?.draft).toBe('白色明天补货，给您留一件');
    // A desk's renderer cannot speak for the hub's queue, and the call names no agent: the session's is the only one.
    expect(await desk3.call('personal.sync', { writes: [] }, R)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await desk3.call('personal.list', { agentId: AGENT.id } as never, R)).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });

    // The owner and a supervisor, asking the hub itself, get their own (empty) rows only.
    const owner = await hub.asOwner('personal.sync', { writes: [], rows: true });
    expect(owner).toMatchObject({ ok: true, value: { rows: [] } });
    expect(await hub.asOwner('personal.list', {})).toMatchObject({ ok: true, value: { items: [] } });
    const { desk: lead } = await joined(hub, SUPERVISOR);
    expect((await list(lead)).items).toEqual([]);
    expect(onHub(hub, SUPERVISOR.id)).toEqual([]);
  });

  it('offline writes go out at reconnect; an older write reaching the hub later never beats a newer one from another PC', async () => {
    const { hub, c1, c2 } = await shop();
    const { desk: desk1, dir: dir1 } = await joined(hub, AGENT);
    const { desk: desk2 } = await joined(hub, AGENT);
    await value(desk1.call('personal.saveDraft', { conversationId: c1, draft: '第一版' }, R));
    await sent(desk1);

    await hub.stop();
    await expect.poll(async () => (await status(desk1)).link, { timeout: 10_000 }).toBe('offline');
    await expect.poll(async () => (await status(desk2)).link, { timeout: 10_000 }).toBe('offline');
    // PC 1, offline: edits the draft and holds another conversation (kept at once, listed from its own store).
    await value(desk1.call('personal.saveDraft', { conversationId: c1, draft: '离线改的旧版' }, R));
    await value(desk1.call('personal.setHold', { conversationId: c2, hold: { kind: 'held' } }, R));
    expect((await list(desk1)).items.find((i) => i.conversationId === c1)?.draft).toBe('离线改的旧版');
    expect(desk1.store.personal.outboxCount()).toBe(2);
    // The app on PC 1 is closed with those writes still waiting.
    desk1.close();
    await new Promise((r) => setTimeout(r, 5));
    // PC 2, later: the agent types a newer draft of the same conversation.
    await value(desk2.call('personal.saveDraft', { conversationId: c1, draft: '二号电脑上的新版' }, R));

    await hub.start();
    await sent(desk2);
    expect(onHub(hub, AGENT.id).find((r) => r.conversationId === c1)?.draft).toBe('二号电脑上的新版');

    // PC 1 opens again: its waiting writes go out once the link is up; its older draft loses, its hold is taken.
    const again = openDesk(dir1);
    expect(again.store.personal.outboxCount()).toBe(2);
    await expect.poll(async () => (await status(again)).link, { timeout: 15_000 }).toBe('online');
    await sent(again);
    const rows = onHub(hub, AGENT.id);
    expect(rows.find((r) => r.conversationId === c1)?.draft).toBe('二号电脑上的新版');
    expect(rows.find((r) => r.conversationId === c2)?.hold?.kind).toBe('held');
    // Both PCs now list the same: the newer draft, and PC 1's hold.
    for (const desk of [again, desk2]) {
      const items = (await list(desk)).items;
      expect(items.find((i) => i.conversationId === c1)?.draft).toBe('二号电脑上的新版');
      expect(items.find((i) => i.conversationId === c2)).toMatchObject({ state: 'held' });
    }

    // A draft cleared on one PC stays cleared: the older write of the other cannot bring it back.
    await value(desk2.call('personal.saveDraft', { conversationId: c1, draft: '' }, R));
    await sent(desk2);
    expect(onHub(hub, AGENT.id).find((r) => r.conversationId === c1)).toBeUndefined();
    // (a write PC 1 made long before, still queued there, reaches the hub now)
    again.store.personal.enqueue(AGENT.id, c1, { draft: '很久以前的草稿' }, Date.now() - 60 * 60_000);
    expect((await list(again)).items.find((i) => i.conversationId === c1)).toBeUndefined();
    expect(again.store.personal.outboxCount()).toBe(0);
    expect(onHub(hub, AGENT.id).find((r) => r.conversationId === c1)).toBeUndefined();
  });
});
