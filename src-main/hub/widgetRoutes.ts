import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from '../../shared/contract/errors';
import { clientId as clientIdSchema, WIDGET_FRAME_MAX_BYTES } from '../../shared/channels/widgetProtocol';
import { bearer, sendError } from './http';
import type { WidgetSockets } from './widgetSockets';

/** A buyer's picture may be this large (the core checks it again, by its content). */
export const WIDGET_IMAGE_MAX_BYTES = 5 * 1024 * 1024;

export type WidgetRouteOptions = {
  channel: (op: string, args: unknown) => Promise<Result<unknown>>;
  sockets: WidgetSockets;
  /** The built widget (dist/widget: widget.js, chat.js, chat.css); found next to the bundle by default. */
  widgetDir?: string | undefined;
  /** Image uploads per client address in each minute. */
  imagesPerMinute?: number;
};

/** dist/widget, from the bundle (dist/main/<entry>/) or from source (src-main/hub/). */
function defaultWidgetDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../widget'), path.resolve(here, '../../dist/widget')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'widget.js'))) ?? candidates[1]!;
}

type Asset = { body: Buffer; etag: string; type: string };

/** The chat page: the same for every visitor (words and settings come with the script), so it is static text. */
function chatPage(lang: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Jiedai</title>
<link rel="stylesheet" href="/widget/chat.css">
<script src="/widget/chat.js" defer></script>
</head>
<body><main id="jiedai-chat" aria-live="polite"></main></body>
</html>
`;
}

/** The Content-Security-Policy of the chat page: its own script and style only, no inline code, framed only where the owner said. */
function chatPolicy(allowedOrigins: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${allowedOrigins.length > 0 ? allowedOrigins.join(' ') : '*'}`,
  ].join('; ');
}

/**
 * The web chat widget's face on the hub (issue 13): its script for the shop's pages (`/widget.js`),
 * the chat page (`/chat`, in the widget's frame or full page for a QR code) with its assets, the
 * visitor's socket (`/widget/ws`), and pictures (`POST /widget/images`, `GET /widget/images/:id`).
 * Everything a visitor sends is bounded and rate-limited; their pictures are served to them alone
 * (and to the shop's desks through the contract), with a policy that runs nothing.
 */
export async function registerWidgetRoutes(app: FastifyInstance, options: WidgetRouteOptions): Promise<void> {
  const dir = options.widgetDir ?? defaultWidgetDir();
  const assets = new Map<string, Asset>();
  const asset = (name: string, type: string): Asset | null => {
    const cached = assets.get(name);
    if (cached) return cached;
    try {
      const body = fs.readFileSync(path.join(dir, name));
      const found = { body, etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, type };
      assets.set(name, found);
      return found;
    } catch {
      return null;
    }
  };
  const serve = (request: FastifyRequest, reply: FastifyReply, name: string, type: string, cache: string) => {
    const found = asset(name, type);
    if (!found) return sendError(reply, { code: 'unavailable', message: 'the widget is not built (npm run build:widget)' });
    reply.headers({
      'content-type': found.type,
      'cache-control': cache,
      etag: found.etag,
      // The loader runs on the shop's own pages: another origin may load it.
      'cross-origin-resource-policy': 'cross-origin',
    });
    if (request.headers['if-none-match'] === found.etag) return reply.code(304).send();
    return reply.send(found.body);
  };
  const page = async () => {
    const r = await options.channel('widget.page', {});
    return r.ok ? (r.value as { enabled: boolean; allowedOrigins: string[] }) : { enabled: false, allowedOrigins: [] };
  };

  app.get('/widget.js', (request, reply) => serve(request, reply, 'widget.js', 'text/javascript; charset=utf-8', 'public, max-age=300'));
  app.get('/widget/chat.js', (request, reply) =>
    serve(request, reply, 'chat.js', 'text/javascript; charset=utf-8', 'public, max-age=3600'),
  );
  app.get('/widget/chat.css', (request, reply) => serve(request, reply, 'chat.css', 'text/css; charset=utf-8', 'public, max-age=3600'));

  app.get('/chat', async (request, reply) => {
    const settings = await page();
    const lang = /^en\b/i.test(String((request.query as { lang?: unknown }).lang ?? request.headers['accept-language'] ?? ''))
      ? 'en'
      : 'zh-CN';
    return reply
      .headers({
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': chatPolicy(settings.allowedOrigins),
        'cache-control': 'no-cache',
      })
      .send(chatPage(lang));
  });

  app.get(
    '/widget/ws',
    {
      websocket: true,
      preHandler: async (request, reply) => {
        // Only the chat page (the hub's own origin) opens this socket: another site's script cannot drive a visitor's chat.
        const origin = request.headers.origin;
        const host = request.headers.host;
        const sameOrigin = (() => {
          try {
            return !!origin && !!host && new URL(origin).host === host;
          } catch {
            return false;
          }
        })();
        if (!sameOrigin)
          return reply.code(403).send({ ok: false, error: { code: 'unauthorized', message: 'the chat socket is for the chat page' } });
        if (!options.sockets.admit(request.ip))
          return sendError(reply, { code: 'unavailable', message: 'too many chats from here right now: try again later' });
      },
    },
    (ws, request) => {
      // ws takes the desks' frame size for every socket; a visitor's frames are far smaller (read before anything is buffered).
      (ws as unknown as { _receiver?: { _maxPayload: number } })._receiver!._maxPayload = WIDGET_FRAME_MAX_BYTES;
      options.sockets.attach(ws, request.ip);
    },
  );

  // Pictures: a raw body (the type is read from the bytes by the core, not from this header).
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      ['application/octet-stream', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'],
      { parseAs: 'buffer', bodyLimit: WIDGET_IMAGE_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );
    const perAddress = scope.createRateLimit({
      max: options.imagesPerMinute ?? 20,
      timeWindow: 60_000,
      keyGenerator: (r) => `widget-image:${r.ip}`,
    });

    scope.post('/widget/images', { bodyLimit: WIDGET_IMAGE_MAX_BYTES }, async (request, reply) => {
      const verdict = await perAddress(request);
      if (!verdict.isAllowed && verdict.isExceeded)
        return reply
          .code(429)
          .header('retry-after', String(Math.max(1, verdict.ttlInSeconds)))
          .send({ ok: false, error: { code: 'limit_exceeded', message: 'too many pictures: wait a moment' } });
      const client = clientIdSchema.safeParse(request.headers['x-client-id']);
      if (!client.success) return sendError(reply, { code: 'invalid_argument', message: 'send the picture with X-Client-Id' });
      if (!Buffer.isBuffer(request.body)) return sendError(reply, { code: 'invalid_argument', message: 'send the picture as its bytes' });
      const visitor = await visitorOf(request);
      if (visitor === false) return sendError(reply, { code: 'unauthorized', message: 'this visitor token is not valid' });
      const r = await options.channel('widget.image', { visitorId: visitor, clientId: client.data, bytes: new Uint8Array(request.body) });
      if (!r.ok) return sendError(reply, r.error);
      const sent = r.value as { token: string; message: unknown };
      return reply.code(201).send({ ok: true, token: sent.token, message: sent.message });
    });

    scope.get('/widget/images/:messageId', async (request, reply) => {
      const { messageId } = request.params as { messageId: string };
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(messageId)) return sendError(reply, { code: 'not_found', message: 'no such picture' });
      const visitor = await visitorOf(request);
      if (!visitor) return sendError(reply, { code: 'not_found', message: 'no such picture' });
      const r = await options.channel('widget.imageFile', { visitorId: visitor, messageId });
      if (!r.ok) return sendError(reply, r.error);
      const file = r.value as { mime: string; bytes: Uint8Array };
      return reply
        .headers({
          'content-type': file.mime,
          'content-security-policy': "default-src 'none'; sandbox",
          'content-disposition': 'inline',
          'cache-control': 'private, max-age=86400',
        })
        .send(Buffer.from(file.bytes));
    });
  });

  /** The visitor a request's token stands for: null without a token (a first message), false for a bad one. */
  async function visitorOf(request: FastifyRequest): Promise<string | null | false> {
    const header = request.headers['x-visitor-token'];
    const token = typeof header === 'string' && header.length > 0 ? header : (bearer(request) ?? null);
    if (token === null) return null;
    const r = await options.channel('widget.verify', { token });
    const found = r.ok ? (r.value as { visitorId: string } | null) : null;
    return found ? found.visitorId : false;
  }
}
