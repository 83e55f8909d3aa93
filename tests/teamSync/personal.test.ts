import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { PERSONAL_OUTBOX_MAX } from '../../shared/domain/personal';
import { drain, hubAgents, inProcessHub, joinDesk, makeHub } from './team';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0).reverse()) c();
});

/**
 * On a desk of a team, an agent's drafts and snoozes (issue 15) are written in the desk core's store at
 * once and handed to the hub for that agent (their own queue, not the shop's outbox), gone from the desk
 * when it leaves the team (tests/teamSync/personalHub.test.ts: from PC to PC on the real hub). Which buyers are returning is the
 * hub's to say (it holds the history) (architecture.md, "Holds, snoozes and drafts are the agent's").
 */
describe('a team desk: its agent’s drafts and snoozes, and returning buyers', () => {
  it('answers personal.* locally, puts nothing in the shop’s outbox, and the hub keeps them for the agent', async () => {
    const hub = makeHub();
    const accounts = new Map<string, string>();
    const end = inProcessHub(() => hub.core, accounts);
    const [agent] = await hubAgents(end);
    const desk = joinDesk(end, accounts, 'p0', agent!);
    cleanup.push(() => {
      desk.core.close();
      fs.rmSync(desk.dir, { recursive: true, force: true });
      hub.core.close();
      fs.rmSync(hub.dir, { recursive: true, force: true });
    });
    expect(await drain(hub.core, [desk])).toBeNull();
    const call = async <M extends MethodName>(method: M, args: ArgsIn<M>) => {
      const r = (await desk.core.call(method, args, 'renderer-p0')) as Result<ResultOf<M>>;
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value;
    };
    const [c] = desk.core.store.conversations.list('open', new Map());
    await call('personal.saveDraft', { conversationId: c!.id, draft: '团队里的草稿' });
    await call('personal.setHold', { conversationId: c!.id, hold: { kind: 'until', until: Date.now() + 30 * 60_000 } });
    expect(desk.core.teamSync?.status().pending).toBe(0);
    expect(desk.core.store.hubOutbox.count()).toBe(0);
    expect(await drain(hub.core, [desk])).toBeNull();
    await expect.poll(() => desk.core.store.personal.outboxCount()).toBe(0);
    expect(hub.core.store.personal.syncRows(agent!.id)).toMatchObject([
      { conversationId: c!.id, draft: '团队里的草稿', hold: { kind: 'until' } },
    ]);
    expect(hub.core.store.db.prepare('SELECT DISTINCT agent_id FROM personal_conversations').pluck().all()).toEqual([agent!.id]);
    const mine = await call('personal.list', {});
    expect(mine.items).toMatchObject([{ conversationId: c!.id, draft: '团队里的草稿', state: 'snoozed' }]);
    expect(desk.core.store.db.prepare('SELECT agent_id FROM personal_conversations').pluck().all()).toEqual([agent!.id]);

    // Bounded: past PERSONAL_OUTBOX_MAX writes waiting for the hub, a new one is refused (and not applied here).
    desk.core.store.tx(() => {
      for (let i = 0; i < PERSONAL_OUTBOX_MAX; i++) desk.core.store.personal.enqueue(agent!.id, `gone-${i}`, { draft: 'x' }, 1);
    });
    const refused = await desk.core.call('personal.saveDraft', { conversationId: c!.id, draft: '放不下了' }, 'renderer-p0');
    expect(refused).toMatchObject({ ok: false, error: { code: 'limit_exceeded' } });
    expect(desk.core.store.personal.get(agent!.id, c!.id)?.draft).toBe('团队里的草稿');
    // The hub reached, the queue drains (in batches, in order) and writes are taken again.
    await call('personal.list', {});
    expect(desk.core.store.personal.outboxCount()).toBe(0);
    await call('personal.saveDraft', { conversationId: c!.id, draft: '又能存了' });

    await call('team.leave', { discardPending: true });
    // What waited went to the hub before the desk left; the desk keeps none of it.
    expect(hub.core.store.personal.get(agent!.id, c!.id)?.draft).toBe('又能存了');
    expect(desk.core.store.db.prepare('SELECT count(*) FROM personal_conversations').pluck().get()).toBe(0);
    expect(desk.core.store.personal.outboxCount()).toBe(0);
  });

  it('asks the hub which buyers are returning: the hub holds the ended conversations the desk never downloaded', async () => {
    const hub = makeHub();
    const accounts = new Map<string, string>();
    const end = inProcessHub(() => hub.core, accounts);
    const [agent] = await hubAgents(end);
    const desk = joinDesk(end, accounts, 'p1', agent!);
    cleanup.push(() => {
      desk.core.close();
      fs.rmSync(desk.dir, { recursive: true, force: true });
      hub.core.close();
      fs.rmSync(hub.dir, { recursive: true, force: true });
    });
    expect(await drain(hub.core, [desk])).toBeNull();
    const all = hub.core.store.db.prepare('SELECT id FROM customers ORDER BY id LIMIT 1000').pluck().all() as string[];
    const onHub = hub.core.store.conversations.returning(all).sort();
    expect(onHub.length).toBeGreaterThan(0);
    // The desk's own store has no ended conversations (a bootstrap takes open ones): it could not say.
    expect(desk.core.store.conversations.returning(all)).toEqual([]);
    const r = (await desk.core.call('conversations.returning', { customerIds: all }, 'renderer-p1')) as Result<string[]>;
    expect(r.ok && [...r.value].sort()).toEqual(onHub);
  });
});
