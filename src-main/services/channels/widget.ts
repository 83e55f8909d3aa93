import crypto from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import type { WidgetConfig, WidgetSettings } from '../../../shared/contract/channels';
import { WIDGET_PAGE, type WidgetMessage, type WidgetState } from '../../../shared/channels/widgetProtocol';
import type { Lang } from '../../../shared/domain/lang';
import { REPLY_MAX_CHARS, replyLength } from '../../../shared/domain/replyRules';
import type { Message } from '../../../shared/domain/types';
import { translate } from '../../../shared/i18n/translate';
import type { Store } from '../../store';
import { shopTimeZone } from '../logExport/timeZone';
import type { InboundService } from './apiChannel';
import { checkImage, imageFiles } from './images';

export const DEFAULT_WIDGET_SETTINGS: WidgetSettings = {
  enabled: false,
  welcomeText: '',
  offlineText: '',
  hours: null,
  publicUrl: '',
  allowedOrigins: [],
};

const SETTINGS_KEY = 'channels.widget';
const SECRET_KEY = 'channels.widgetSecret';
/** Keys of a buyer's first message (before it has a visitor id); its answer names the new buyer. */
const FIRST_SCOPE = 'widget-first';
const scopeOf = (visitorId: string) => `widget:${visitorId}`;
export { IMAGE_TEXT } from '../../../shared/domain/images';

export type WidgetDeps = {
  store: Store;
  inbound: InboundService;
  now: () => number;
  dataDir: string;
  /** Whether an agent is signed in at a desk and online now. */
  agentsOnline: () => boolean;
  /** The shop's language, for what the hub writes into the shop itself (a visitor's nick, the contact remark). */
  lang?: Lang;
  /** Stores an image message (the conversation service's receive with kind `image`). */
  receiveImage: (customerId: string, at: number) => Message;
};

/** What a visitor sent: text, an order number, or the offline form. */
export type WidgetSend =
  { kind: 'text'; text: string } | { kind: 'order'; orderNo: string } | { kind: 'offline'; text: string; contact: string };

/**
 * The web chat widget's rules on the hub. A visitor is a buyer (a customer and a `channel_buyers`
 * row) from their first message; until then nothing is written. Who a browser is comes from a
 * visitor token it keeps: `v1.<visitorId>.<HMAC-SHA256 of the id with the hub's widget secret>`,
 * so an id cannot be claimed without the token the hub gave.
 */
export function widgetService(deps: WidgetDeps) {
  const { store, inbound, now } = deps;
  const lang = deps.lang ?? 'zh-CN';
  const q = store.channels;
  const files = imageFiles(deps.dataDir);

  function secret(): Buffer {
    let value = store.settings.get<string>(SECRET_KEY, '');
    if (!value) {
      value = crypto.randomBytes(32).toString('base64url');
      store.tx(() => store.settings.set(SECRET_KEY, value));
    }
    return Buffer.from(value, 'base64url');
  }

  const sign = (visitorId: string) => crypto.createHmac('sha256', secret()).update(`visitor:${visitorId}`).digest('base64url');
  const tokenFor = (visitorId: string) => `v1.${visitorId}.${sign(visitorId)}`;

  /** The visitor a token stands for (its buyer stored), or null for a forged, foreign or unknown token. */
  function verify(token: string | null): { visitorId: string; customerId: string } | null {
    const m = token ? /^v1\.([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
    if (!m) return null;
    const expected = Buffer.from(sign(m[1]!));
    const given = Buffer.from(m[2]!);
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
    const buyer = q.buyers.find('widget', '', m[1]!);
    return buyer ? { visitorId: m[1]!, customerId: buyer.customer_id } : null;
  }

  function settings(): WidgetSettings {
    return { ...DEFAULT_WIDGET_SETTINGS, ...store.settings.get<Partial<WidgetSettings>>(SETTINGS_KEY, {}) };
  }

  function config(): WidgetConfig {
    const s = settings();
    const base = s.publicUrl.replace(/\/+$/, '');
    return {
      ...s,
      snippet: s.enabled && base ? { script: `<script src="${base}/widget.js" async></script>`, link: `${base}/chat` } : null,
    };
  }

  function withinHours(at: number): boolean {
    const hours = settings().hours;
    if (!hours) return true;
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: shopTimeZone(store),
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(at));
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(part('weekday'));
    const time = `${part('hour')}:${part('minute')}`;
    if (!hours.days.includes(day)) return false;
    return hours.from <= hours.to ? time >= hours.from && time < hours.to : time >= hours.from || time < hours.to;
  }

  function state(): WidgetState {
    const s = settings();
    return { online: deps.agentsOnline(), open: withinHours(now()), welcomeText: s.welcomeText, offlineText: s.offlineText };
  }

  function toWidget(messages: Message[], visitorId: string | null): WidgetMessage[] {
    const clientIds = visitorId
      ? q.keys.forMessages(
          [scopeOf(visitorId), FIRST_SCOPE],
          messages.map((m) => m.id),
        )
      : new Map<string, string>();
    const nicks = new Map<string, string>();
    const nickOf = (agentId: string | null) => {
      if (!agentId) return null;
      if (!nicks.has(agentId)) nicks.set(agentId, store.agents.get(agentId)?.nick ?? '');
      return nicks.get(agentId)!;
    };
    return messages.map((m) => ({
      id: m.id,
      from: m.sender,
      kind: m.kind === 'image' ? 'image' : m.kind === 'product_card' ? 'product' : 'text',
      text: m.kind === 'image' ? '' : m.text,
      agentNick: m.sender === 'agent' ? nickOf(m.agentId) : null,
      at: m.createdAt,
      clientId: m.sender === 'buyer' ? (clientIds.get(m.id) ?? null) : null,
    }));
  }

  /** A new visitor's buyer row: a random id, a nick the desk can tell apart. */
  function newVisitor() {
    const visitorId = crypto.randomBytes(18).toString('base64url');
    const nick = translate(lang, 'widget.visitorNick', { code: visitorId.slice(0, 4).toUpperCase() });
    return { channel: 'widget' as const, source: '', externalId: visitorId, nick };
  }

  /**
   * Stores a visitor's message once per client id. `visitorId` null: the browser's first message
   * (it becomes a buyer now). Returns the visitor (its token when it is new) and the message.
   */
  function receive(
    visitorId: string | null,
    clientId: string,
    request: unknown,
    write: (customerId: string, at: number) => Message,
  ): { visitorId: string; token: string; message: WidgetMessage; duplicate: boolean } {
    const known = visitorId ? q.buyers.find('widget', '', visitorId) : undefined;
    if (visitorId && !known) throw new AppError('unauthorized', 'this visitor is unknown');
    const first = newVisitor();
    // A buyer's very first message was kept under the first-message scope: resent with the token it got, it is still that one.
    const firstKey = known ? q.keys.get(FIRST_SCOPE, clientId) : undefined;
    const isFirst =
      !known || (firstKey !== undefined && (JSON.parse(firstKey.answer) as { buyerId: string }).buyerId === known.customer_id);
    const { answer, duplicate } = inbound.receiveOnce(
      isFirst ? FIRST_SCOPE : scopeOf(visitorId!),
      clientId,
      request,
      known ? { customerId: known.customer_id } : first,
      write,
    );
    // A repeated first message names the buyer it made then, whatever visitor this call drew.
    const buyer = known ?? q.buyers.byCustomer(answer.buyerId);
    if (!buyer || buyer.channel !== 'widget') throw new AppError('conflict', 'this client id belongs to another buyer');
    const stored = store.messages.get(answer.messageId)!;
    return {
      visitorId: buyer.external_id,
      token: tokenFor(buyer.external_id),
      message: toWidget([stored], buyer.external_id)[0]!,
      duplicate,
    };
  }

  function checkedText(text: string): string {
    const trimmed = text.replace(/\0/g, '').trim();
    if (!trimmed) throw new AppError('invalid_argument', 'a message needs some text');
    if (replyLength(trimmed) > REPLY_MAX_CHARS)
      throw new AppError('limit_exceeded', `a message holds at most ${REPLY_MAX_CHARS} characters`);
    return trimmed;
  }

  return {
    settings,
    config,
    state,
    verify,
    tokenFor,

    save(next: WidgetSettings): WidgetConfig {
      store.tx(() => store.settings.set(SETTINGS_KEY, next));
      return config();
    },

    /** A browser opening the chat: who it is (null: not a buyer yet, or a token that is not ours) and its history. */
    hello(token: string | null, after: { id: string; at: number } | null) {
      const visitor = verify(token);
      const st = state();
      if (!visitor) return { visitorId: null, token: null, state: st, messages: [] as WidgetMessage[], hasMore: false };
      if (after) {
        // Catching up after a reconnect: what came since the newest message the widget holds.
        const newer = q.customerMessagesAfter(visitor.customerId, { createdAt: after.at, id: after.id }, WIDGET_PAGE + 1);
        if (newer.length <= WIDGET_PAGE)
          return { ...visitor, token, state: st, messages: toWidget(newer, visitor.visitorId), hasMore: false };
      }
      const page = q.customerMessages(visitor.customerId, WIDGET_PAGE + 1);
      const messages = toWidget(page.slice(0, WIDGET_PAGE).reverse(), visitor.visitorId);
      return { ...visitor, token, state: st, messages, hasMore: page.length > WIDGET_PAGE };
    },

    older(visitorId: string, before: { id: string; at: number }) {
      const buyer = q.buyers.find('widget', '', visitorId);
      if (!buyer) throw new AppError('unauthorized', 'this visitor is unknown');
      const page = q.customerMessages(buyer.customer_id, WIDGET_PAGE + 1, { createdAt: before.at, id: before.id });
      return { messages: toWidget(page.slice(0, WIDGET_PAGE).reverse(), visitorId), hasMore: page.length > WIDGET_PAGE };
    },

    send(visitorId: string | null, clientId: string, what: WidgetSend) {
      if (!settings().enabled) throw new AppError('unavailable', 'the chat is not open');
      const text = what.kind === 'order' ? translate(lang, 'widget.orderNumberMessage', { orderNo: what.orderNo }) : checkedText(what.text);
      const contact = what.kind === 'offline' ? what.contact.replace(/\0/g, '').trim().slice(0, 200) : '';
      return receive(visitorId, clientId, what, (customerId, at) => {
        if (contact) {
          const remark = translate(lang, 'widget.contactRemark', { contact });
          store.customers.setRemark(customerId, Array.from(remark).slice(0, 500).join(''), at);
        }
        return inbound.receiveText(customerId, text, at);
      });
    },

    /** A picture: checked by its bytes, kept in a file by its hash, its message of kind `image`. */
    image(visitorId: string | null, clientId: string, bytes: Uint8Array) {
      if (!settings().enabled) throw new AppError('unavailable', 'the chat is not open');
      const image = checkImage(bytes);
      files.write(image.hash, bytes);
      return receive(visitorId, clientId, { image: image.hash }, (customerId, at) => {
        const message = deps.receiveImage(customerId, at);
        q.images.insert({
          message_id: message.id,
          customer_id: customerId,
          hash: image.hash,
          mime: image.mime,
          bytes: bytes.length,
          width: image.width,
          height: image.height,
        });
        return message;
      });
    },

    /** An image's file, for the buyer who sent it only (`visitorId`), or for a desk (null). */
    imageFile(messageId: string, visitorId: string | null): { mime: string; bytes: Buffer; width: number; height: number } {
      const row = q.images.get(messageId);
      if (!row) throw new AppError('not_found', 'no such image');
      if (visitorId !== null) {
        const buyer = q.buyers.find('widget', '', visitorId);
        if (!buyer || buyer.customer_id !== row.customer_id) throw new AppError('not_found', 'no such image');
      }
      return { mime: row.mime, bytes: files.read(row.hash), width: row.width, height: row.height };
    },

    toWidget,
  };
}

export type WidgetService = ReturnType<typeof widgetService>;
