import { afterEach, describe, expect, it } from 'vitest';
import { ok, type Result } from '../../shared/contract/errors';
import { startHost, type Host } from './hostServer';
import { desk, echoCore, rendererDir } from './testing/hostKit';

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** A core whose calls wait until the test lets them go, as a busy core thread would. */
function heldCore() {
  const held: (() => void)[] = [];
  const fake = echoCore(
    (method) =>
      new Promise<Result<unknown>>((resolve) => {
        held.push(() => resolve(ok(method)));
      }),
  );
  return { ...fake, releaseAll: () => held.splice(0).forEach((go) => go()) };
}

/** A core thread: one call at a time, first come first served (as the worker's message queue). */
function serialCore() {
  let chain = Promise.resolve();
  return echoCore((method, args) => {
    const answer = chain.then(() => new Promise<Result<unknown>>((resolve) => setImmediate(() => resolve(ok({ method, args })))));
    chain = answer.then(() => undefined);
    return answer;
  });
}

const call = (id: number, method = 'stats.counts') => JSON.stringify({ type: 'call', id, method, args: {} });

describe('per-socket limits', () => {
  it('lets one socket have at most maxInFlight calls in the core; the rest wait their turn and are all answered', async () => {
    const fake = heldCore();
    host = await startHost({ core: fake.core, rendererDir: rendererDir() });
    const d = await desk(host);
    for (let i = 1; i <= 100; i++) d.ws.send(call(i));
    d.ws.send('null'); // refused at once: when its answer is back, the host has read every call before it
    await d.until((m) => m.type === 'refused');
    expect(fake.calls).toHaveLength(32);
    while (fake.calls.length < 100) {
      const before = fake.calls.length;
      fake.releaseAll();
      await expect.poll(() => fake.calls.length > before, { message: 'waiting calls move up as answers leave' }).toBe(true);
      expect(fake.calls.length).toBeLessThanOrEqual(before + 32);
    }
    fake.releaseAll();
    const answers = await d.until((m) => m.type === 'result', 100);
    expect(answers.every((a) => a.result?.ok)).toBe(true);
  });

  it("refuses calls past the queue's bound with limit_exceeded, answering each by id", async () => {
    const fake = heldCore();
    host = await startHost({ core: fake.core, rendererDir: rendererDir(), limits: { maxInFlight: 2, maxQueued: 5 } });
    const d = await desk(host);
    for (let i = 1; i <= 20; i++) d.ws.send(call(i));
    const refused = await d.until((m) => m.type === 'result' && m.result?.ok === false, 13);
    expect(refused.every((m) => !m.result?.ok && m.result?.error.code === 'limit_exceeded')).toBe(true);
    expect(refused.map((m) => m.id)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    for (let served = 2; served <= 7; served = Math.min(7, served + 2)) {
      fake.releaseAll();
      await d.until((m) => m.result?.ok === true, served);
      if (served === 7) break;
    }
    expect(d.heard.filter((m) => m.result?.ok).map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('drops the waiting calls of a socket that closed: the core never runs them', async () => {
    const fake = heldCore();
    host = await startHost({ core: fake.core, rendererDir: rendererDir() });
    const gone = await desk(host);
    for (let i = 1; i <= 500; i++) gone.ws.send(call(i));
    gone.ws.send('null');
    await gone.until((m) => m.type === 'refused');
    const connection = fake.calls[0]!.connection!;
    gone.ws.close();
    await expect.poll(() => fake.disconnected, { message: 'the core hears the connection is gone' }).toEqual([connection]);
    fake.releaseAll();
    // Another desk's call goes through the same core after the released ones have settled.
    const other = await desk(host);
    const answer = other.call('app.info', {});
    await expect.poll(() => fake.calls.length).toBe(33);
    fake.releaseAll();
    expect(await answer).toMatchObject({ ok: true });
    expect(fake.calls.filter((c) => c.connection === connection)).toHaveLength(32);
  });

  it("answers a desk's call while another floods 10,000 calls, long before the flood drains", async () => {
    const fake = serialCore();
    host = await startHost({ core: fake.core, rendererDir: rendererDir() });
    const flood = await desk(host);
    const calm = await desk(host);
    for (let i = 1; i <= 10_000; i++) flood.ws.send(call(i));
    flood.ws.send('null'); // when its refusal is back, the host has read the whole flood
    await flood.until((m) => m.type === 'refused');
    const admitted = 10_000 - flood.heard.filter((m) => m.result?.ok === false).length;
    const servedBefore = flood.heard.filter((m) => m.result?.ok).length;
    expect(admitted).toBeGreaterThan(servedBefore + 100);
    const answer = await calm.call('app.info', {});
    const servedAfter = flood.heard.filter((m) => m.result?.ok).length;
    expect(answer).toMatchObject({ ok: true });
    // Served behind at most the flood's places in the core (32), not behind the rest of its admitted calls.
    expect(servedAfter - servedBefore).toBeLessThanOrEqual(32 + 1);
    await flood.until((m) => m.result?.ok === true, admitted);
  });

  it('cuts a socket that does not read its answers once they pile up past the bound', async () => {
    const big = 'x'.repeat(256 * 1024);
    const fake = echoCore(async () => ok(big));
    host = await startHost({ core: fake.core, rendererDir: rendererDir(), limits: { maxUnreadBytes: 1024 * 1024 } });
    const reader = await desk(host);
    const sleeper = await desk(host);
    sleeper.ws.pause();
    for (let i = 1; i <= 400; i++) sleeper.ws.send(call(i));
    await expect.poll(() => host!.sockets(), { message: 'the sleeping socket is cut', timeout: 20_000 }).toBe(1);
    expect(fake.disconnected).toHaveLength(1);
    expect(await reader.call('app.info', {})).toMatchObject({ ok: true });
  });

  it('refuses a socket past the number of desks it serves', async () => {
    host = await startHost({ core: echoCore().core, rendererDir: rendererDir(), maxSockets: 2 });
    await desk(host);
    const second = await desk(host);
    await expect(desk(host)).rejects.toThrow(/503/);
    second.ws.close();
    await expect.poll(() => host!.sockets()).toBe(1);
    await desk(host);
  });
});
