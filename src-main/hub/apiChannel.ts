import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REPLY_MAX_CHARS } from '../../shared/domain/replyRules';
import { IMAGE_MAX_BYTES, IMAGE_MIMES } from '../../shared/domain/images';
import type { Result } from '../../shared/contract/errors';
import type { InboundAnswer } from '../core/channelSeam';
import { bearer, sendError } from './http';
import { openApiDocument } from './openApi';

export type ApiChannelOptions = {
  channel: (op: string, args: unknown) => Promise<Result<unknown>>;
  /** Requests per token, and per client address, in each window (the API's own limits, apart from sign-in's). */
  perToken?: { max: number; windowMs: number };
  perAddress?: { max: number; windowMs: number };
};

export const API_BODY_LIMIT = 64 * 1024;

const messageBody = {
  type: 'object',
  required: ['buyer', 'text'],
  additionalProperties: false,
  properties: {
    buyer: {
      type: 'object',
      required: ['externalId', 'nick'],
      additionalProperties: false,
      properties: {
        externalId: { type: 'string', minLength: 1, maxLength: 200 },
        nick: { type: 'string', minLength: 1, maxLength: 64 },
        source: { type: 'string', minLength: 1, maxLength: 32 },
        acceptsImages: { type: 'boolean' },
      },
    },
    text: { type: 'string', minLength: 1, maxLength: REPLY_MAX_CHARS * 2 },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

const replyBody = {
  type: 'object',
  required: ['buyer', 'text'],
  additionalProperties: false,
  properties: {
    buyer: {
      type: 'object',
      required: ['externalId'],
      additionalProperties: false,
      properties: {
        externalId: { type: 'string', minLength: 1, maxLength: 200 },
        source: { type: 'string', minLength: 1, maxLength: 32 },
      },
    },
    text: { type: 'string', minLength: 1, maxLength: REPLY_MAX_CHARS * 2 },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

/** A bridge's picture reply names its buyer in the query (the body is the picture's bytes). */
const replyImageQuery = {
  type: 'object',
  required: ['externalId'],
  additionalProperties: false,
  properties: {
    externalId: { type: 'string', minLength: 1, maxLength: 200 },
    source: { type: 'string', minLength: 1, maxLength: 32 },
  },
} as const;

/** A little over the largest picture, so the core's check answers a slightly larger one with its own typed refusal. */
const REPLY_IMAGE_BODY_LIMIT = IMAGE_MAX_BYTES + 64 * 1024;

const imageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { exp: { type: 'string', pattern: '^[0-9]{1,12}$' }, sig: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
} as const;

const messagesQuery = {
  type: 'object',
  required: ['externalId'],
  additionalProperties: false,
  properties: {
    externalId: { type: 'string', minLength: 1, maxLength: 200 },
    source: { type: 'string', minLength: 1, maxLength: 32 },
    limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
    beforeId: { type: 'string', minLength: 1, maxLength: 64 },
    beforeAt: { type: 'string', pattern: '^[0-9]{1,16}$' },
  },
} as const;

type MessageBody = {
  buyer: { externalId: string; nick: string; source?: string; acceptsImages?: boolean };
  text: string;
  idempotencyKey?: string;
};
type ReplyBody = { buyer: { externalId: string; source?: string }; text: string; idempotencyKey?: string };

/** The idempotency key of a request: the header or the field (they must agree), or a refusal's sentence. */
function keyOf(request: FastifyRequest, field: string | undefined): { key: string } | { refusal: string } {
  const header = request.headers['idempotency-key'];
  const fromHeader = typeof header === 'string' ? header : undefined;
  if (fromHeader !== undefined && field !== undefined && fromHeader !== field)
    return { refusal: 'the Idempotency-Key header and the idempotencyKey field differ' };
  const key = fromHeader ?? field;
  if (key === undefined) return { refusal: 'give an idempotency key (the Idempotency-Key header or the idempotencyKey field)' };
  return { key };
}
type MessagesQuery = { externalId: string; source?: string; limit?: string; beforeId?: string; beforeAt?: string };

const tokenKey = (request: FastifyRequest) =>
  `api-token:${crypto
    .createHash('sha256')
    .update(bearer(request) ?? '')
    .digest('hex')}`;

/**
 * The API channel for bridges (issue 13), under `/api/v1`: a bridge authenticates with an API token
 * (`Authorization: Bearer jdk_…`, made by the owner), posts a buyer's inbound message under an
 * idempotency key, and may read a buyer's messages (a `full` token). JSON bodies are bounded and
 * checked by schema (extra fields refused); the core checks them again and stores once per key.
 */
export async function registerApiChannel(app: FastifyInstance, options: ApiChannelOptions): Promise<void> {
  const perToken = options.perToken ?? { max: 600, windowMs: 60_000 };
  const perAddress = options.perAddress ?? { max: 1200, windowMs: 60_000 };
  const byToken = app.createRateLimit({ max: perToken.max, timeWindow: perToken.windowMs, keyGenerator: tokenKey });
  const byAddress = app.createRateLimit({ max: perAddress.max, timeWindow: perAddress.windowMs, keyGenerator: (r) => `api-ip:${r.ip}` });
  const limited = async (request: FastifyRequest, reply: FastifyReply) => {
    for (const limiter of [byAddress, byToken]) {
      const verdict = await limiter(request);
      if (!verdict.isAllowed && verdict.isExceeded)
        return reply
          .code(429)
          .header('retry-after', String(Math.max(1, verdict.ttlInSeconds)))
          .send({
            ok: false,
            error: { code: 'limit_exceeded', message: `too many requests: try again in ${Math.max(1, verdict.ttlInSeconds)} s` },
          });
    }
  };

  app.get('/api/v1/openapi.json', async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(openApiDocument()));

  app.post('/api/v1/messages', { onRequest: limited, bodyLimit: API_BODY_LIMIT, schema: { body: messageBody } }, async (request, reply) => {
    const token = bearer(request);
    if (!token) return sendError(reply, { code: 'unauthorized', message: 'send the API token as Authorization: Bearer <token>' });
    const body = request.body as MessageBody;
    const header = request.headers['idempotency-key'];
    const fromHeader = typeof header === 'string' ? header : undefined;
    if (fromHeader !== undefined && body.idempotencyKey !== undefined && fromHeader !== body.idempotencyKey)
      return sendError(reply, { code: 'invalid_argument', message: 'the Idempotency-Key header and the idempotencyKey field differ' });
    const key = fromHeader ?? body.idempotencyKey;
    if (key === undefined)
      return sendError(reply, {
        code: 'invalid_argument',
        message: 'give an idempotency key (the Idempotency-Key header or the idempotencyKey field)',
      });
    const result = await options.channel('api.inbound', {
      token,
      key,
      source: body.buyer.source ?? 'api',
      externalId: body.buyer.externalId,
      nick: body.buyer.nick,
      text: body.text,
      ...(body.buyer.acceptsImages === undefined ? {} : { acceptsImages: body.buyer.acceptsImages }),
    });
    if (!result.ok) return sendError(reply, result.error);
    const { answer, duplicate } = result.value as { answer: InboundAnswer; duplicate: boolean };
    // A repeat answers exactly as the first time did; the header says it was a repeat.
    if (duplicate) reply.header('idempotent-replayed', 'true');
    return reply.code(201).send({ ok: true, ...answer });
  });

  app.post('/api/v1/replies', { onRequest: limited, bodyLimit: API_BODY_LIMIT, schema: { body: replyBody } }, async (request, reply) => {
    const token = bearer(request);
    if (!token) return sendError(reply, { code: 'unauthorized', message: 'send the API token as Authorization: Bearer <token>' });
    const body = request.body as ReplyBody;
    const key = keyOf(request, body.idempotencyKey);
    if ('refusal' in key) return sendError(reply, { code: 'invalid_argument', message: key.refusal });
    const result = await options.channel('api.reply', {
      token,
      key: key.key,
      source: body.buyer.source ?? 'api',
      externalId: body.buyer.externalId,
      text: body.text,
    });
    if (!result.ok) return sendError(reply, result.error);
    const { answer, duplicate } = result.value as { answer: InboundAnswer; duplicate: boolean };
    if (duplicate) reply.header('idempotent-replayed', 'true');
    return reply.code(201).send({ ok: true, ...answer });
  });

  // A picture the shop sent on the bridge's platform: its raw bytes (the type is read from them by the
  // core, as for an agent's picture: PNG, JPEG, GIF or WebP, ≤ 5 MB, ≤ 8000 px a side).
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      ['application/octet-stream', ...IMAGE_MIMES],
      { parseAs: 'buffer', bodyLimit: REPLY_IMAGE_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/api/v1/replies/image',
      { onRequest: limited, bodyLimit: REPLY_IMAGE_BODY_LIMIT, schema: { querystring: replyImageQuery } },
      async (request, reply) => {
        const token = bearer(request);
        if (!token) return sendError(reply, { code: 'unauthorized', message: 'send the API token as Authorization: Bearer <token>' });
        const key = keyOf(request, undefined);
        if ('refusal' in key) return sendError(reply, { code: 'invalid_argument', message: key.refusal });
        if (!Buffer.isBuffer(request.body) || request.body.length === 0)
          return sendError(reply, { code: 'invalid_argument', message: 'send the picture as the body’s bytes' });
        const q = request.query as { externalId: string; source?: string };
        const result = await options.channel('api.replyImage', {
          token,
          key: key.key,
          source: q.source ?? 'api',
          externalId: q.externalId,
          bytes: new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.byteLength),
        });
        if (!result.ok) return sendError(reply, result.error);
        const { answer, duplicate } = result.value as { answer: InboundAnswer; duplicate: boolean };
        if (duplicate) reply.header('idempotent-replayed', 'true');
        return reply.code(201).send({ ok: true, ...answer });
      },
    );
  });

  // A chat's picture for a webhook receiver: a signed, expiring link, or a `full` token.
  app.get(
    '/api/v1/images/:messageId',
    {
      onRequest: limited,
      schema: { querystring: imageQuery, params: { type: 'object', properties: { messageId: { type: 'string', maxLength: 64 } } } },
    },
    async (request, reply) => {
      const q = request.query as { exp?: string; sig?: string };
      const { messageId } = request.params as { messageId: string };
      const token = bearer(request);
      const result = await options.channel('api.image', {
        messageId,
        token: token ?? null,
        exp: q.exp === undefined ? null : Number(q.exp),
        sig: q.sig ?? null,
      });
      if (!result.ok) return sendError(reply, result.error);
      const file = result.value as { mime: string; bytes: Uint8Array };
      return reply
        .header('content-type', file.mime)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
    },
  );

  app.get('/api/v1/messages', { onRequest: limited, schema: { querystring: messagesQuery } }, async (request, reply) => {
    const token = bearer(request);
    if (!token) return sendError(reply, { code: 'unauthorized', message: 'send the API token as Authorization: Bearer <token>' });
    const q = request.query as MessagesQuery;
    if ((q.beforeId === undefined) !== (q.beforeAt === undefined))
      return sendError(reply, { code: 'invalid_argument', message: 'beforeId and beforeAt go together' });
    const result = await options.channel('api.messages', {
      token,
      source: q.source ?? 'api',
      externalId: q.externalId,
      limit: Math.min(200, Math.max(1, Number(q.limit ?? 50))),
      before: q.beforeId !== undefined ? { id: q.beforeId, at: Number(q.beforeAt) } : null,
    });
    if (!result.ok) return sendError(reply, result.error);
    return reply.send({ ok: true, ...(result.value as object) });
  });
}
