import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../shared/contract/socket';
import { startHost, type Host } from './hostServer';
import { desk, echoCore, rawRequest, rendererDir, request } from './testing/hostKit';

/** Requests and frames no desk sends: each is answered 4xx, refused by type or closed with a code, and the host stays up. */
let host: Host;
let renderer: string;
let outside: string;

beforeAll(async () => {
  renderer = rendererDir();
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-outside-'));
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'not for the page');
  fs.mkdirSync(path.join(renderer, 'assets'));
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'export {}');
  fs.symlinkSync('/etc/passwd', path.join(renderer, 'passwd'));
  fs.symlinkSync(outside, path.join(renderer, 'elsewhere'));
  fs.symlinkSync(path.join(renderer, 'assets', 'app.js'), path.join(renderer, 'alias.js'));
  host = await startHost({ core: echoCore().core, rendererDir: renderer });
});
afterAll(async () => {
  await host.close();
  fs.rmSync(outside, { recursive: true, force: true });
});

async function stillServes() {
  expect((await request(host.port, '/')).status).toBe(200);
  const d = await desk(host);
  expect(await d.call('app.info', {})).toMatchObject({ ok: true });
  d.ws.close();
}

const upgrade = (hostHeader: string, extra = '') =>
  `GET /ws?token=${host.token} HTTP/1.1\r\nHost: ${hostHeader}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

describe('malformed HTTP', () => {
  it('answers each with a 4xx and keeps serving', async () => {
    const p = host.port;
    const cases: [string, string | Buffer][] = [
      ['an upgrade naming host [', upgrade('[', `Origin: http://[\r\n`)],
      ['an upgrade without an origin', upgrade(`127.0.0.1:${p}`)],
      ['an upgrade from another origin', upgrade(`127.0.0.1:${p}`, 'Origin: http://evil.example\r\n')],
      ['an upgrade to another path', upgrade(`127.0.0.1:${p}`, `Origin: http://127.0.0.1:${p}\r\n`).replace('/ws?', '/nope?')],
      ['a page for host [', 'GET / HTTP/1.1\r\nHost: [\r\n\r\n'],
      ['no host at all', 'GET / HTTP/1.0\r\n\r\n'],
      ['huge headers', `GET / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`],
      ['an unknown method', `BREW / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n\r\n`],
      ['a method the host does not serve', `DELETE / HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n\r\n`],
      ['garbage', Buffer.from([0, 1, 2, 255, 13, 10, 13, 10])],
      ['a request line without a path', `GET  HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n\r\n`],
      ['a NUL in the path', `GET /index.html%00.js HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n\r\n`],
      ['broken percent-encoding', `GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n\r\n`],
      ['traversal', `GET /../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n\r\n`],
      ['encoded traversal', `GET /..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\n\r\n`],
      [
        'a big body on the pause route',
        `POST /dev/transport/pause HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n${'x'.repeat(200_000)}`,
      ],
      ['a lying content length', `POST /dev/transport/pause HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nContent-Length: abc\r\n\r\n`],
    ];
    for (const [what, bytes] of cases) {
      const status = await rawRequest(p, bytes);
      expect(status, what).toBeGreaterThanOrEqual(400);
      expect(status, what).toBeLessThan(500);
    }
    expect(host.paused()).toBe(false);
    await stillServes();
  });

  it('serves nothing through a symbolic link that leaves the renderer folder', async () => {
    expect((await request(host.port, '/passwd')).status).toBe(404);
    expect((await request(host.port, '/elsewhere/secret.txt')).status).toBe(404);
    const inside = await request(host.port, '/alias.js');
    expect(inside.status).toBe(200);
    expect(inside.body).toBe('export {}');
  });
});

describe('hostile frames on an accepted socket', () => {
  it('refuses what is not a call by type, answering by id where it has one', async () => {
    const d = await desk(host);
    const frames = [
      'null',
      '42',
      '"call"',
      '[]',
      '{}',
      'not json',
      '{"type":"call"}',
      '{"type":"call","id":-1,"method":"app.info"}',
      '{"type":"call","id":1.5,"method":"app.info"}',
    ];
    for (const f of frames) d.ws.send(f);
    d.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await d.until((m) => m.type === 'refused', frames.length + 1);
    d.ws.send(JSON.stringify({ type: 'subscribe', id: 5 }));
    d.ws.send(JSON.stringify({ type: 'call', id: 6, method: '' }));
    d.ws.send(JSON.stringify({ type: 'call', id: 7, method: 'x'.repeat(10_000) }));
    d.ws.send(`{"type":"call","id":8,"method":"app.info","args":${'{"a":'.repeat(5000)}{}${'}'.repeat(5000)}}`);
    d.ws.send('{"type":"call","id":9,"method":"customers.setRemark","args":{"__proto__":{"isAdmin":true}}}');
    d.ws.send('{"type":"call","id":10,"method":"sync.push","args":{"mutations":[{"args":{"constructor":{"prototype":{"x":1}}}}]}}');
    const answers = await d.until((m) => m.type === 'result', 6);
    for (const a of answers) expect(a.result, `frame ${a.id}`).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(answers.map((a) => a.id).sort((x, y) => x! - y!)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    // the same socket still works
    expect(await d.call('app.info', {})).toMatchObject({ ok: true });
    d.ws.close();
  });

  it("closes with the protocol's code on invalid UTF-8, an oversized frame or a broken frame", async () => {
    const utf8 = await desk(host);
    utf8.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await utf8.closed).toBe(1007);

    const big = await desk(host);
    big.ws.send('x'.repeat(MAX_FRAME_BYTES + 1));
    expect(await big.closed).toBe(1009);

    // Frames written under the client library: an unmasked one, an unknown opcode, reserved bits set.
    for (const raw of [
      Buffer.from([0x81, 0x02, 0x68, 0x69]),
      Buffer.from([0x83, 0x80, 0, 0, 0, 0]),
      Buffer.from([0xf1, 0x80, 0, 0, 0, 0]),
    ]) {
      const broken = await desk(host);
      (broken.ws as unknown as { _socket: NodeJS.WritableStream })._socket.write(raw);
      expect(await broken.closed).toBe(1002);
    }
    await expect.poll(() => host.sockets(), { message: 'the closed sockets are forgotten' }).toBe(0);
    await stillServes();
  });
});
