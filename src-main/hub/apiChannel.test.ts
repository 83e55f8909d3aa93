import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../core/core';
import { startHub } from './hubServer';
import type { CreatedApiToken, WebhookEndpoint } from '../../shared/contract/channels';
import { AGENT, desk, hubFixture } from './testing/hubKit';
import { startReceiver } from './testing/receiver';
import { signatureHeader, verifySignature } from './webhookSignature';
import { hubTestFolder } from '../store/pg/testing';

type Fixture = Awaited<ReturnType<typeof hubFixture>>;
let fixture: Fixture | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await fixture?.close();
  fixture = undefined;
});

/** Short waits between webhook tries, so a test sees ten tries in well under a second. */
const FAST = { core: { now: Date.now, webhooks: { retryMs: [20, 20, 20, 20, 20, 20, 20, 20, 20] } } };

async function token(f: Fixture, scope: 'inbound' | 'full' = 'inbound'): Promise<string> {
  const made = await f.ownerDesk.call('apiTokens.create', { name: '公众号桥', scope });
  if (!made.ok) throw new Error(JSON.stringify(made));
  return (made.value as CreatedApiToken).token;
}

const inbound = (f: Fixture, bearer: string, body: unknown, headers: Record<string, string> = {}) =>
  f.post('/api/v1/messages', body, { authorization: `Bearer ${bearer}`, ...headers });

const buyer = { externalId: 'oWx-1001', nick: '微信买家', source: 'wechat' };

describe('API tokens (owner only)', () => {
  it('shows a new token once, lists it without its secret, records its use, and refuses it once revoked', async () => {
    fixture = await hubFixture();
    const made = await fixture.ownerDesk.call('apiTokens.create', { name: '短信网关', scope: 'inbound' });
    expect(made).toMatchObject({
      ok: true,
      value: { name: '短信网关', scope: 'inbound', lastUsedAt: null, token: expect.stringMatching(/^jdk_/) },
    });
    const created = (made as { value: CreatedApiToken }).value;
    const listed = await fixture.ownerDesk.call('apiTokens.list', {});
    expect(JSON.stringify(listed)).not.toContain(created.token);

    const first = await inbound(fixture, created.token, { buyer, text: '在吗' }, { 'idempotency-key': 'k-1' });
    expect(first.status).toBe(201);
    const afterUse = (await fixture.ownerDesk.call('apiTokens.list', {})) as { value: { lastUsedAt: number | null }[] };
    expect(afterUse.value[0]!.lastUsedAt).not.toBeNull();

    expect(await fixture.ownerDesk.call('apiTokens.revoke', { tokenId: created.id })).toMatchObject({
      ok: true,
      value: { revokedAt: expect.any(Number) },
    });
    const refused = await inbound(fixture, created.token, { buyer, text: '还在吗' }, { 'idempotency-key': 'k-2' });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('is the owner’s: an agent may not make, list or revoke tokens, nor keep webhooks or the widget', async () => {
    fixture = await hubFixture();
    const agent = await desk(fixture.hub, (await fixture.login(AGENT.nick, AGENT.password)).token);
    for (const [method, args] of [
      ['apiTokens.create', { name: 'x', scope: 'full' }],
      ['apiTokens.list', {}],
      ['webhooks.add', { id: 'e1', url: 'http://127.0.0.1:9/x', events: ['message.created'] }],
      ['webhooks.deadLetters', {}],
      ['widget.save', { enabled: true, welcomeText: '', offlineText: '', hours: null, publicUrl: '', allowedOrigins: [] }],
    ] as const) {
      expect(await agent.call(method, args), method).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    agent.ws.close();
  });
});

describe('POST /api/v1/messages', () => {
  it('stores a message once for ten posts under one idempotency key, and answers all ten alike', async () => {
    fixture = await hubFixture();
    const bearer = await token(fixture);
    const body = { buyer, text: '这件有 XL 吗？' };
    // Ten at once and then one more after: the same key is one message, every answer the same.
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => inbound(fixture!, bearer, body, { 'idempotency-key': 'wx-msg-42' })),
    );
    const again = await inbound(fixture, bearer, { ...body, idempotencyKey: 'wx-msg-42' });
    const all = [...answers, again];
    expect(all.map((a) => a.status)).toEqual(Array(11).fill(201));
    expect(new Set(all.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(all.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(10);
    const { messageId, conversationId, buyerId } = all[0]!.body as { messageId: string; conversationId: string; buyerId: string };
    expect(fixture.core.store.messages.page(conversationId, 50).messages.map((m) => [m.id, m.sender, m.text])).toEqual([
      [messageId, 'buyer', '这件有 XL 吗？'],
    ]);
    expect(fixture.core.store.customers.get(buyerId)).toMatchObject({ nick: '微信买家' });

    // A second key is a second message in the same open conversation, from the same buyer.
    const next = await inbound(fixture, bearer, { buyer, text: '急' }, { 'idempotency-key': 'wx-msg-43' });
    expect(next.body).toMatchObject({ conversationId, buyerId });
    // The same key for another message is refused, not silently merged.
    const reused = await inbound(fixture, bearer, { buyer, text: '不同的内容' }, { 'idempotency-key': 'wx-msg-42' });
    expect(reused.status).toBe(409);
    expect(fixture.core.store.messages.page(conversationId, 50).messages).toHaveLength(2);
  });

  it('tells buyers of different sources apart, and gives a taken nick a suffix', async () => {
    fixture = await hubFixture();
    const bearer = await token(fixture);
    const a = await inbound(
      fixture,
      bearer,
      { buyer: { externalId: '1', nick: '小王', source: 'wechat' }, text: 'a' },
      { 'idempotency-key': 'a' },
    );
    const b = await inbound(
      fixture,
      bearer,
      { buyer: { externalId: '1', nick: '小王', source: 'sms' }, text: 'b' },
      { 'idempotency-key': 'b' },
    );
    const ids = [a, b].map((r) => (r.body as { buyerId: string }).buyerId);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids.map((id) => fixture!.core.store.customers.get(id)?.nick)).toEqual(['小王', '小王·2']);
  });

  it('refuses what is not a well-formed request, each with a 4xx and a typed body', async () => {
    fixture = await hubFixture();
    const bearer = await token(fixture);
    const cases: [string, unknown, Record<string, string>, number][] = [
      ['no token', { buyer, text: 'x' }, { authorization: '', 'idempotency-key': 'k' }, 401],
      ['an unknown token', { buyer, text: 'x' }, { authorization: 'Bearer jdk_forged', 'idempotency-key': 'k' }, 401],
      [
        'a session token is not an API token',
        { buyer, text: 'x' },
        { authorization: `Bearer ${fixture.owner.token}`, 'idempotency-key': 'k' },
        401,
      ],
      ['no idempotency key', { buyer, text: 'x' }, {}, 400],
      ['header and field disagree', { buyer, text: 'x', idempotencyKey: 'a' }, { 'idempotency-key': 'b' }, 400],
      ['an extra field', { buyer, text: 'x', agentId: 'agent1' }, { 'idempotency-key': 'k' }, 400],
      ['an extra buyer field', { buyer: { ...buyer, role: 'owner' }, text: 'x' }, { 'idempotency-key': 'k' }, 400],
      ['empty text', { buyer, text: '   ' }, { 'idempotency-key': 'k' }, 400],
      ['a bad source label', { buyer: { ...buyer, source: 'We Chat!' }, text: 'x' }, { 'idempotency-key': 'k' }, 400],
      [
        'a control character in the external id',
        { buyer: { ...buyer, externalId: 'a\u0000b' }, text: 'x' },
        { 'idempotency-key': 'k' },
        400,
      ],
      ['a nick of 33 characters', { buyer: { ...buyer, nick: '名'.repeat(33) }, text: 'x' }, { 'idempotency-key': 'k' }, 400],
      ['text past the reply limit', { buyer, text: '字'.repeat(5001) }, { 'idempotency-key': 'k' }, 400],
      ['a body past 64 KB', { buyer, text: 'x'.repeat(70_000) }, { 'idempotency-key': 'k' }, 413],
      ['not JSON', '{"buyer":', { 'idempotency-key': 'k' }, 400],
    ];
    for (const [what, body, headers, status] of cases) {
      const r = await fixture.post('/api/v1/messages', body, { authorization: `Bearer ${bearer}`, ...headers });
      expect(r.status, what).toBe(status);
      expect(r.body, what).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
    }
    expect(fixture.core.store.stats.counts().messages).toBe(0);
  });

  it('keeps buyer text as text: markup is stored as typed, never interpreted', async () => {
    fixture = await hubFixture();
    const bearer = await token(fixture);
    const nasty = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const r = await inbound(fixture, bearer, { buyer: { externalId: 'x', nick: '<b>nick</b>' }, text: nasty }, { 'idempotency-key': 'x' });
    const { conversationId, buyerId } = r.body as { conversationId: string; buyerId: string };
    expect(fixture.core.store.messages.page(conversationId, 5).messages[0]!.text).toBe(nasty);
    expect(fixture.core.store.customers.get(buyerId)!.nick).toBe('<b>nick</b>');
  });

  it('limits requests per token with 429 and Retry-After', async () => {
    fixture = await hubFixture({ hub: { api: { perToken: { max: 3, windowMs: 60_000 } } } });
    const bearer = await token(fixture);
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await inbound(fixture, bearer, { buyer, text: `m${i}` }, { 'idempotency-key': `k${i}` })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    // Another token has its own allowance.
    expect((await inbound(fixture, await token(fixture), { buyer, text: 'y' }, { 'idempotency-key': 'other' })).status).toBe(201);
  });

  it('lets a full token read a buyer’s messages with the agent’s nick, and an inbound token not', async () => {
    fixture = await hubFixture();
    const inboundOnly = await token(fixture, 'inbound');
    const full = await token(fixture, 'full');
    const r = await inbound(fixture, inboundOnly, { buyer, text: '你好' }, { 'idempotency-key': 'h1' });
    const { conversationId } = r.body as { conversationId: string };
    expect(await fixture.ownerDesk.call('messages.send', { id: 'reply-1', conversationId, text: '您好，在的' })).toMatchObject({
      ok: true,
    });
    const read = (bearer: string) =>
      fetch(`${fixture!.base}/api/v1/messages?source=wechat&externalId=${encodeURIComponent(buyer.externalId)}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
    expect((await read(inboundOnly)).status).toBe(401);
    const answer = (await (await read(full)).json()) as { messages: { text: string; sender: string; agentNick: string | null }[] };
    expect(answer.messages.map((m) => [m.sender, m.text, m.agentNick])).toEqual([
      ['agent', '您好，在的', '店长'],
      ['buyer', '你好', null],
    ]);
    const doc = (await (await fetch(`${fixture.base}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/messages');
  });
});

describe('webhooks out', () => {
  it('delivers an agent’s reply signed, retries after 500s, and is acknowledged exactly once', async () => {
    fixture = await hubFixture(FAST);
    // The first five deliveries fail with 500.
    const receiver = await startReceiver({ answer: (n) => (n < 5 ? 500 : 200) });
    closers.push(receiver.close);
    const added = await fixture.ownerDesk.call('webhooks.add', { id: 'hook1', url: receiver.url, events: ['message.created'] });
    const endpoint = (added as { value: WebhookEndpoint }).value;
    expect(endpoint.secret).toMatch(/^whsec_/);
    receiver.setSecret(endpoint.secret);

    const bearer = await token(fixture);
    const r = await inbound(fixture, bearer, { buyer, text: '什么时候发货？' }, { 'idempotency-key': 'ship-1' });
    const { conversationId } = r.body as { conversationId: string };
    // Only the agent's reply is awaited below; the buyer's own message is delivered too.
    await fixture.ownerDesk.call('messages.send', { id: 'reply-ship', conversationId, text: '今天下午发出' });

    await receiver.until((all) => all.filter((x) => x.status === 200).length === 2);
    const acked = receiver.received.filter((x) => x.status === 200);
    expect(receiver.received.every((x) => x.verified)).toBe(true);
    expect(receiver.received.filter((x) => x.status === 500)).toHaveLength(5);
    // Each delivery is acknowledged once: two events, two ids.
    expect(new Set(acked.map((x) => x.delivery)).size).toBe(2);
    const reply = acked
      .map(
        (x) => JSON.parse(x.body) as { event: string; data: { message: { id: string; text: string; agentNick: string }; buyer: unknown } },
      )
      .find((b) => b.data.message.id === 'reply-ship')!;
    expect(reply).toMatchObject({
      event: 'message.created',
      data: {
        message: { text: '今天下午发出', agentNick: '店长', sender: 'agent' },
        buyer: { externalId: buyer.externalId, source: 'wechat', channel: 'api' },
      },
    });
    // The tries of one delivery are numbered.
    const tries = receiver.received.filter((x) => x.delivery === acked[acked.length - 1]!.delivery).map((x) => x.attempt);
    expect(tries).toEqual(tries.map((_, i) => i + 1));
    // Nothing more is sent once acknowledged.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.filter((x) => x.status === 200)).toHaveLength(2);
  });

  it('ends in the dead-letter list after the last try; the owner sends it again and it is delivered', async () => {
    fixture = await hubFixture({ core: { now: Date.now, webhooks: { retryMs: [10], attempts: 3 } } });
    let failing = true;
    const receiver = await startReceiver({ answer: () => (failing ? 503 : 200) });
    closers.push(receiver.close);
    const endpoint = (
      (await fixture.ownerDesk.call('webhooks.add', { id: 'hook2', url: receiver.url, events: ['buyer.created'] })) as {
        value: WebhookEndpoint;
      }
    ).value;
    receiver.setSecret(endpoint.secret);
    await inbound(fixture, await token(fixture), { buyer, text: 'hi' }, { 'idempotency-key': 'b-1' });
    await receiver.until((all) => all.length === 3);
    let dead: { value: { id: string; attempts: number; lastStatus: number }[] } = { value: [] };
    for (let i = 0; i < 100 && dead.value.length === 0; i++) {
      dead = (await fixture.ownerDesk.call('webhooks.deadLetters', {})) as typeof dead;
      if (dead.value.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(dead.value).toEqual([expect.objectContaining({ attempts: 3, lastStatus: 503, event: 'buyer.created', url: receiver.url })]);
    failing = false;
    expect(await fixture.ownerDesk.call('webhooks.retry', { deliveryId: dead.value[0]!.id })).toMatchObject({ ok: true });
    await receiver.until((all) => all.some((x) => x.status === 200));
    expect(((await fixture.ownerDesk.call('webhooks.deadLetters', {})) as typeof dead).value).toEqual([]);
    expect(receiver.received.map((x) => x.delivery)).toEqual(Array(4).fill(dead.value[0]!.id));
  });

  it('sends a ping on the test button, and stops sending to an endpoint once removed', async () => {
    fixture = await hubFixture(FAST);
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const endpoint = (
      (await fixture.ownerDesk.call('webhooks.add', { id: 'hook3', url: receiver.url, events: ['message.created'] })) as {
        value: WebhookEndpoint;
      }
    ).value;
    receiver.setSecret(endpoint.secret);
    expect(await fixture.ownerDesk.call('webhooks.test', { endpointId: 'hook3' })).toMatchObject({ ok: true });
    await receiver.until((all) => all.some((x) => x.event === 'ping' && x.status === 200));
    expect(await fixture.ownerDesk.call('webhooks.remove', { endpointId: 'hook3' })).toMatchObject({ ok: true });
    await inbound(fixture, await token(fixture), { buyer, text: 'x' }, { 'idempotency-key': 'after-remove' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.map((x) => x.event)).toEqual(['ping']);
    expect(fixture.core.store.channels.deliveries.pending()).toBe(0);
  });

  it('says conversation assigned and ended', async () => {
    fixture = await hubFixture(FAST);
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const endpoint = (
      (await fixture.ownerDesk.call('webhooks.add', {
        id: 'hook4',
        url: receiver.url,
        events: ['conversation.assigned', 'conversation.ended'],
      })) as { value: WebhookEndpoint }
    ).value;
    receiver.setSecret(endpoint.secret);
    const r = await inbound(fixture, await token(fixture), { buyer, text: 'x' }, { 'idempotency-key': 'c-1' });
    const { conversationId } = r.body as { conversationId: string };
    // The owner's reply claims the unassigned conversation; then they end it.
    await fixture.ownerDesk.call('messages.send', { id: 'claim-1', conversationId, text: '好的' });
    await fixture.ownerDesk.call('conversations.end', { conversationId });
    await receiver.until((all) => all.length === 2);
    expect(
      receiver.received.map((x) => [x.event, (JSON.parse(x.body) as { data: { conversationId: string } }).data.conversationId]),
    ).toEqual([
      ['conversation.assigned', conversationId],
      ['conversation.ended', conversationId],
    ]);
  });
});

describe('webhooks across a hub restart', () => {
  it('sends what was pending before the stop once after it, and nothing delivered before again', async () => {
    const dir = hubTestFolder(fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-hub-restart-')));
    closers.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    let failing = false;
    const receiver = await startReceiver({ answer: () => (failing ? 500 : 200) });
    closers.push(receiver.close);
    // The first hub waits 1.5 s after a failed try, so the second delivery is still pending when it stops; its
    // next try keeps that time across the restart.
    const open = async (retryMs: number[]) => {
      const core = new Core({ dataDir: dir, hub: {}, keepBackups: 0, webhooks: { retryMs } });
      if (!core.hubSetup().hasOwner) await core.initShop('小店', '店长', 'owner-pass-123');
      const hub = await startHub({ core });
      const base = `http://127.0.0.1:${hub.port}`;
      const login = (await (
        await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ account: '店长', password: 'owner-pass-123' }),
        })
      ).json()) as { token: string };
      const owner = await desk(hub, login.token);
      return { core, hub, base, owner, close: async () => (owner.ws.close(), await hub.close(), core.close()) };
    };
    const first = await open([1500]);
    const endpoint = (
      (await first.owner.call('webhooks.add', { id: 'hook-r', url: receiver.url, events: ['message.created'] })) as {
        value: WebhookEndpoint;
      }
    ).value;
    receiver.setSecret(endpoint.secret);
    const made = (await first.owner.call('apiTokens.create', { name: 'bridge', scope: 'inbound' })) as { value: CreatedApiToken };
    const post = (base: string, key: string, text: string) =>
      fetch(`${base}/api/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${made.value.token}`, 'idempotency-key': key },
        body: JSON.stringify({ buyer, text }),
      });
    await post(first.base, 'r-1', '第一条');
    await receiver.until((all) => all.some((x) => x.status === 200));
    failing = true;
    await post(first.base, 'r-2', '第二条');
    await receiver.until((all) => all.some((x) => x.status === 500));
    // A try in flight at the stop is given time to finish and be recorded (cut short, it would wait out its lease).
    await first.close();

    failing = false;
    const second = await open([20]);
    closers.push(second.close);
    // The bridge's retry of the first post after the restart is still the same message.
    expect((await post(second.base, 'r-1', '第一条')).headers.get('idempotent-replayed')).toBe('true');
    await receiver.until((all) => all.filter((x) => x.status === 200).length === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const acked = receiver.received.filter((x) => x.status === 200);
    expect(acked.map((x) => (JSON.parse(x.body) as { data: { message: { text: string } } }).data.message.text)).toEqual([
      '第一条',
      '第二条',
    ]);
    expect(new Set(acked.map((x) => x.delivery)).size).toBe(2);
    expect(second.core.store.channels.deliveries.pending()).toBe(0);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"d1","event":"message.created"}';
  const now = 1_750_000_000_000;
  const t = Math.floor(now / 1000);

  it('verify what was signed, and refuse a forged, altered or stale one', () => {
    expect(verifySignature(secret, signatureHeader(secret, t, body), body, now)).toBe(true);
    expect(verifySignature(secret, signatureHeader('whsec_other', t, body), body, now)).toBe(false);
    expect(verifySignature(secret, signatureHeader(secret, t, body), body.replace('d1', 'd2'), now)).toBe(false);
    // Signed six minutes before the receiver's clock: a replay.
    expect(verifySignature(secret, signatureHeader(secret, t - 360, body), body, now)).toBe(false);
    expect(verifySignature(secret, `t=${t},v1=${'0'.repeat(64)}`, body, now)).toBe(false);
    expect(verifySignature(secret, 'nonsense', body, now)).toBe(false);
    expect(verifySignature(secret, undefined, body, now)).toBe(false);
  });
});
