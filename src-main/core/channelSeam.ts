import { z } from 'zod';
import { AppError, fail, ok, type Result } from '../../shared/contract/errors';
import { clientId, orderNo } from '../../shared/channels/widgetProtocol';
import { REPLY_MAX_CHARS, replyLength } from '../../shared/domain/replyRules';
import type { ChannelService } from '../services/channels';
import { classifyStoreError, faultContractError } from '../store/faults';
import type { Store } from '../store';

/** How a bridge's agent row is named: `桥接·<the API token's name>`. */
const BRIDGE_LABEL = '桥接';

/**
 * The hub shell's way into the core for buyers (issue 13): not a contract method, so no desk or
 * renderer can call it, and not network-reachable by itself. The hub's routes (src-main/hub/
 * apiChannel.ts, widgetRoutes.ts, webhookSender.ts) parse what comes off the network, then call
 * `Core.channel(op, args)` (across the worker: `CoreClient.channel`). Arguments are parsed again here
 * with these schemas: the core trusts no shell's shapes either.
 */

const text = z
  .string()
  .max(REPLY_MAX_CHARS * 2)
  .refine((t) => t.trim().length > 0, 'a message needs some text')
  .refine((t) => replyLength(t) <= REPLY_MAX_CHARS, `a message holds at most ${REPLY_MAX_CHARS} characters`);
const token = z.string().min(1).max(200);
export const idempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'an idempotency key is 1 to 200 printable ASCII characters');
export const apiSource = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'a source is 1 to 32 of a-z 0-9 _ -');
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const externalId = z.string().regex(/^[^\x00-\x1f\x7f]{1,200}$/, 'an external id is 1 to 200 characters, no control characters');
export const buyerNick = z
  .string()
  .max(64)
  // eslint-disable-next-line no-control-regex -- as above
  .refine((s) => s.trim().length > 0 && Array.from(s.trim()).length <= 32 && !/[\x00-\x1f\x7f]/.test(s), 'a nick has 1 to 32 characters');
const visitorId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
const messageId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const position = z.object({ id: messageId, at: z.number().int().nonnegative() }).strict();

const ops = {
  /** A bridge's inbound message under its idempotency key. */
  'api.inbound': z
    .object({ token, key: idempotencyKey, source: apiSource, externalId, nick: buyerNick, text, acceptsImages: z.boolean().optional() })
    .strict(),
  /** A reply the shop made on the bridge's own platform, told to the hub (a `full` token), under its idempotency key. */
  'api.reply': z.object({ token, key: idempotencyKey, source: apiSource, externalId, text }).strict(),
  /** A picture the shop sent on the bridge's platform (a `full` token), told to the hub under its idempotency key. */
  'api.replyImage': z.object({ token, key: idempotencyKey, source: apiSource, externalId, bytes: z.instanceof(Uint8Array) }).strict(),
  /** A chat's picture for a webhook receiver: a signed link's `exp` and `sig`, or a `full` token. */
  'api.image': z
    .object({
      messageId,
      token: token.nullable(),
      exp: z.number().int().nonnegative().nullable(),
      sig: z.string().max(128).nullable(),
    })
    .strict(),
  /** A bridge reading a buyer's messages (a `full` token), newest first. */
  'api.messages': z
    .object({ token, source: apiSource, externalId, limit: z.number().int().min(1).max(200), before: position.nullable() })
    .strict(),
  'webhooks.claim': z.object({ limit: z.number().int().min(1).max(100) }).strict(),
  'webhooks.settle': z
    .object({
      id: messageId,
      outcome: z.union([
        z.object({ ok: z.literal(true), status: z.number().int() }).strict(),
        z
          .object({
            ok: z.literal(false),
            status: z.number().int().nullable(),
            error: z.string().max(2000),
            permanent: z.boolean().optional(),
          })
          .strict(),
      ]),
    })
    .strict(),
  'webhooks.nextDue': z.object({}).strict(),
  /**
   * The store's figures for the hub's /metrics (counts and the feed head, no row's content): with a
   * `full` API token checked here, or null when the hub let a loopback scrape in by its configuration.
   */
  'hub.metrics': z.object({ token: token.nullable() }).strict(),
  /** What the hub needs to serve the chat page: on or off, the sites that may embed it. */
  'widget.page': z.object({}).strict(),
  'widget.verify': z.object({ token: token.nullable() }).strict(),
  /** Whether an agent is there now, the welcome and offline texts (pushed to open chats when it changes). */
  'widget.state': z.object({}).strict(),
  'widget.hello': z.object({ token: token.nullable(), after: position.nullable() }).strict(),
  'widget.send': z
    .object({
      visitorId: visitorId.nullable(),
      clientId,
      send: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('text'), text: z.string().max(REPLY_MAX_CHARS * 4) }).strict(),
        z.object({ kind: z.literal('order'), orderNo }).strict(),
        z.object({ kind: z.literal('offline'), text: z.string().max(REPLY_MAX_CHARS * 4), contact: z.string().max(200) }).strict(),
      ]),
    })
    .strict(),
  'widget.image': z.object({ visitorId: visitorId.nullable(), clientId, bytes: z.instanceof(Uint8Array) }).strict(),
  'widget.older': z.object({ visitorId, before: position }).strict(),
  'widget.imageFile': z.object({ visitorId, messageId }).strict(),
} as const;

export type ChannelOp = keyof typeof ops;
export type ChannelArgs<O extends ChannelOp> = z.input<(typeof ops)[O]>;

/** The seam's one entry point: parse, run, and answer a Result with a typed code (never a throw). */
export function channelSeam(channels: ChannelService, store: Store, log: (message: string, error?: unknown) => void) {
  const run: { [O in ChannelOp]: (args: z.output<(typeof ops)[O]>) => unknown } = {
    'api.inbound': (a) => {
      channels.tokens.authenticate(a.token, 'inbound');
      return channels.inbound.receiveOnce(
        `api:${a.source}`,
        a.key,
        {
          source: a.source,
          externalId: a.externalId,
          nick: a.nick.trim(),
          text: a.text,
          ...(a.acceptsImages === undefined ? {} : { acceptsImages: a.acceptsImages }),
        },
        { channel: 'api', source: a.source, externalId: a.externalId, nick: a.nick.trim() },
        (customerId, at) => {
          // What the bridge says about pictures holds from this message on.
          if (a.acceptsImages !== undefined) store.channels.buyers.setAcceptsImages(customerId, a.acceptsImages);
          return channels.inbound.receiveText(customerId, a.text, at);
        },
      );
    },
    'api.reply': (a) => {
      const tokenRow = channels.tokens.authenticate(a.token, 'full');
      const customerId = channels.inbound.knownBuyer(a.source, a.externalId);
      return channels.inbound.receiveOnce(
        `api-reply:${a.source}`,
        a.key,
        { source: a.source, externalId: a.externalId, text: a.text },
        { customerId },
        (buyer, at) => channels.inbound.bridgeReply(buyer, a.text, channels.inbound.bridgeAgent(tokenRow, BRIDGE_LABEL), at),
      );
    },
    'api.replyImage': (a) => {
      const tokenRow = channels.tokens.authenticate(a.token, 'full');
      const customerId = channels.inbound.knownBuyer(a.source, a.externalId);
      // Checked and kept before the transaction; a repeat of the key finds its picture stored once (one file per hash).
      const image = channels.inbound.keepImage(a.bytes);
      return channels.inbound.receiveOnce(
        `api-reply:${a.source}`,
        a.key,
        { source: a.source, externalId: a.externalId, image: image.hash },
        { customerId },
        (buyer, at) => channels.inbound.bridgeImage(buyer, image, channels.inbound.bridgeAgent(tokenRow, BRIDGE_LABEL), at),
      );
    },
    'api.image': (a) => {
      if (a.token !== null) channels.tokens.authenticate(a.token, 'full');
      else if (a.exp === null || a.sig === null || !channels.links.verify(a.messageId, a.exp, a.sig))
        throw new AppError('unauthorized', 'this picture link is not the hub’s or has expired');
      const file = channels.widget.imageFile(a.messageId, null);
      return { mime: file.mime, bytes: file.bytes };
    },
    'api.messages': (a) => {
      channels.tokens.authenticate(a.token, 'full');
      return channels.inbound.messagesOf(a.source, a.externalId, a.limit, a.before);
    },
    'webhooks.claim': (a) => channels.webhooks.claim(a.limit),
    'webhooks.settle': (a) => ({ nextAt: channels.webhooks.settle(a.id, a.outcome) }),
    'webhooks.nextDue': () => channels.webhooks.nextDue(),
    'hub.metrics': (a) => {
      if (a.token !== null) channels.tokens.authenticate(a.token, 'full');
      return {
        feedHead: store.changes.head(),
        webhooksQueued: store.channels.deliveries.pending(),
        webhooksDead: store.channels.deliveries.deadCount(),
      };
    },
    'widget.page': () => {
      const s = channels.widget.settings();
      return { enabled: s.enabled, allowedOrigins: s.allowedOrigins };
    },
    'widget.verify': (a) => channels.widget.verify(a.token),
    'widget.state': () => channels.widget.state(),
    'widget.hello': (a) => channels.widget.hello(a.token, a.after),
    'widget.send': (a) => channels.widget.send(a.visitorId, a.clientId, a.send),
    'widget.image': (a) => channels.widget.image(a.visitorId, a.clientId, a.bytes),
    'widget.older': (a) => channels.widget.older(a.visitorId, a.before),
    'widget.imageFile': (a) => channels.widget.imageFile(a.messageId, a.visitorId),
  };

  return (op: string, args: unknown): Result<unknown> => {
    if (!Object.prototype.hasOwnProperty.call(ops, op)) return fail('unknown_method', `no channel operation ${String(op).slice(0, 80)}`);
    const name = op as ChannelOp;
    const parsed = ops[name].safeParse(args);
    if (!parsed.success) {
      return fail(
        'invalid_argument',
        `invalid arguments for ${name}`,
        parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      );
    }
    try {
      return ok((run[name] as (a: unknown) => unknown)(parsed.data));
    } catch (error) {
      if (error instanceof AppError) return fail(error.code, error.message, error.details);
      log(`channel ${name} failed`, error);
      const fault = classifyStoreError(error);
      if (fault) return fail(...faultContractError(fault));
      return fail('internal', `${name} failed`);
    }
  };
}

export type { ChannelEvent, DeliveryOutcome, DueDelivery, InboundAnswer } from '../services/channels';
