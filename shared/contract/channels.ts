import { z } from 'zod';
import { define } from './define';
import { id, shortName } from './schemas';

/**
 * Real buyers on the team hub (issue 13): the API channel for bridges (API tokens, webhooks out) and
 * the web chat widget. Channels live on the hub: a standalone desk refuses these (it keeps the demo
 * channel), a desk of a team sends them to the hub. Keeping them is the shop owner's; a desk of any
 * agent may read a buyer's image (`messages.image`).
 */

export const API_TOKEN_SCOPES = ['inbound', 'full'] as const;
/** `inbound`: post buyers' messages; `full`: also read a buyer's messages. */
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export type ApiToken = {
  id: string;
  name: string;
  scope: ApiTokenScope;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
};

/** A new token: the only time its secret is shown (the hub keeps its sha256). */
export type CreatedApiToken = ApiToken & { token: string };

export const WEBHOOK_EVENTS = [
  'message.created',
  'conversation.assigned',
  'conversation.transferred',
  'conversation.ended',
  'buyer.created',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export type WebhookEndpoint = {
  id: string;
  url: string;
  events: WebhookEvent[];
  /** The signing key (HMAC-SHA256): the receiver needs it to check each delivery, so the owner may read it again. */
  secret: string;
  createdAt: number;
};

/** A delivery that used every try (or was refused for good): the owner can see it and send it again. */
export type DeadDelivery = {
  id: string;
  endpointId: string;
  url: string;
  event: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deadAt: number;
};

/** Working hours in the shop's time zone: the days (0 = Sunday) and the hours, `HH:MM`. */
export type WorkingHours = { days: number[]; from: string; to: string };

export type WidgetSettings = {
  enabled: boolean;
  /** Shown to a buyer who opens the chat. */
  welcomeText: string;
  /** Shown above the offline form when no agent is online or outside the hours. */
  offlineText: string;
  hours: WorkingHours | null;
  /** The address buyers reach the hub at (https://chat.example.com): the snippet and the link are made from it. */
  publicUrl: string;
  /** Sites that may embed the chat (https://shop.example.com); empty: any site. */
  allowedOrigins: string[];
};

export type WidgetConfig = WidgetSettings & {
  /** What to put on the shop's site, and the full-page link (for a QR code); null until enabled with an address. */
  snippet: { script: string; link: string } | null;
};

export const WIDGET_TEXT_MAX = 500;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM');
const origin = z
  .string()
  .max(200)
  .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'an origin is http(s)://host[:port]');
/** An http(s) address with a host, no user name or password, no spaces (the hub checks it again with URL). */
export const httpUrl = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?([/?#][^\s]*)?$/, 'an http(s) address without a user name or password');

export const channelMethods = {
  'apiTokens.list': define<ApiToken[]>()(z.object({}).strict()),
  /** A new API token, shown once in the answer. */
  'apiTokens.create': define<CreatedApiToken>()(z.object({ name: shortName(40), scope: z.enum(API_TOKEN_SCOPES) }).strict()),
  /** Revokes a token at once: calls with it are refused from now on. */
  'apiTokens.revoke': define<ApiToken>()(z.object({ tokenId: id }).strict()),

  'webhooks.list': define<WebhookEndpoint[]>()(z.object({}).strict()),
  /** Registers a URL for some events; its signing secret is made by the hub. */
  'webhooks.add': define<WebhookEndpoint>()(
    z.object({ id, url: httpUrl, events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length) }).strict(),
  ),
  /** Removes an endpoint and every delivery still waiting for it. */
  'webhooks.remove': define<null>()(z.object({ endpointId: id }).strict()),
  /** Sends the endpoint a `ping` event (signed like every delivery). */
  'webhooks.test': define<null>()(z.object({ endpointId: id }).strict()),
  /** Deliveries that used every try, newest first. */
  'webhooks.deadLetters': define<DeadDelivery[]>()(z.object({}).strict()),
  /** Puts a dead delivery back in the outbox with fresh tries. */
  'webhooks.retry': define<null>()(z.object({ deliveryId: id }).strict()),

  'widget.get': define<WidgetConfig>()(z.object({}).strict()),
  'widget.save': define<WidgetConfig>()(
    z
      .object({
        enabled: z.boolean(),
        welcomeText: z.string().max(WIDGET_TEXT_MAX),
        offlineText: z.string().max(WIDGET_TEXT_MAX),
        hours: z
          .object({ days: z.array(z.number().int().min(0).max(6)).max(7), from: hhmm, to: hhmm })
          .strict()
          .nullable(),
        publicUrl: z.union([z.literal(''), httpUrl]),
        allowedOrigins: z.array(origin).max(20),
      })
      .strict(),
  ),

  /**
   * Whether the buyer of a conversation can be sent pictures: the widget's can, the demo buyers of a
   * standalone desk can, an API bridge's when it declared so (`acceptsImages`).
   */
  'messages.imageSupport': define<{ images: boolean }>()(z.object({ conversationId: id }).strict()),
  /** The picture of an image message (a buyer's or an agent's), for a desk to show. */
  'messages.image': define<{ mime: string; base64: string; width: number; height: number }>()(z.object({ messageId: id }).strict()),
} as const;
