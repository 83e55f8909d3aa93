import { WEBHOOK_EVENTS } from '../../shared/contract/channels';
import { REPLY_MAX_CHARS } from '../../shared/domain/replyRules';

const error = {
  type: 'object',
  required: ['ok', 'error'],
  properties: {
    ok: { const: false },
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
};

const refusals = {
  '400': { description: 'malformed request or arguments', content: { 'application/json': { schema: error } } },
  '401': {
    description: 'no, an unknown or a revoked API token (or too narrow a scope)',
    content: { 'application/json': { schema: error } },
  },
  '409': { description: 'the idempotency key was used for another message', content: { 'application/json': { schema: error } } },
  '413': { description: 'the body is larger than 64 KB', content: { 'application/json': { schema: error } } },
  '429': { description: 'too many requests (see Retry-After)', content: { 'application/json': { schema: error } } },
};

/** The API channel described for bridges (served at GET /api/v1/openapi.json). */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Jiedai hub API channel',
      version: '1',
      description:
        'Bridges (a WeChat official account, a marketplace seller API, an SMS gateway, a script) post buyers’ messages into the shop and hear agents’ replies through signed webhooks. ' +
        'Each webhook delivery is a POST with X-Jiedai-Event, X-Jiedai-Delivery (the delivery id: a receiver that sees one twice ignores the second) and ' +
        'X-Jiedai-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>; refuse it when t is more than 300 s from your clock or no v1 matches. ' +
        'A delivery is retried on anything but a 2xx within 10 s, 10 tries in all over about a day with jittered back-off, then it is dead (the owner can send it again).',
    },
    components: {
      securitySchemes: { apiToken: { type: 'http', scheme: 'bearer', description: 'an API token made by the shop owner (jdk_…)' } },
    },
    security: [{ apiToken: [] }],
    paths: {
      '/api/v1/messages': {
        post: {
          summary: 'A buyer’s inbound message',
          description:
            'The buyer is named by the bridge’s own id (externalId, per source label); the first message makes the buyer and opens a conversation. ' +
            'The same idempotency key again stores nothing and answers as the first time (header Idempotent-Replayed: true).',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['buyer', 'text'],
                  additionalProperties: false,
                  properties: {
                    buyer: {
                      type: 'object',
                      required: ['externalId', 'nick'],
                      additionalProperties: false,
                      properties: {
                        externalId: { type: 'string', maxLength: 200 },
                        nick: { type: 'string', maxLength: 32 },
                        source: { type: 'string', pattern: '^[a-z0-9_-]{1,32}$', default: 'api' },
                        acceptsImages: {
                          type: 'boolean',
                          description: 'the bridge can deliver pictures to this buyer: agents may then send them (from this message on)',
                        },
                      },
                    },
                    text: { type: 'string', maxLength: REPLY_MAX_CHARS },
                    idempotencyKey: { type: 'string', maxLength: 200, description: 'or the Idempotency-Key header' },
                  },
                },
              },
            },
          },
          responses: {
            '201': {
              description: 'stored (or stored before under this key)',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      ok: { const: true },
                      messageId: { type: 'string' },
                      conversationId: { type: 'string' },
                      buyerId: { type: 'string' },
                      createdAt: { type: 'integer' },
                    },
                  },
                },
              },
            },
            ...refusals,
          },
        },
        get: {
          summary: 'A buyer’s messages, newest first (a token with the full scope)',
          parameters: [
            { name: 'externalId', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'source', in: 'query', schema: { type: 'string', default: 'api' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
            { name: 'beforeId', in: 'query', schema: { type: 'string' } },
            { name: 'beforeAt', in: 'query', schema: { type: 'integer' } },
          ],
          responses: { '200': { description: '{ok, messages, hasMore}' }, ...refusals },
        },
      },
      '/api/v1/replies': {
        post: {
          summary: 'A reply the shop made on the bridge’s platform, as an agent (a token with the full scope)',
          description:
            'For replies made outside Jiedai (the platform’s own seller app): stored in the buyer’s open conversation as written by the bridge ' +
            '(an agent named 桥接·<token name>, never routed to, never signed in), without taking the conversation from the agent who serves it. ' +
            'The buyer must be known (an inbound message first). Idempotent like inbound messages. Its message.created webhook carries origin "bridge", so the bridge can skip its own reply.',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['buyer', 'text'],
                  additionalProperties: false,
                  properties: {
                    buyer: {
                      type: 'object',
                      required: ['externalId'],
                      additionalProperties: false,
                      properties: {
                        externalId: { type: 'string', maxLength: 200 },
                        source: { type: 'string', pattern: '^[a-z0-9_-]{1,32}$', default: 'api' },
                      },
                    },
                    text: { type: 'string', maxLength: REPLY_MAX_CHARS },
                    idempotencyKey: { type: 'string', maxLength: 200, description: 'or the Idempotency-Key header' },
                  },
                },
              },
            },
          },
          responses: {
            '201': { description: 'stored (or stored before under this key): {ok, messageId, conversationId, buyerId, createdAt}' },
            '404': { description: 'no buyer with this source and external id', content: { 'application/json': { schema: error } } },
            ...refusals,
          },
        },
      },
      '/api/v1/replies/image': {
        post: {
          summary: 'A picture the shop sent on the bridge’s platform, as an agent (a token with the full scope)',
          description:
            'The body is the picture’s bytes (Content-Type image/png, image/jpeg, image/gif, image/webp or application/octet-stream); the hub reads the type from the bytes: ' +
            'PNG, JPEG, GIF or WebP, at most 5 MB and 8000 pixels a side, as for an agent’s picture at a desk (otherwise 400 invalid_argument, or 413 / limit_exceeded when too large). ' +
            'Stored like a reply to /api/v1/replies: written by the bridge’s agent, in the buyer’s open conversation, idempotent by the Idempotency-Key header (required); ' +
            'its message.created webhook carries origin "bridge" and the picture’s signed link.',
          parameters: [
            { name: 'externalId', in: 'query', required: true, schema: { type: 'string', maxLength: 200 } },
            { name: 'source', in: 'query', required: false, schema: { type: 'string', pattern: '^[a-z0-9_-]{1,32}$', default: 'api' } },
            { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 200 } },
          ],
          requestBody: {
            required: true,
            content: Object.fromEntries(
              ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/octet-stream'].map((type) => [
                type,
                { schema: { type: 'string', format: 'binary' } },
              ]),
            ),
          },
          responses: {
            '201': { description: 'stored (or stored before under this key): {ok, messageId, conversationId, buyerId, createdAt}' },
            '404': { description: 'no buyer with this source and external id', content: { 'application/json': { schema: error } } },
            ...refusals,
          },
        },
      },
      '/api/v1/images/{messageId}': {
        get: {
          summary: 'A chat’s picture (a buyer’s or an agent’s)',
          description:
            'A message.created webhook of a picture carries data.message.image: {mime, width, height, bytes, url, path, expiresAt}. ' +
            'Its url (path, when the hub has no public address set) is signed and expires after 3 days; with a token of the full scope any picture may be fetched without exp and sig. ' +
            'The answer is the bytes as stored (PNG, JPEG, GIF or WebP, checked by their content), with Content-Type and X-Content-Type-Options: nosniff.',
          security: [{ apiToken: [] }, {}],
          parameters: [
            { name: 'messageId', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'exp', in: 'query', schema: { type: 'integer' } },
            { name: 'sig', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'the picture', content: { 'image/*': {} } },
            '401': { description: 'no valid link or token', content: { 'application/json': { schema: error } } },
            '404': { description: 'no such picture', content: { 'application/json': { schema: error } } },
          },
        },
      },
    },
    webhooks: Object.fromEntries(
      WEBHOOK_EVENTS.map((event) => [
        event,
        {
          post: {
            summary: event,
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['id', 'event', 'createdAt', 'data'],
                    properties: {
                      id: { type: 'string' },
                      event: { const: event },
                      createdAt: { type: 'integer' },
                      data: { type: 'object' },
                    },
                  },
                },
              },
            },
            responses: { '200': { description: 'any 2xx acknowledges the delivery' } },
          },
        },
      ]),
    ),
  };
}
