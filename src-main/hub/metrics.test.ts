import { afterEach, describe, expect, it } from 'vitest';
import type { CreatedApiToken } from '../../shared/contract/channels';
import { hubMetrics, PUSH_BUCKETS } from './metrics';
import { AGENT, hubFixture, OWNER } from './testing/hubKit';
import { visitor } from './testing/widgetKit';

type Fixture = Awaited<ReturnType<typeof hubFixture>>;
let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function apiToken(f: Fixture, scope: 'inbound' | 'full'): Promise<{ id: string; token: string }> {
  const made = await f.ownerDesk.call('apiTokens.create', { name: `监控-${scope}`, scope });
  if (!made.ok) throw new Error(JSON.stringify(made));
  return made.value as CreatedApiToken;
}

const scrape = (f: Fixture, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${f.hub.port}/metrics`, { headers });

/** The exposition parsed: every sample line `name{labels} value`, each family announced by HELP and TYPE first. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.trimEnd().split('\n')) {
    const type = /^# TYPE ([a-z_]+) (gauge|counter|histogram)$/.exec(line);
    if (type) typed.add(type[1]!);
    if (line.startsWith('#')) {
      expect(line).toMatch(/^# (HELP|TYPE) [a-z_]+ .+$/);
      continue;
    }
    const m = /^([a-z_]+)(\{[a-z_]+="[^"\\\n]*"(,[a-z_]+="[^"\\\n]*")*\})? (-?[0-9.e+-]+|NaN)$/.exec(line);
    expect(m, line).not.toBeNull();
    expect(typed.has(m![1]!) || typed.has(m![1]!.replace(/_(sum|count|bucket)$/, ''))).toBe(true);
    samples.set(m![1]! + (m![2] ?? ''), Number(m![4]));
  }
  return samples;
}

describe('GET /metrics (issue 14)', () => {
  it('counts the push times in cumulative histogram buckets', () => {
    const metrics = hubMetrics();
    for (const ms of [3, 5, 7, 40, 40, 300, 12_000]) metrics.push(true, ms);
    metrics.push(false, 20);
    const text = metrics.render([]);
    expect(text).toContain('# TYPE jiedai_hub_push_seconds histogram');
    const m = parse(text);
    const counts = Object.fromEntries(PUSH_BUCKETS.map((le) => [le, m.get(`jiedai_hub_push_seconds_bucket{le="${le}"}`)]));
    expect(counts).toEqual({ 0.005: 2, 0.01: 3, 0.025: 4, 0.05: 6, 0.1: 6, 0.25: 6, 0.5: 7, 1: 7, 2.5: 7, 5: 7, 10: 7 });
    expect(m.get('jiedai_hub_push_seconds_bucket{le="+Inf"}')).toBe(8);
    expect(m.get('jiedai_hub_push_seconds_count')).toBe(8);
    expect(m.get('jiedai_hub_push_seconds_sum')).toBeCloseTo(12.415, 6);
    expect(m.get('jiedai_hub_pushes_total{result="refused"}')).toBe(1);
  });

  it('answers a full-scope API token with each figure in the Prometheus text format, and nothing private', async () => {
    fixture = await hubFixture({ core: { now: Date.now } });
    const f = fixture;
    const full = await apiToken(f, 'full');
    const inbound = await apiToken(f, 'inbound');
    // No token, a session's token, an inbound-only token, a made-up one: refused.
    expect((await scrape(f)).status).toBe(401);
    const owner = await f.login(OWNER.nick, OWNER.password);
    expect((await scrape(f, { authorization: `Bearer ${owner.token}` })).status).toBe(401);
    expect((await scrape(f, { authorization: `Bearer ${inbound.token}` })).status).toBe(401);
    expect((await scrape(f, { authorization: 'Bearer jdk_made-up' })).status).toBe(401);

    // Traffic: a desk's push, a bridge's message, a widget visitor's, a webhook that cannot be delivered, refused sign-ins.
    expect(
      await f.ownerDesk.call('widget.save', {
        enabled: true,
        welcomeText: '您好',
        offlineText: '',
        hours: null,
        publicUrl: 'https://chat.example.com',
        allowedOrigins: [],
      }),
    ).toMatchObject({ ok: true });
    expect(
      await f.ownerDesk.call('webhooks.add', { id: 'hook', url: 'http://127.0.0.1:9/never', events: ['message.created'] }),
    ).toMatchObject({ ok: true });
    const pushed = await f.ownerDesk.call('sync.push', {
      clientId: 'desk-owner',
      mutations: [{ mutationId: 'm1', name: 'tags.create', args: { id: 't1', name: '老客', color: '#aa3300' } }],
    });
    expect(pushed).toMatchObject({ ok: true });
    const sent = await f.post(
      '/api/v1/messages',
      { buyer: { externalId: 'oWx-secret-1001', nick: '微信买家甲', source: 'wechat' }, text: '我的手机号 13800000000' },
      { authorization: `Bearer ${inbound.token}`, 'idempotency-key': 'k-1' },
    );
    expect(sent.status).toBeLessThan(300);
    const v = await visitor(f.hub);
    v.frame({ type: 'hello', token: null, after: null });
    await v.until('ready');
    v.frame({ type: 'send', clientId: 'client-0001', text: '地址是某某路 8 号' });
    await v.until('ack');
    for (let i = 0; i < 11; i++) await f.post('/api/auth/login', { account: AGENT.nick, password: `wrong-${i}` });
    // A dead letter, as ten failed tries would leave it.
    f.core.store.tx(() =>
      f.core.store.db
        .prepare<unknown[]>('UPDATE webhook_deliveries SET dead_at = ? WHERE id = (SELECT min(id) FROM webhook_deliveries)')
        .run(Date.now()),
    );
    await f.ownerDesk.until((m) => m.type === 'event' && m.name === 'sync.poked');

    const r = await scrape(f, { authorization: `Bearer ${full.token}` });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await r.text();
    const m = parse(text);
    expect(m.get('jiedai_hub_desks')).toBe(1);
    expect(m.get('jiedai_hub_widget_sockets')).toBe(1);
    expect(m.get('jiedai_feed_head')).toBe(f.core.store.changes.head());
    expect(m.get('jiedai_hub_feed_head_poked')).toBeGreaterThan(0);
    expect(m.get('jiedai_hub_feed_head_poked')).toBeLessThanOrEqual(m.get('jiedai_feed_head')!);
    expect(m.get('jiedai_hub_pushes_total{result="ok"}')).toBe(1);
    expect(m.get('jiedai_hub_push_seconds_count')).toBe(1);
    expect(m.get('jiedai_hub_push_seconds_sum')).toBeGreaterThan(0);
    // The push time as a histogram: cumulative buckets, the last (+Inf) the count.
    const buckets = PUSH_BUCKETS.map((le) => m.get(`jiedai_hub_push_seconds_bucket{le="${le}"}`));
    expect(buckets.every((b) => b === 0 || b === 1)).toBe(true);
    expect(buckets).toEqual([...buckets].sort((a, b) => a! - b!));
    expect(m.get('jiedai_hub_push_seconds_bucket{le="+Inf"}')).toBe(1);
    const le = PUSH_BUCKETS.find((b) => b >= m.get('jiedai_hub_push_seconds_sum')!)!;
    expect(m.get(`jiedai_hub_push_seconds_bucket{le="${le}"}`)).toBe(1);
    expect(m.get('jiedai_hub_buyer_messages_total{channel="api"}')).toBe(1);
    expect(m.get('jiedai_hub_buyer_messages_total{channel="widget"}')).toBe(1);
    expect(m.get('jiedai_webhook_dead')).toBe(1);
    expect(m.get('jiedai_webhook_queue')).toBe(1);
    expect(m.get('jiedai_hub_rate_limited_total{route="/api/auth/login"}')).toBeGreaterThanOrEqual(1);
    expect(m.get('jiedai_hub_uptime_seconds')).toBeGreaterThan(0);
    expect(m.get(`jiedai_hub_info{version="0.0.0",database="sqlite",pid="${process.pid}"}`)).toBe(1);
    // Nothing of the buyers, the accounts, the tokens or the addresses.
    for (const secret of [
      'oWx-secret',
      '微信买家甲',
      '13800000000',
      '某某路',
      OWNER.nick,
      AGENT.nick,
      full.token,
      inbound.token,
      owner.token,
      '127.0.0.1',
      'jdk_',
    ])
      expect(text).not.toContain(secret);
    v.ws.close();

    // A revoked token no longer scrapes.
    expect(await f.ownerDesk.call('apiTokens.revoke', { tokenId: full.id })).toMatchObject({ ok: true });
    expect((await scrape(f, { authorization: `Bearer ${full.token}` })).status).toBe(401);
  });

  it('lets a direct scraper on this machine in without a token only when configured, never one a proxy forwarded', async () => {
    fixture = await hubFixture({ hub: { metrics: { fromLoopback: true }, trustProxy: '127.0.0.1' } });
    expect((await scrape(fixture)).status).toBe(200);
    expect((await scrape(fixture, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(401);
    expect((await scrape(fixture, { forwarded: 'for=198.51.100.7' })).status).toBe(401);
    await fixture.close();
    fixture = await hubFixture();
    expect((await scrape(fixture)).status).toBe(401);
  });

  it('bounds the scrapes per address', async () => {
    fixture = await hubFixture({ hub: { metrics: { fromLoopback: true } } });
    const statuses: number[] = [];
    for (let i = 0; i < 122; i++) statuses.push((await scrape(fixture)).status);
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(120)).toEqual([429, 429]);
  });
});
