import { afterEach, describe, expect, it } from 'vitest';
import { WIDGET_CLOSE } from '../../shared/channels/widgetProtocol';
import { pngOf } from '../services/channels/testing/png';
import { AGENT, desk, hubFixture } from './testing/hubKit';
import { visitor } from './testing/widgetKit';

type Fixture = Awaited<ReturnType<typeof hubFixture>>;
let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const ON = {
  enabled: true,
  welcomeText: '您好，欢迎光临',
  offlineText: '',
  hours: null,
  publicUrl: 'https://chat.example.com',
  allowedOrigins: [],
};

async function openShop(options: Parameters<typeof hubFixture>[0] = {}) {
  const f = await hubFixture(options);
  const saved = await f.ownerDesk.call('widget.save', ON);
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  return f;
}

const conversationOf = (f: Fixture, messageId: string) => f.core.store.messages.get(messageId)!.conversationId;

describe('the widget socket', () => {
  it('makes a buyer of the first message, acks it, and pushes the agent’s reply with the agent’s nick', async () => {
    fixture = await openShop();
    const v = await visitor(fixture.hub);
    v.frame({ type: 'hello', token: null, after: null });
    const ready = await v.until('ready');
    expect(ready).toMatchObject({ token: null, messages: [], state: { welcomeText: '您好，欢迎光临' } });
    // Nothing is written for a browser that only looked.
    expect(fixture.core.store.stats.counts().customers).toBe(0);

    v.frame({ type: 'send', clientId: 'client-0001', text: '<script>alert(1)</script> 有 M 码吗' });
    const token = (await v.until('visitor')).token;
    const ack = await v.until('ack');
    expect(token).toMatch(/^v1\./);
    expect(ack.message).toMatchObject({ from: 'buyer', text: '<script>alert(1)</script> 有 M 码吗', clientId: 'client-0001' });
    const conversationId = conversationOf(fixture, ack.message.id);
    expect(fixture.core.store.conversations.get(conversationId)!.customerNick).toMatch(/^访客[A-Z0-9_-]{4}$/);

    expect(await fixture.ownerDesk.call('messages.send', { id: 'reply-w1', conversationId, text: '有的亲' })).toMatchObject({ ok: true });
    const pushed = await v.until('message', (m) => m.message.id === 'reply-w1');
    expect(pushed.message).toMatchObject({ from: 'agent', text: '有的亲', agentNick: '店长', clientId: null });
    v.ws.close();
  });

  it('pushes a product card to the buyer as a card (its lines), and refuses one with a javascript: link at the hub', async () => {
    fixture = await openShop();
    const v = await visitor(fixture.hub);
    v.frame({ type: 'hello', token: null, after: null });
    await v.until('ready');
    v.frame({ type: 'send', clientId: 'client-0002', text: '有链接吗' });
    const ack = await v.until('ack');
    const conversationId = conversationOf(fixture, ack.message.id);
    const product = { title: '阔腿牛仔裤', sku: '黑色 XL', priceCents: 12_900, url: 'https://shop.example/item?id=1' };
    const refused = await fixture.ownerDesk.call('messages.send', {
      id: 'card-bad',
      conversationId,
      text: '阔腿牛仔裤',
      product: { ...product, url: 'javascript:alert(document.cookie)' },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(fixture.core.store.messages.get('card-bad')).toBeUndefined();
    // The text sent beside the fields counts for nothing: the hub writes the card's own lines.
    const sent = await fixture.ownerDesk.call('messages.send', { id: 'card-w1', conversationId, text: '随便什么', product });
    expect(sent).toMatchObject({
      ok: true,
      value: { kind: 'product_card', text: '阔腿牛仔裤\n黑色 XL\n¥129.00\nhttps://shop.example/item?id=1' },
    });
    const pushed = await v.until('message', (m) => m.message.id === 'card-w1');
    expect(pushed.message).toMatchObject({
      from: 'agent',
      kind: 'product',
      text: '阔腿牛仔裤\n黑色 XL\n¥129.00\nhttps://shop.example/item?id=1',
    });
    v.ws.close();
  });

  it('stores a resent message once, and a returning browser gets its history with its own client ids', async () => {
    fixture = await openShop();
    const a = await visitor(fixture.hub);
    a.frame({ type: 'hello', token: null, after: null });
    await a.until('ready');
    a.frame({ type: 'send', clientId: 'resend-0001', text: '第一条' });
    const token = (await a.until('visitor')).token;
    const first = await a.until('ack');
    // The answer was lost; the widget sends the same again, on a new socket with its token.
    a.ws.close();
    const b = await visitor(fixture.hub);
    b.frame({ type: 'hello', token, after: null });
    const back = await b.until('ready');
    expect(back.token).toBe(token);
    expect(back.messages.map((m) => [m.id, m.clientId])).toEqual([[first.message.id, 'resend-0001']]);
    b.frame({ type: 'send', clientId: 'resend-0001', text: '第一条' });
    expect((await b.until('ack')).message.id).toBe(first.message.id);
    expect(fixture.core.store.messages.page(conversationOf(fixture, first.message.id), 50).messages).toHaveLength(1);

    // Catching up after the newest it holds: only what came since.
    await fixture.ownerDesk.call('messages.send', {
      id: 'reply-w2',
      conversationId: conversationOf(fixture, first.message.id),
      text: '在的',
    });
    b.ws.close();
    const c = await visitor(fixture.hub);
    c.frame({ type: 'hello', token, after: { id: first.message.id, at: first.message.at } });
    expect((await c.until('ready')).messages.map((m) => m.id)).toEqual(['reply-w2']);
    c.ws.close();
  });

  it('treats a forged or foreign token as a new browser, and a first message resent without its token as the same buyer', async () => {
    fixture = await openShop();
    const v = await visitor(fixture.hub);
    v.frame({ type: 'hello', token: 'v1.AAAAAAAAAAAAAAAAAAAAAAAA.' + 'x'.repeat(43), after: null });
    expect((await v.until('ready')).token).toBeNull();
    v.frame({ type: 'send', clientId: 'first-00001', text: '你好' });
    const token = (await v.until('visitor')).token;
    v.ws.close();
    // The ack of the very first message was lost with its token: the same client id names the same buyer.
    const again = await visitor(fixture.hub);
    again.frame({ type: 'hello', token: null, after: null });
    await again.until('ready');
    again.frame({ type: 'send', clientId: 'first-00001', text: '你好' });
    expect((await again.until('visitor')).token).toBe(token);
    expect(fixture.core.store.stats.counts().customers).toBe(1);
    again.ws.close();
  });

  it('throttles a flooding buyer without slowing another buyer, and closes a socket that ignores the refusals', async () => {
    fixture = await openShop({
      hub: { trustProxy: '127.0.0.1', widget: { limits: { perVisitor: { capacity: 3, perSecond: 0.5 }, maxRefusedInARow: 20 } } },
    });
    const flood = await visitor(fixture.hub, { headers: { 'x-forwarded-for': '203.0.113.1' } });
    const calm = await visitor(fixture.hub, { headers: { 'x-forwarded-for': '203.0.113.2' } });
    for (const v of [flood, calm]) v.frame({ type: 'hello', token: null, after: null });
    await Promise.all([flood.until('ready'), calm.until('ready')]);
    for (let i = 0; i < 10; i++) flood.frame({ type: 'send', clientId: `flood-${String(i).padStart(4, '0')}`, text: `刷屏${i}` });
    const refused = await flood.until('refused', (m) => m.code === 'limit_exceeded');
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    calm.frame({ type: 'send', clientId: 'calm-000001', text: '请问发货了吗' });
    expect((await calm.until('ack')).message.text).toBe('请问发货了吗');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(flood.heard.filter((m) => m.type === 'ack')).toHaveLength(3);
    for (let i = 0; i < 30; i++) flood.frame({ type: 'send', clientId: `more-${String(i).padStart(5, '0')}`, text: 'x' });
    expect(await flood.closed).toBe(WIDGET_CLOSE.flood);
    calm.ws.close();
  });

  it('refuses what is not a widget frame, a frame past 64 KB, a socket from another site, and a chat that is off', async () => {
    fixture = await hubFixture();
    // Off: a buyer's message is refused, not stored.
    const off = await visitor(fixture.hub);
    off.frame({ type: 'hello', token: null, after: null });
    await off.until('ready');
    off.frame({ type: 'send', clientId: 'off-000001', text: 'hi' });
    expect(await off.until('refused')).toMatchObject({ code: 'unavailable', clientId: 'off-000001' });
    for (const junk of [
      'not json',
      '{"type":"send","clientId":"x","text":"short id"}',
      '{"type":"hello","token":null,"after":null,"role":"owner"}',
      '[]',
    ])
      off.frame(junk);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(off.heard.filter((m) => m.type === 'refused' && m.code === 'invalid_argument')).toHaveLength(4);
    off.frame('x'.repeat(70_000));
    expect(await off.closed).toBe(1009);
    await expect(visitor(fixture.hub, { origin: 'https://evil.example' })).rejects.toMatchObject({ status: 403 });
    expect(fixture.core.store.stats.counts().messages).toBe(0);
  });

  it('tells open chats when an agent comes to a desk and when the last one leaves', async () => {
    fixture = await openShop();
    fixture.ownerDesk.ws.close();
    await fixture.ownerDesk.closed;
    const v = await visitor(fixture.hub);
    v.frame({ type: 'hello', token: null, after: null });
    expect((await v.until('ready')).state.online).toBe(false);
    const agent = await desk(fixture.hub, (await fixture.login(AGENT.nick, AGENT.password)).token);
    await agent.call('agents.setState', { state: 'online' });
    expect((await v.until('state', (m) => m.state.online)).state.online).toBe(true);
    const seen = v.heard.length;
    agent.ws.close();
    expect((await v.until('state', (m) => !m.state.online, seen)).state.online).toBe(false);
    v.ws.close();
  });

  it('closes a socket that sends anything before its hello', async () => {
    fixture = await openShop();
    const v = await visitor(fixture.hub);
    v.frame({ type: 'send', clientId: 'early-00001', text: 'hi' });
    expect(await v.closed).toBe(WIDGET_CLOSE.badHello);
  });
});

describe('pictures from the widget', () => {
  it('stores a real picture as an image message, serves it to its buyer and the desks only, and refuses a disguised file', async () => {
    fixture = await openShop();
    const png = pngOf(40, 30);
    const upload = (body: Buffer, headers: Record<string, string>) =>
      fetch(`${fixture!.base}/widget/images`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', ...headers },
        body,
      });
    const made = await upload(png, { 'x-client-id': 'image-00001' });
    expect(made.status).toBe(201);
    const { token, message } = (await made.json()) as { token: string; message: { id: string; kind: string; text: string } };
    expect(message).toMatchObject({ kind: 'image', text: '' });
    const stored = fixture.core.store.messages.get(message.id)!;
    expect(stored).toMatchObject({ kind: 'image', text: '[图片]', sender: 'buyer' });

    const get = (headers: Record<string, string>) => fetch(`${fixture!.base}/widget/images/${message.id}`, { headers });
    const mine = await get({ 'x-visitor-token': token });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('image/png');
    expect(mine.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await mine.arrayBuffer()).equals(png)).toBe(true);
    // Another buyer, or nobody, does not see it.
    const other = await (await upload(pngOf(2, 2), { 'x-client-id': 'image-00002' })).json();
    expect((await get({ 'x-visitor-token': (other as { token: string }).token })).status).toBe(404);
    expect((await get({})).status).toBe(404);
    // A desk does, through the contract.
    const desk = await fixture.ownerDesk.call('messages.image', { messageId: message.id });
    expect(desk).toMatchObject({ ok: true, value: { mime: 'image/png', width: 40, height: 30 } });
    expect(Buffer.from((desk as { value: { base64: string } }).value.base64, 'base64').equals(png)).toBe(true);

    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const disguised = await upload(svg, { 'x-client-id': 'image-00003', 'x-visitor-token': token });
    expect(disguised.status).toBe(400);
    const big = await upload(Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]), {
      'x-client-id': 'image-00004',
      'x-visitor-token': token,
    });
    expect(big.status).toBe(413);
    expect((await upload(png, { 'x-client-id': 'image-00005', 'x-visitor-token': 'v1.forged' })).status).toBe(401);
  });
});

describe('the chat page', () => {
  it('is served with a strict Content-Security-Policy, framed only by the sites the owner allows', async () => {
    fixture = await openShop();
    await fixture.ownerDesk.call('widget.save', { ...ON, allowedOrigins: ['https://shop.example.com'] });
    const page = await fetch(`${fixture.base}/chat`);
    const policy = page.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain('frame-ancestors https://shop.example.com');
    expect(policy).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect(html).toContain('<script src="/widget/chat.js" defer></script>');
  });
});
