import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { Result } from '../../shared/contract/errors';
import type { CoreLink } from '../core/coreLink';
import { markShared, sharedUtf8 } from '../platform/sharedAnswer';
import { DEFAULT_LIMITS, startSession } from './socketSession';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A pull page as the core shares it between desks: Chinese, an emoji, quotes, escapes, a lone surrogate. */
const PAGE = markShared({
  kind: 'changes',
  head: 42,
  changes: [
    { seq: 41, entity: 'message', row: { text: '在吗？亲，这件有货吗 😀', quote: 'a "quoted" \\ back\nslash' } },
    { seq: 42, entity: 'conversation', row: { preview: '\u0000\u001f\u2028\u2029', odd: '\ud800' } },
  ],
});

/** Sockets served by startSession over a core that answers `sync.pull` with the shared page and anything else with its own object. */
async function served(): Promise<string> {
  const core: CoreLink = {
    call: (method, args): Promise<Result<unknown>> =>
      Promise.resolve(method === 'sync.pull' ? { ok: true, value: PAGE } : { ok: true, value: { echo: args, 中文: '好的' } }),
    disconnect: () => undefined,
    on: () => () => undefined,
  };
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  let n = 0;
  server.on('connection', (ws) => {
    startSession(ws, { core, connection: `test:${++n}`, limits: DEFAULT_LIMITS, onClosed: () => undefined });
  });
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  );
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A desk's socket: sends calls, collects every frame as it arrives (its text, and whether it was binary). */
async function desk(url: string) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  cleanup.push(() => ws.terminate());
  const frames: { text: string; binary: boolean }[] = [];
  ws.on('message', (data, isBinary) => frames.push({ text: (data as Buffer).toString('utf8'), binary: isBinary }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    frames,
    call: (id: number, method: string, args: unknown) => ws.send(JSON.stringify({ type: 'call', id, method, args })),
  };
}

describe('socket sessions: what a desk receives', () => {
  it('a shared answer reaches every socket as the same text frame a per-socket JSON.stringify made, encoded to UTF-8 once', async () => {
    const url = await served();
    const desks = await Promise.all([desk(url), desk(url), desk(url)]);
    desks.forEach((d, i) => {
      d.call(7 + i, 'sync.pull', { cursor: 40, limit: 100 });
      d.call(100 + i, 'app.info', {});
    });
    await expect.poll(() => desks.every((d) => d.frames.length === 2), { timeout: 5_000 }).toBe(true);
    desks.forEach((d, i) => {
      const byId = new Map(d.frames.map((f) => [(JSON.parse(f.text) as { id: number }).id, f]));
      // The frame as the session wrote it before the shared bytes: text, and the very same characters.
      expect(byId.get(7 + i)).toEqual({
        text: JSON.stringify({ type: 'result', id: 7 + i, result: { ok: true, value: PAGE } }),
        binary: false,
      });
      expect(byId.get(100 + i)).toEqual({
        text: JSON.stringify({ type: 'result', id: 100 + i, result: { ok: true, value: { echo: {}, 中文: '好的' } } }),
        binary: false,
      });
      expect((JSON.parse(byId.get(7 + i)!.text) as { result: { value: unknown } }).result.value).toEqual(PAGE);
    });
    // One encoding for all of them.
    expect(sharedUtf8(PAGE)).toBe(sharedUtf8(PAGE));
    expect(sharedUtf8(PAGE)!.equals(Buffer.from(JSON.stringify(PAGE), 'utf8'))).toBe(true);
    expect(sharedUtf8({ not: 'marked' })).toBeUndefined();
  });
});
