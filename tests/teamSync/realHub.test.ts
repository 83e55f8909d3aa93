import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../shared/domain/ids';
import { Core } from '../../src-main/core/core';
import { AGENT, hubFixture } from '../../src-main/hub/testing/hubKit';
import { addCustomerWithConversation } from '../../src-main/store/testing';
import { wsHubLink } from '../../src-main/teamSync/wsHubLink';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('a desk core against the real hub server (src-main/hub)', () => {
  it('signs in, bootstraps over /hub/ws with its session token, and its actions land on the hub as its account', async () => {
    const fixture = await hubFixture();
    cleanup.push(() => fixture.close());
    const { conversationId, customerId } = addCustomerWithConversation(fixture.core.store, '网店买家');
    const session = await fixture.login(AGENT.nick, AGENT.password);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-real-hub-desk-'));
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const desk = new Core({
      dataDir: dir,
      seedDemo: false,
      watchOtherWritersMs: false,
      log: () => undefined,
      hubLink: (config) => wsHubLink(config, { reconnectBaseMs: 20, reconnectMaxMs: 200, log: () => undefined }),
      team: { retryBaseMs: 5, retryMaxMs: 50, pollMs: 0, log: () => undefined },
    });
    cleanup.push(() => desk.close());
    const agent = { id: session.agent.id, nick: AGENT.nick, role: 'agent' as const, state: 'online' as const };
    desk.joinTeam({ hubUrl: fixture.base, token: session.token, agent });
    await expect
      .poll(() => desk.teamSync!.status(), { timeout: 15_000, message: 'the desk did not bootstrap from the hub' })
      .toMatchObject({ ready: true, online: true });
    expect(desk.store.conversations.get(conversationId)?.customerId).toBe(customerId);

    const r = await desk.call(
      'sync.push',
      {
        clientId: newId(),
        mutations: [{ mutationId: newId(), name: 'messages.send', args: { id: 'm-real-hub', conversationId, text: '您好，我是小美' } }],
      },
      'renderer',
    );
    expect(r).toMatchObject({ ok: true, value: { results: [{ status: 'applied' }] } });
    await expect
      .poll(() => fixture.core.store.messages.get('m-real-hub')?.agentId, { timeout: 15_000, message: 'the reply did not reach the hub' })
      .toBe(session.agent.id);
    await expect.poll(() => desk.teamSync!.status().pending, { timeout: 15_000 }).toBe(0);
    // The hub's copy (its time) is what the desk keeps.
    await expect
      .poll(() => desk.store.messages.get('m-real-hub')?.createdAt, { timeout: 15_000 })
      .toBe(fixture.core.store.messages.get('m-real-hub')?.createdAt);
  });
});
