import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import type { Agent } from '../../shared/domain/types';
import { CoreClient } from '../../src-main/core/coreClient';

/**
 * Two desks open at once on one core (in its worker thread, as under the shells): each window or
 * socket is its own connection, so switching the account in one never changes who the other is.
 */
let dir: string;
let core: CoreClient;
let agents: Agent[];

async function on<M extends MethodName>(connection: string, method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>> {
  return (await core.call(method, args, connection)) as Result<ResultOf<M>>;
}

async function value<M extends MethodName>(connection: string, method: M, args: ArgsIn<M>): Promise<ResultOf<M>> {
  const result = await on(connection, method, args);
  if (!result.ok) throw new Error(`${method} on ${connection}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const nick = (nickname: string) => agents.find((a) => a.nick === nickname)!;
const csv = Buffer.from('分组,快捷编码,快捷短语\n售后,shdz,亲，售后地址已发您\n').toString('base64');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-two-desks-'));
  core = await CoreClient.start({ dataDir: dir, demoBuyers: { enabled: false } });
  agents = await value('desk-a', 'agents.list', {});
});

afterAll(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('two desks as two agents on one core', () => {
  it('starts both as the agent who last signed in here, and a switch on one leaves the other as it was', async () => {
    expect((await value('desk-a', 'app.info', {})).agent.nick).toBe('小美');
    expect((await value('desk-b', 'app.info', {})).agent.nick).toBe('小美');
    const switched = await value('desk-a', 'session.switchAgent', { agentId: nick('主管-王姐').id });
    expect(switched.agent.nick).toBe('主管-王姐');
    expect((await value('desk-a', 'app.info', {})).agent.nick).toBe('主管-王姐');
    expect((await value('desk-b', 'app.info', {})).agent.nick).toBe('小美');
  });

  it("writes each desk's reply and memo under its own agent", async () => {
    const [conversation] = await value('desk-b', 'conversations.list', { status: 'open' });
    const fromB = await value('desk-b', 'messages.send', { id: 'reply-from-b', conversationId: conversation!.id, text: '亲，小美在的' });
    const fromA = await value('desk-a', 'messages.send', { id: 'reply-from-a', conversationId: conversation!.id, text: '亲，主管来了' });
    expect(fromB.agentId).toBe(nick('小美').id);
    expect(fromA.agentId).toBe(nick('主管-王姐').id);

    const [order] = await value('desk-b', 'orders.listByCustomer', { customerId: conversation!.customerId });
    await value('desk-b', 'orders.setNotes', { orderIds: [order!.id], memo: '小美：顺丰' });
    await value('desk-a', 'orders.setNotes', { orderIds: [order!.id], memo: '主管：改京东' });
    const history = await value('desk-b', 'orders.memoHistory', { orderId: order!.id });
    expect(history.slice(0, 2).map((h) => h.authorNick)).toEqual(['主管-王姐', '小美']);
  });

  it("lets the supervisor's desk import team phrases and export logs, and refuses the agent's", async () => {
    const importArgs = { fileName: 'team.csv', dataBase64: csv, scope: 'team' as const };
    expect(await on('desk-b', 'phrases.importCommit', importArgs)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await on('desk-b', 'logExport.list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await on('desk-a', 'phrases.importCommit', importArgs)).toMatchObject({
      ok: true,
      value: { outcome: 'committed', counts: { new: 1 } },
    });
    expect((await on('desk-a', 'logExport.list', {})).ok).toBe(true);
    // the imported team phrase reaches both desks
    for (const desk of ['desk-a', 'desk-b']) {
      expect((await value(desk, 'phrases.forPicker', {})).phrases.some((p) => p.code === 'shdz')).toBe(true);
    }
  });

  it('shows each desk its own personal phrases only', async () => {
    await value('desk-a', 'phraseGroups.save', { id: 'g-wang', scope: 'personal', name: '王姐的' });
    await value('desk-a', 'phrases.save', { id: 'p-wang', groupId: 'g-wang', code: 'wj', title: '', content: '王姐的私房话' });
    await value('desk-b', 'phraseGroups.save', { id: 'g-mei', scope: 'personal', name: '小美的' });
    await value('desk-b', 'phrases.save', { id: 'p-mei', groupId: 'g-mei', code: 'xm', title: '', content: '小美的私房话' });
    const personal = async (desk: string) =>
      (await value(desk, 'phrases.forPicker', {})).phrases.filter((p) => p.scope === 'personal').map((p) => p.id);
    expect(await personal('desk-a')).toContain('p-wang');
    expect(await personal('desk-a')).not.toContain('p-mei');
    expect(await personal('desk-b')).toContain('p-mei');
    expect(await personal('desk-b')).not.toContain('p-wang');
    // and the agent's desk cannot write the supervisor's group by naming it
    expect(await on('desk-b', 'phrases.save', { id: 'p-sneak', groupId: 'g-wang', code: '', title: '', content: '塞进去' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it("forgets a desk's session when it disconnects: the same name starts again as the default agent", async () => {
    // desk-b signs in as 阿杰: the PC's default for new desks becomes 阿杰; desk-a is still the supervisor
    await value('desk-b', 'session.switchAgent', { agentId: nick('阿杰').id });
    expect((await value('desk-a', 'app.info', {})).agent.nick).toBe('主管-王姐');
    core.disconnect('desk-a');
    expect((await value('desk-a', 'app.info', {})).agent.nick).toBe('阿杰');
    expect((await value('desk-c', 'app.info', {})).agent.nick).toBe('阿杰');
  });
});
