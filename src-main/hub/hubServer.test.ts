import { afterEach, describe, expect, it } from 'vitest';
import { SOCKET_CLOSE } from '../../shared/contract/socket';
import { AGENT, desk, hubFixture, OWNER, refusedDesk } from './testing/hubKit';

let fixture: Awaited<ReturnType<typeof hubFixture>> | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const unauthorized = { ok: false, error: { code: 'unauthorized', message: 'the account name or the password is wrong' } };

describe('signing in over HTTP', () => {
  it('answers the right password with a token, the agent and when it expires; and says it is up', async () => {
    fixture = await hubFixture();
    const r = await fixture.post('/api/auth/login', { account: AGENT.nick, password: AGENT.password });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), agent: { id: AGENT.id, role: 'agent' } });
    expect(r.body!.expiresAt).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);
    expect(await (await fetch(`${fixture.base}/api/health`)).json()).toEqual({ status: 'ok' });
  });

  it('refuses a wrong password and a disabled account alike, with 401 and a typed body', async () => {
    fixture = await hubFixture();
    const wrong = await fixture.post('/api/auth/login', { account: AGENT.nick, password: 'wrong-password' });
    expect(await fixture.ownerDesk.call('accounts.disable', { agentId: AGENT.id })).toMatchObject({ ok: true });
    const disabled = await fixture.post('/api/auth/login', { account: AGENT.nick, password: AGENT.password });
    expect([wrong.status, disabled.status]).toEqual([401, 401]);
    expect(wrong.body).toEqual(unauthorized);
    expect(disabled.body).toEqual(unauthorized);
  });

  it('limits attempts per address, with 429 and Retry-After', async () => {
    fixture = await hubFixture({ hub: { login: { max: 3, windowMs: 60_000 } } });
    // The fixture's own sign-in took one of this address's attempts.
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fixture.post('/api/auth/login', { account: `nobody${i}`, password: 'x' })).status);
    const limited = await fixture.post('/api/auth/login', { account: AGENT.nick, password: AGENT.password });
    expect(statuses).toEqual([401, 401, 429]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ ok: false, error: { code: 'limit_exceeded' } });
  });

  it('limits attempts per account name, whatever address they come from', async () => {
    fixture = await hubFixture({ hub: { login: { max: 3, windowMs: 60_000 }, trustProxy: '127.0.0.1' } });
    const from = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}` });
    const statuses = [];
    for (let i = 1; i <= 4; i++)
      statuses.push((await fixture.post('/api/auth/login', { account: AGENT.nick, password: `guess-${i}-xx` }, from(i))).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another account from yet another address still gets through.
    expect((await fixture.post('/api/auth/login', { account: OWNER.nick, password: OWNER.password }, from(9))).status).toBe(200);
  });

  it('answers every malformed request with a 4xx and a typed body', async () => {
    fixture = await hubFixture();
    const cases: [string, string | object, number][] = [
      ['not JSON', '{"account":', 400],
      ['an extra field', { account: 'a', password: 'b', role: 'owner' }, 400],
      ['a missing field', { account: 'a' }, 400],
      ['a number for a name', { account: 7, password: 'b' }, 400],
      ['a huge body', { account: 'a', password: 'x'.repeat(100_000) }, 413],
    ];
    for (const [what, body, status] of cases) {
      const r = await fixture.post('/api/auth/login', body);
      expect(r.status, what).toBe(status);
      expect(r.body, what).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
    }
    const nowhere = await fetch(`${fixture.base}/api/nowhere`);
    expect(nowhere.status).toBe(404);
    expect(await nowhere.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await fixture.post('/api/auth/logout', {})).status).toBe(401);
  });
});

describe('the hub socket', () => {
  it('refuses a socket without a token, or with one it does not know', async () => {
    fixture = await hubFixture();
    expect(await refusedDesk(fixture.hub, null)).toMatchObject({ status: 401, body: { ok: false, error: { code: 'unauthorized' } } });
    expect(await refusedDesk(fixture.hub, 'not-a-token')).toMatchObject({
      status: 401,
      body: { ok: false, error: { code: 'unauthorized' } },
    });
    expect(fixture.hub.sockets()).toBe(1);
  });

  it('carries a signed-in agent’s sync.push and sync.pull, and pokes other desks', async () => {
    fixture = await hubFixture();
    const { token } = await fixture.login(AGENT.nick, AGENT.password);
    const mei = await desk(fixture.hub, token);
    expect(await mei.call('app.info', {})).toMatchObject({ ok: true, value: { agent: { id: AGENT.id }, shop: { name: '小店' } } });
    const push = await mei.call('sync.push', {
      clientId: 'desk-mei',
      mutations: [{ mutationId: 'm1', name: 'tags.create', args: { id: 't1', name: '老客', color: '#aa3300' } }],
    });
    expect(push).toMatchObject({ ok: true, value: { results: [{ mutationId: 'm1', status: 'applied' }] } });
    const poke = await fixture.ownerDesk.until((m) => m.type === 'event' && m.name === 'sync.poked');
    expect(poke.payload).toMatchObject({ head: expect.any(Number) });
    const pull = await fixture.ownerDesk.call('sync.pull', { cursor: 0 });
    expect(pull).toMatchObject({
      ok: true,
      value: { kind: 'changes', changes: expect.arrayContaining([expect.objectContaining({ entity: 'tag', id: 't1' })]) },
    });
  });

  it('refuses an owner’s method to an agent, a sync client id that is another account’s, and sign-in over the socket', async () => {
    fixture = await hubFixture();
    const ownerPush = await fixture.ownerDesk.call('sync.push', { clientId: 'desk-owner', mutations: [] });
    expect(ownerPush).toMatchObject({ ok: true });
    const mei = await desk(fixture.hub, (await fixture.login(AGENT.nick, AGENT.password)).token);
    expect(await mei.call('accounts.list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await mei.call('accounts.create', { id: 'x2', nick: '我自己', role: 'supervisor', password: 'sneaky-pass' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await mei.call('sync.push', { clientId: 'desk-owner', mutations: [] })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await mei.call('session.switchAgent', { agentId: fixture.owner.agent.id })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await mei.call('auth.login', { account: OWNER.nick, password: OWNER.password })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await mei.call('app.info', {})).toMatchObject({ ok: true, value: { agent: { id: AGENT.id } } });
  });

  it('closes a disabled account’s socket at once and refuses it afterwards', async () => {
    fixture = await hubFixture();
    const { token } = await fixture.login(AGENT.nick, AGENT.password);
    const mei = await desk(fixture.hub, token);
    expect(await fixture.ownerDesk.call('accounts.disable', { agentId: AGENT.id })).toMatchObject({ ok: true, value: { disabled: true } });
    expect(await mei.closed).toBe(SOCKET_CLOSE.tokenRefused);
    expect((await refusedDesk(fixture.hub, token)).status).toBe(401);
    expect(fixture.ownerDesk.ws.readyState).toBe(fixture.ownerDesk.ws.OPEN);
  });

  it('closes the sockets of a session logged out over HTTP, and refuses its token after', async () => {
    fixture = await hubFixture();
    const { token } = await fixture.login(AGENT.nick, AGENT.password);
    const mei = await desk(fixture.hub, token);
    expect((await fixture.post('/api/auth/logout', {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect(await mei.closed).toBe(SOCKET_CLOSE.tokenRefused);
    expect((await refusedDesk(fixture.hub, token)).status).toBe(401);
    expect((await fixture.post('/api/auth/logout', {}, { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('refuses an expired token, and stops a socket whose session expired', async () => {
    fixture = await hubFixture({ core: { hub: { sessionTtlMs: 60_000 } } });
    const { token } = await fixture.login(AGENT.nick, AGENT.password);
    const mei = await desk(fixture.hub, token);
    fixture.tick(60_001);
    const answer = mei.call('app.info', {}).catch(() => null);
    expect(await mei.closed).toBe(SOCKET_CLOSE.tokenRefused);
    // The answer, when it made it out before the close, is the refusal.
    expect([null, 'unauthorized']).toContain(((await answer) as { error?: { code: string } } | null)?.error?.code ?? null);
    expect((await refusedDesk(fixture.hub, token)).status).toBe(401);
  });
});
