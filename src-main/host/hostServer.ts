import crypto from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { MAX_FRAME_BYTES, SOCKET_CLOSE } from '../../shared/contract/socket';
import type { CoreLink } from '../core/coreLink';
import { DEFAULT_LIMITS, startSession, type Session, type SessionLimits } from './socketSession';
import { resolveStaticFile } from '../platform/staticFiles';
import { serveDownload, type DownloadOptions } from './downloads';

export type HostOptions = {
  core: CoreLink;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port?: number;
  /** The desks' secret; made here when not given (server.ts keeps one per data folder: hostToken.ts). */
  token?: string;
  /** Finished exports offered for download (`GET /downloads/<ticket>`); without it that route is 404. */
  downloads?: DownloadOptions;
  /** Per-socket bounds (tests lower them). */
  limits?: Partial<SessionLimits>;
  /** Desks connected at once; one more is refused with 503. */
  maxSockets?: number;
  /** More routes (e.g. downloads), registered behind the same Host check. */
  routes?: (app: FastifyInstance, guard: { token: string; bearerOk: (request: FastifyRequest) => boolean }) => void;
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
  /** Desks connected now (tests). */
  sockets(): number;
  close(): Promise<void>;
};

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

const text = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/plain; charset=utf-8').send(body);

/**
 * Browser mode: serves the renderer on 127.0.0.1 and carries the contract over a WebSocket, on
 * fastify and @fastify/websocket (their parsers, limits and error handling rather than our own).
 * Only loopback is bound; the Host header must name this server (against DNS rebinding); the socket
 * needs the page's own Origin and the token, which the printed URL carries in its fragment (never
 * sent in a request line, never logged). Every malformed request is answered 4xx; every malformed
 * frame gets a typed refusal or a close with a code (socketSession.ts, frames.ts).
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const maxSockets = options.maxSockets ?? 64;
  let port = options.port ?? 0;
  let allowedHosts = new Set<string>();
  const sessions = new Set<Session>();
  let paused = false;

  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 1000 },
    // Every request's Host is checked against the bound port, so fastify's own host parsing is not needed.
    http: { maxHeaderSize: 16 * 1024 },
  });
  await app.register(fastifyWebsocket, {
    options: { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false },
    // ws has already answered a protocol error (invalid UTF-8: 1007, too big: 1009, bad frame: 1002)
    // with a close; this only keeps the error from being thrown.
    errorHandler: (_error, socket) => {
      if (socket.readyState === socket.OPEN) socket.close(1011, 'error');
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!allowedHosts.has(request.headers.host ?? '')) return text(reply, 421, 'Misdirected request');
    // @fastify/websocket would upgrade on any GET route and then close; only /ws takes a socket.
    if (request.ws && request.routeOptions.url !== '/ws') return text(reply, 404, 'Not found');
    reply.headers({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-cache' });
  });

  const bearerOk = (request: FastifyRequest) => {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const origin = request.headers.origin;
    // A page of another origin cannot send the header; and the token already grants the whole contract.
    return sameSecret(bearer, token) && (origin === undefined || origin === `http://${request.headers.host}`);
  };

  const pause = () => {
    paused = true;
    for (const session of [...sessions]) session.close(SOCKET_CLOSE.tryLater, 'paused');
  };
  const resume = () => {
    paused = false;
  };

  app.post('/dev/transport/:action', async (request, reply) => {
    const { action } = request.params as { action: string };
    if (action !== 'pause' && action !== 'resume') return text(reply, 404, 'Not found');
    if (!bearerOk(request)) return reply.code(403).send();
    if (action === 'pause') pause();
    else resume();
    return reply.send({ paused });
  });

  app.get(
    '/ws',
    {
      websocket: true,
      preHandler: async (request, reply) => {
        const origin = request.headers.origin ?? '';
        if (origin !== `http://${request.headers.host}`) return reply.code(403).send();
        if (paused || sessions.size >= maxSockets) return reply.code(503).send();
      },
    },
    (ws, request) => {
      // A wrong token (an address from an earlier launch or another data folder) gets a socket closed
      // with a code the page can read and explain; a refused handshake would look like an outage.
      const query = request.query as Record<string, unknown>;
      if (!sameSecret(typeof query.token === 'string' ? query.token : '', token)) {
        ws.close(SOCKET_CLOSE.tokenRefused, 'token refused');
        return;
      }
      const session = startSession(ws, {
        core: options.core,
        connection: crypto.randomUUID(),
        limits,
        onClosed: () => sessions.delete(session),
      });
      sessions.add(session);
    },
  );

  // The ticket came over the token-guarded socket; downloads.ts checks it, and the real path, itself.
  const downloads = options.downloads;
  if (downloads) {
    app.get('/downloads/:ticket', async (request, reply) => {
      reply.hijack();
      await serveDownload(request.raw, reply.raw, downloads);
    });
  }
  options.routes?.(app, { token, bearerOk });

  const csp = () =>
    [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');

  app.get('/*', async (request, reply) => {
    const found = resolveStaticFile(options.rendererDir, request.raw.url ?? '/');
    if (!found) return text(reply, 404, 'Not found');
    reply.header('content-security-policy', csp()).type(found.type);
    return reply.send(fs.createReadStream(found.file));
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(reply, 405, 'Method not allowed');
    return text(reply, 404, 'Not found');
  });
  app.setErrorHandler(async (error: { statusCode?: number }, _request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return text(reply, status, status === 500 ? 'Internal error' : 'Bad request');
  });

  const unsubscribe = options.core.on((name, payload) => {
    const message = JSON.stringify({ type: 'event', name, payload });
    for (const session of [...sessions]) session.event(message);
  });

  try {
    await app.listen({ port, host: '127.0.0.1' });
  } catch (error) {
    unsubscribe();
    await app.close();
    throw error;
  }
  port = (app.server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    pause,
    resume,
    paused: () => paused,
    sockets: () => sessions.size,
    close: async () => {
      unsubscribe();
      for (const session of [...sessions]) session.terminate();
      await app.close();
    },
  };
}
