import { afterEach, describe, expect, it, vi } from 'vitest';
import { takeToken, webSocketClient } from './client';

/** A socket the test opens, answers and drops by hand. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: { type: string; id: number; method: string; args: unknown }[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as FakeSocket['sent'][number]);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  reply(id: number, result: unknown) {
    this.onmessage?.({ data: JSON.stringify({ type: 'result', id, result }) });
  }
}

afterEach(() => {
  FakeSocket.all = [];
  vi.useRealTimers();
});

const make = () =>
  webSocketClient({ url: 'ws://127.0.0.1:1/ws?token=t', createSocket: (url) => new FakeSocket(url), retryMs: 100, callTimeoutMs: 5_000 });

describe('the browser-mode client', () => {
  it('holds calls made while connecting and sends them in order once open', async () => {
    const client = make();
    const a = client.call('stats.counts', {});
    const b = client.call('app.info', {});
    const socket = FakeSocket.all[0]!;
    expect(socket.sent).toHaveLength(0);
    socket.open();
    expect(socket.sent.map((m) => m.method)).toEqual(['stats.counts', 'app.info']);
    socket.reply(socket.sent[1]!.id, { ok: true, value: 'info' });
    socket.reply(socket.sent[0]!.id, { ok: true, value: 'counts' });
    expect(await a).toEqual({ ok: true, value: 'counts' });
    expect(await b).toEqual({ ok: true, value: 'info' });
    client.close();
  });

  it('answers a call cut off by a dropped connection as unavailable, and reconnects', async () => {
    vi.useFakeTimers();
    const client = make();
    const states: string[] = [];
    client.onConnection((s) => states.push(s));
    FakeSocket.all[0]!.open();
    const call = client.call('messages.send', { id: 'm1', conversationId: 'c1', text: '在的' });
    FakeSocket.all[0]!.drop();
    const result = await call;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('unavailable');
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.open();
    expect(states).toEqual(['open', 'closed', 'connecting', 'open']);
    client.close();
  });

  it('reconnects forever after the host goes away, with jittered delays doubling from 0.5 s to at most 10 s', async () => {
    vi.useFakeTimers();
    const draws = [0, 1, 0.5];
    let n = 0;
    const client = webSocketClient({
      url: 'ws://127.0.0.1:1/ws?token=t',
      createSocket: (url) => new FakeSocket(url),
      random: () => draws[n++ % 3]!,
    });
    const gaps: number[] = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      const count = FakeSocket.all.length;
      FakeSocket.all[count - 1]!.drop();
      const from = Date.now();
      while (FakeSocket.all.length === count) await vi.advanceTimersByTimeAsync(50);
      gaps.push(Date.now() - from);
    }
    const ceilings = gaps.map((_, i) => Math.min(10_000, 500 * 2 ** i));
    gaps.forEach((gap, i) => {
      expect(gap, `attempt ${i}`).toBeGreaterThanOrEqual(ceilings[i]! / 2);
      expect(gap, `attempt ${i}`).toBeLessThanOrEqual(ceilings[i]! + 50);
    });
    expect(new Set(gaps.slice(10)).size, 'jittered, not in step').toBeGreaterThan(1);
    // open again: the next drop starts from 0.5 s
    FakeSocket.all.at(-1)!.open();
    FakeSocket.all.at(-1)!.drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeSocket.all).toHaveLength(42);
    client.close();
  });

  it("stops and says so when the host refuses the page's token (an address out of date)", async () => {
    vi.useFakeTimers();
    const client = make();
    const states: string[] = [];
    client.onConnection((s) => states.push(s));
    const waiting = client.call('stats.counts', {});
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.drop(4401);
    expect(client.connection()).toBe('refused');
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await client.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(states).toEqual(['open', 'refused']);
    client.close();
  });

  it('delivers core events to subscribers and ignores events the contract does not name', () => {
    const client = make();
    const seen: unknown[] = [];
    client.on('sync.poked', (p) => seen.push(p));
    const socket = FakeSocket.all[0]!;
    socket.open();
    socket.onmessage?.({ data: JSON.stringify({ type: 'event', name: 'sync.poked', payload: { head: 7 } }) });
    socket.onmessage?.({ data: JSON.stringify({ type: 'event', name: 'evil.event', payload: {} }) });
    socket.onmessage?.({ data: 'not json' });
    expect(seen).toEqual([{ head: 7 }]);
    client.close();
  });

  it('takes the launch token out of the address bar and keeps it for a reload', () => {
    window.history.replaceState(null, '', '/?lang=en#token=abc_DEF-123');
    sessionStorage.clear();
    expect(takeToken(window.location, sessionStorage, window.history)).toBe('abc_DEF-123');
    expect(window.location.hash).toBe('');
    expect(window.location.search).toBe('?lang=en');
    expect(takeToken(window.location, sessionStorage, window.history)).toBe('abc_DEF-123');
  });
});
