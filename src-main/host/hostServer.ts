import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Result } from '../../shared/contract/errors';
import type { EventName } from '../../shared/contract/events';
import { isDownloadPath, serveDownload, type DownloadOptions } from './downloads';
import { resolveStaticFile } from '../platform/staticFiles';

/** What the host needs of the core (a CoreClient, or a Core in-process in tests). */
export type CoreLike = {
  call(method: string, args: unknown): Promise<Result<unknown>>;
  on(listener: (name: EventName, payload: unknown) => void): () => void;
};

export type HostOptions = {
  core: CoreLike;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port?: number;
  /** Per-launch secret; made here when not given. */
  token?: string;
  /** Finished exports offered for download (`GET /downloads/<ticket>`); without it that route is 404. */
  downloads?: DownloadOptions;
};

export type Host = {
  url: string;
  origin: string;
  token: string;
  port: number;
  /**
   * Stops the transport as an outage would: every desk's socket is closed and new ones are refused
   * until `resume` (the page itself is still served). For tests and the offline demo.
   */
  pause(): void;
  resume(): void;
  paused(): boolean;
  close(): Promise<void>;
};

/** Room for a 20 MB import file as base64 in one call. */
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Browser mode: serves the renderer on 127.0.0.1 and carries the contract over a WebSocket.
 * Only loopback is bound; the Host header must name this server (against DNS rebinding); the
 * socket needs the page's own Origin and the per-launch token, which the printed URL carries in
 * its fragment (never sent in a request line, never logged).
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  let port = options.port ?? 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  let paused = false;
  const pause = () => {
    paused = true;
    for (const client of wss.clients) client.close(1013, 'paused');
  };
  const resume = () => {
    paused = false;
  };

  const server = http.createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('Misdirected request');
      return;
    }
    if (isDownloadPath(req.url)) {
      if (options.downloads) void serveDownload(req, res, options.downloads);
      else res.writeHead(404).end();
      return;
    }
    const action = /^\/dev\/transport\/(pause|resume)$/.exec(req.url ?? '')?.[1];
    if (action) {
      // The launch token guards it (it already grants the whole contract); a page of another origin cannot send the header.
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const origin = req.headers.origin;
      if (req.method !== 'POST' || !sameSecret(bearer, token) || (origin !== undefined && origin !== `http://${req.headers.host}`)) {
        res.writeHead(req.method !== 'POST' ? 405 : 403).end();
        return;
      }
      if (action === 'pause') pause();
      else resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ paused }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const found = resolveStaticFile(options.rendererDir, req.url ?? '/');
    if (!found) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': found.type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(found.file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const host = req.headers.host ?? '';
    const url = new URL(req.url ?? '/', `http://${host || '127.0.0.1'}`);
    const origin = req.headers.origin ?? '';
    const okHost = allowedHosts().has(host);
    const okOrigin = origin === `http://${host}`;
    const okToken = sameSecret(url.searchParams.get('token') ?? '', token);
    if (url.pathname !== '/ws' || !okHost || !okOrigin || !okToken) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    if (paused) {
      socket.write('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data) => {
      let message: { type?: unknown; id?: unknown; method?: unknown; args?: unknown };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return; // not ours: ignore rather than crash
      }
      if (message.type !== 'call' || typeof message.id !== 'number' || typeof message.method !== 'string') return;
      const id = message.id;
      void options.core.call(message.method, message.args).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id, result }));
      });
    });
  });

  const unsubscribe = options.core.on((name, payload) => {
    const text = JSON.stringify({ type: 'event', name, payload });
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    pause,
    resume,
    paused: () => paused,
    close: async () => {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
