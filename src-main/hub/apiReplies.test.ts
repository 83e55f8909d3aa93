import { afterEach, describe, expect, it } from 'vitest';
import type { CreatedApiToken, WebhookEndpoint } from '../../shared/contract/channels';
import { IMAGE_TEXT } from '../../shared/domain/images';
import { pngOf } from '../services/channels/testing/png';
import { hubFixture } from './testing/hubKit';
import { startReceiver } from './testing/receiver';

type Fixture = Awaited<ReturnType<typeof hubFixture>>;
let fixture: Fixture | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await fixture?.close();
  fixture = undefined;
});

async function token(f: Fixture, scope: 'inbound' | 'full'): Promise<string> {
  const made = await f.ownerDesk.call('apiTokens.create', { name: '公众号', scope });
  if (!made.ok) throw new Error(JSON.stringify(made));
  return (made.value as CreatedApiToken).token;
}

const buyer = { externalId: 'oWx-7', nick: '微信买家', source: 'wechat' };

describe('a bridge sends as an agent (POST /api/v1/replies)', () => {
  it('stores a reply made on the platform once per key, as the bridge, without taking the conversation', async () => {
    fixture = await hubFixture();
    const full = await token(fixture, 'full');
    const auth = { authorization: `Bearer ${full}` };
    const first = await fixture.post('/api/v1/messages', { buyer, text: '在吗' }, { ...auth, 'idempotency-key': 'in-1' });
    expect(first.status).toBe(201);
    const { conversationId } = first.body as { conversationId: string };
    for (let i = 0; i < 3; i++) {
      const r = await fixture.post(
        '/api/v1/replies',
        { buyer: { externalId: buyer.externalId, source: 'wechat' }, text: '在的亲' },
        {
          ...auth,
          'idempotency-key': 'app-reply-1',
        },
      );
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ ok: true, conversationId });
      if (i > 0) expect(r.headers.get('idempotent-replayed')).toBe('true');
    }
    const messages = fixture.core.store.messages.page(conversationId, 50).messages;
    const replies = messages.filter((m) => m.sender === 'agent');
    expect(replies).toHaveLength(1);
    expect(fixture.core.store.agents.get(replies[0]!.agentId!)?.nick).toBe('桥接·公众号');
    // The conversation still waits for an agent of the shop.
    expect(fixture.core.store.conversations.get(conversationId)!.agentId).toBeNull();
    // An inbound-only token may not speak for the shop; an unknown buyer is 404.
    const inboundOnly = await token(fixture, 'inbound');
    const refused = await fixture.post('/api/v1/replies', { buyer, text: 'x' } as never, {});
    expect(refused.status).toBe(400);
    const narrow = await fixture.post(
      '/api/v1/replies',
      { buyer: { externalId: buyer.externalId, source: 'wechat' }, text: '好的' },
      {
        authorization: `Bearer ${inboundOnly}`,
        'idempotency-key': 'k2',
      },
    );
    expect(narrow.status).toBe(401);
    const unknown = await fixture.post(
      '/api/v1/replies',
      { buyer: { externalId: 'nobody', source: 'wechat' }, text: '好的' },
      {
        ...auth,
        'idempotency-key': 'k3',
      },
    );
    expect(unknown.status).toBe(404);
    const doc = await (await fetch(`${fixture.base}/api/v1/openapi.json`)).json();
    expect(Object.keys((doc as { paths: object }).paths)).toEqual(
      expect.arrayContaining(['/api/v1/replies', '/api/v1/images/{messageId}']),
    );
  });

  it("sends an agent's picture out in the webhook as a signed link the receiver can fetch, and nothing without one", async () => {
    fixture = await hubFixture();
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const added = await fixture.ownerDesk.call('webhooks.add', { id: 'hook1', url: receiver.url, events: ['message.created'] });
    receiver.setSecret((added as { value: WebhookEndpoint }).value.secret);
    const bearer = await token(fixture, 'inbound');
    const r = await fixture.post(
      '/api/v1/messages',
      { buyer: { ...buyer, acceptsImages: true }, text: '尺码表有吗' },
      { authorization: `Bearer ${bearer}`, 'idempotency-key': 'size-1' },
    );
    const { conversationId } = r.body as { conversationId: string };
    const picture = pngOf(12, 8);
    const sent = await fixture.ownerDesk.call('messages.send', {
      id: 'pic-1',
      conversationId,
      text: IMAGE_TEXT,
      image: { base64: picture.toString('base64') },
    });
    expect(sent).toMatchObject({ ok: true, value: { kind: 'image' } });
    await receiver.until((all) => all.some((x) => x.body.includes('pic-1')));
    const body = JSON.parse(receiver.received.find((x) => x.body.includes('pic-1'))!.body) as {
      data: { message: { kind: string; origin: string; image: { mime: string; width: number; path: string; url: string | null } } };
    };
    expect(body.data.message).toMatchObject({ kind: 'image', origin: 'desk', image: { mime: 'image/png', width: 12, url: null } });
    const fetched = await fetch(`${fixture.base}${body.data.message.image.path}`);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    expect(fetched.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(picture)).toBe(true);
    // A forged signature, or none at all: refused.
    const forged = body.data.message.image.path.replace(/sig=[0-9a-f]{4}/, 'sig=0000');
    expect((await fetch(`${fixture.base}${forged}`)).status).toBe(401);
    expect((await fetch(`${fixture.base}/api/v1/images/pic-1`)).status).toBe(401);
    // Past the link's three days it no longer works.
    fixture.tick(4 * 24 * 3_600_000);
    expect((await fetch(`${fixture.base}${body.data.message.image.path}`)).status).toBe(401);
  });
});

describe('a bridge sends a picture as an agent (POST /api/v1/replies/image)', () => {
  it('checks the bytes as an agent’s picture, stores it once per key as the bridge, and its webhook carries the signed link', async () => {
    fixture = await hubFixture();
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const added = await fixture.ownerDesk.call('webhooks.add', { id: 'hook1', url: receiver.url, events: ['message.created'] });
    receiver.setSecret((added as { value: WebhookEndpoint }).value.secret);
    const full = await token(fixture, 'full');
    const inboundOnly = await token(fixture, 'inbound');
    const first = await fixture.post(
      '/api/v1/messages',
      { buyer, text: '发个尺码表' },
      { authorization: `Bearer ${full}`, 'idempotency-key': 'in-1' },
    );
    const { conversationId } = first.body as { conversationId: string };
    const send = (bytes: Uint8Array, headers: Record<string, string>, query = `externalId=${buyer.externalId}&source=wechat`) =>
      fetch(`${fixture!.base}/api/v1/replies/image?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'image/png', authorization: `Bearer ${full}`, ...headers },
        body: bytes,
      });
    const picture = pngOf(40, 30);
    for (let i = 0; i < 3; i++) {
      const r = await send(picture, { 'idempotency-key': 'pic-reply-1' });
      expect(r.status).toBe(201);
      expect(await r.json()).toMatchObject({ ok: true, conversationId });
      if (i > 0) expect(r.headers.get('idempotent-replayed')).toBe('true');
    }
    const pictures = fixture.core.store.messages.page(conversationId, 50).messages.filter((m) => m.kind === 'image');
    expect(pictures).toHaveLength(1);
    expect(pictures[0]).toMatchObject({ sender: 'agent', text: IMAGE_TEXT });
    expect(fixture.core.store.agents.get(pictures[0]!.agentId!)?.nick).toBe('桥接·公众号');
    expect(fixture.core.store.channels.images.get(pictures[0]!.id)).toMatchObject({ mime: 'image/png', width: 40, height: 30 });
    // The conversation still waits for an agent of the shop.
    expect(fixture.core.store.conversations.get(conversationId)!.agentId).toBeNull();

    // Its webhook says it came from the bridge, with a signed link to the same bytes.
    await receiver.until((all) => all.some((x) => x.body.includes(pictures[0]!.id)));
    const body = JSON.parse(receiver.received.find((x) => x.body.includes(pictures[0]!.id))!.body) as {
      data: { message: { kind: string; origin: string; image: { mime: string; path: string } } };
    };
    expect(body.data.message).toMatchObject({ kind: 'image', origin: 'bridge', image: { mime: 'image/png' } });
    const fetched = await fetch(`${fixture.base}${body.data.message.image.path}`);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(picture)).toBe(true);

    // Refused, each with its typed error, and nothing stored: not a picture (whatever the header says),
    // a canvas over 8000 px, more than 5 MB, no key, an inbound-only token, an unknown buyer.
    const refusal = async (r: Response, status: number, code: string) => {
      expect(r.status).toBe(status);
      expect(await r.json()).toMatchObject({ ok: false, error: { code } });
    };
    await refusal(
      await send(new TextEncoder().encode('<script>alert(1)</script>'), { 'idempotency-key': 'k-html' }),
      400,
      'invalid_argument',
    );
    await refusal(await send(pngOf(8001, 10), { 'idempotency-key': 'k-wide' }), 400, 'invalid_argument');
    const huge = new Uint8Array(5 * 1024 * 1024 + 10);
    huge.set(pngOf(10, 10));
    await refusal(await send(huge, { 'idempotency-key': 'k-huge' }), 429, 'limit_exceeded');
    await refusal(await send(picture, {}), 400, 'invalid_argument');
    await refusal(await send(picture, { authorization: `Bearer ${inboundOnly}`, 'idempotency-key': 'k-narrow' }), 401, 'unauthorized');
    await refusal(await send(picture, { 'idempotency-key': 'k-nobody' }, 'externalId=nobody&source=wechat'), 404, 'not_found');
    expect(fixture.core.store.messages.page(conversationId, 50).messages.filter((m) => m.kind === 'image')).toHaveLength(1);
    const doc = await (await fetch(`${fixture.base}/api/v1/openapi.json`)).json();
    expect(Object.keys((doc as { paths: object }).paths)).toContain('/api/v1/replies/image');
  });
});

describe('one path for every buyer message', () => {
  it('lets a listener hear the API’s, the widget seam’s and receiveBuyerMessage’s buyers alike, once each', async () => {
    fixture = await hubFixture();
    const heard: string[] = [];
    fixture.core.onBuyerMessage((m) => heard.push(m.text));
    const bearer = await token(fixture, 'inbound');
    for (let i = 0; i < 2; i++)
      await fixture.post('/api/v1/messages', { buyer, text: '有货吗' }, { authorization: `Bearer ${bearer}`, 'idempotency-key': 'same' });
    const customerId = fixture.core.store.channels.buyers.find('api', 'wechat', buyer.externalId)!.customer_id;
    fixture.core.receiveBuyerMessage({ customerId, text: '还在吗' });
    expect(heard).toEqual(['有货吗', '还在吗']);
  });
});
