import crypto from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import type { ApiToken, ApiTokenScope, CreatedApiToken } from '../../../shared/contract/channels';
import { newId } from '../../../shared/domain/ids';
import type { Message } from '../../../shared/domain/types';
import type { Store } from '../../store';
import type { ApiTokenRow, ChannelKind } from '../../store/channels';
import type { ConversationService } from '../conversations';
import { tokenHash } from '../passwords';
import type { WebhookService } from './webhooks';
import { IMAGE_TEXT } from '../../../shared/domain/images';
import { checkImage, imageFiles } from './images';

/** A picture checked by its bytes and kept on disk, ready to be named by a message. */
export type CheckedImage = { hash: string; mime: string; width: number; height: number; bytes: number };

/** Live API tokens a shop may hold at once. */
export const API_TOKENS_MAX = 50;
/** An idempotency key is remembered this long: a repeat within it is the same message. */
export const IDEMPOTENCY_KEEP_MS = 7 * 24 * 3_600_000;
/** Which agent row each API token's replies are written as: `{tokenId: agentId}`. */
const BRIDGE_AGENTS_KEY = 'channels.bridgeAgents';
/** API tokens begin with this, so one pasted into the wrong place is recognisable. */
const TOKEN_PREFIX = 'jdk_';

function toToken(r: ApiTokenRow): ApiToken {
  return { id: r.id, name: r.name, scope: r.scope, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}

/** How a channel names its buyer. */
export type ChannelBuyer = { channel: ChannelKind; source: string; externalId: string; nick: string };

/** The answer to an inbound message; a repeat of its idempotency key gets this very answer again. */
export type InboundAnswer = { messageId: string; conversationId: string; buyerId: string; createdAt: number };

/** A stable hash of a request's content, to tell a true repeat from a reused key. */
export function requestHash(value: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * Buyers arriving through channels, stored once per idempotency key: the customer a channel's buyer
 * is (made on first contact, its nick made unique), the message through the conversation service's
 * `receive` (which opens and assigns the conversation), the key with its answer, all in one
 * transaction. A key seen before with the same request answers as before and stores nothing; with a
 * different request it is a `conflict`.
 */
export function inboundService(deps: {
  store: Store;
  conversations: ConversationService;
  webhooks: WebhookService;
  now: () => number;
  dataDir: string;
}) {
  const { store, conversations, webhooks, now } = deps;
  const q = store.channels;
  const files = imageFiles(deps.dataDir);
  let lastPrune = 0;

  function customerFor(buyer: ChannelBuyer, at: number): { customerId: string; created: boolean } {
    const found = q.buyers.find(buyer.channel, buyer.source, buyer.externalId);
    if (found) return { customerId: found.customer_id, created: false };
    const customerId = newId();
    const nick = q.freeNick(buyer.nick);
    store.customers.insert({ id: customerId, nick, group_id: null, remark: '', first_seen_at: at, updated_at: at });
    q.buyers.insert({
      channel: buyer.channel,
      source: buyer.source,
      external_id: buyer.externalId,
      customer_id: customerId,
      created_at: at,
    });
    webhooks.enqueue(
      'buyer.created',
      { buyer: { id: customerId, nick, channel: buyer.channel, source: buyer.source, externalId: buyer.externalId } },
      at,
    );
    return { customerId, created: true };
  }

  return {
    customerFor,

    /**
     * One inbound message under an idempotency key (`scope` keeps keys of different callers apart).
     * `write` stores the message given the buyer's customer id (text or image); it runs only for a new key.
     */
    receiveOnce(
      scope: string,
      key: string,
      request: unknown,
      buyer: ChannelBuyer | { customerId: string },
      write: (customerId: string, at: number) => Message,
    ): { answer: InboundAnswer; duplicate: boolean } {
      const hash = requestHash(request);
      return store.tx(() => {
        const seen = q.keys.get(scope, key);
        if (seen) {
          if (seen.request_hash !== hash) throw new AppError('conflict', 'this idempotency key was used for another message');
          return { answer: JSON.parse(seen.answer) as InboundAnswer, duplicate: true };
        }
        const at = now();
        if (at - lastPrune > 3_600_000) {
          lastPrune = at;
          q.keys.prune(at - IDEMPOTENCY_KEEP_MS);
        }
        const customerId = 'customerId' in buyer ? buyer.customerId : customerFor(buyer, at).customerId;
        const message = write(customerId, at);
        const answer: InboundAnswer = {
          messageId: message.id,
          conversationId: message.conversationId,
          buyerId: customerId,
          createdAt: message.createdAt,
        };
        q.keys.put({ scope, key, request_hash: hash, answer: JSON.stringify(answer), message_id: message.id, created_at: at });
        return { answer, duplicate: false };
      });
    },

    receiveText(customerId: string, text: string, at: number): Message {
      return conversations.receive({ customerId, text, at });
    },

    /**
     * The agent row a bridge's replies are written as (one per API token, made on its first reply):
     * an account with no password, so it never signs in, is never at a desk and is never routed to;
     * its nick says it is the bridge (`桥接·微信公众号`).
     */
    bridgeAgent(token: ApiTokenRow, label: string): string {
      const map = store.settings.get<Record<string, string>>(BRIDGE_AGENTS_KEY, {});
      const known = map[token.id];
      if (known && store.agents.get(known)) return known;
      const id = newId();
      let nick = `${label}·${token.name}`.slice(0, 32);
      for (let n = 2; store.accounts.byNick(nick); n++) nick = `${label}·${token.name}`.slice(0, 28) + `·${n}`;
      store.agents.insert({ id, nick, role: 'agent', state: 'offline', created_at: now() });
      store.settings.set(BRIDGE_AGENTS_KEY, { ...map, [token.id]: id });
      return id;
    },

    /**
     * A picture a bridge sends as the shop (a `full` token): checked by its bytes as an agent's are
     * (PNG, JPEG, GIF or WebP, ≤ 5 MB, ≤ 8000 px a side) and kept by its sha256 before any message
     * names it. Call outside the transaction; `bridgeImage` then writes the message.
     */
    keepImage(bytes: Uint8Array): CheckedImage {
      const image = checkImage(bytes);
      files.write(image.hash, bytes);
      return { ...image, bytes: bytes.length };
    },

    /** The bridge's picture reply as a message of the buyer's conversation, with its `channel_images` row (call inside `receiveOnce`). */
    bridgeImage(customerId: string, image: CheckedImage, agentId: string, at: number): Message {
      const message = conversations.bridgeReply({ id: newId(), customerId, text: IMAGE_TEXT, agentId, at, kind: 'image' });
      q.images.insert({
        message_id: message.id,
        customer_id: customerId,
        hash: image.hash,
        mime: image.mime,
        bytes: image.bytes,
        width: image.width,
        height: image.height,
      });
      return message;
    },

    /** Whether an agent id is a bridge's. */
    isBridge(agentId: string): boolean {
      return Object.values(store.settings.get<Record<string, string>>(BRIDGE_AGENTS_KEY, {})).includes(agentId);
    },

    /** The customer of a bridge's buyer, or `not_found` (a reply goes to a buyer the hub knows). */
    knownBuyer(source: string, externalId: string): string {
      const buyer = q.buyers.find('api', source, externalId);
      if (!buyer) throw new AppError('not_found', 'no buyer with this source and external id: post their message first');
      return buyer.customer_id;
    },

    bridgeReply(customerId: string, text: string, agentId: string, at: number): Message {
      return conversations.bridgeReply({ id: newId(), customerId, text, agentId, at });
    },

    /** A bridge's buyer's messages over all their conversations, newest first (`full` tokens). */
    messagesOf(source: string, externalId: string, limit: number, before: { id: string; at: number } | null) {
      const buyer = q.buyers.find('api', source, externalId);
      if (!buyer) throw new AppError('not_found', 'no buyer with this source and external id');
      const page = q.customerMessages(buyer.customer_id, limit + 1, before ? { createdAt: before.at, id: before.id } : undefined);
      const nick = (agentId: string | null) => (agentId ? (store.agents.get(agentId)?.nick ?? null) : null);
      return {
        messages: page.slice(0, limit).map((m) => ({
          id: m.id,
          conversationId: m.conversationId,
          sender: m.sender,
          kind: m.kind,
          text: m.text,
          agentNick: nick(m.agentId),
          createdAt: m.createdAt,
        })),
        hasMore: page.length > limit,
      };
    },
  };
}

export type InboundService = ReturnType<typeof inboundService>;

/** API tokens: made by the owner (shown once), kept as their sha256, revocable, each with its last use. */
export function apiTokenService(store: Store, now: () => number) {
  const q = store.channels;
  return {
    list(): ApiToken[] {
      return q.tokens.list().map(toToken);
    },

    create(name: string, scope: ApiTokenScope, createdBy: string): CreatedApiToken {
      return store.tx(() => {
        if (q.tokens.count() >= API_TOKENS_MAX)
          throw new AppError('limit_exceeded', `a shop has at most ${API_TOKENS_MAX} live API tokens`);
        const token = `${TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
        const row = { id: newId(), name: name.trim(), token_hash: tokenHash(token), scope, created_by: createdBy, created_at: now() };
        q.tokens.insert(row);
        return { ...toToken({ ...row, last_used_at: null, revoked_at: null }), token };
      });
    },

    revoke(tokenId: string): ApiToken {
      return store.tx(() => {
        if (!q.tokens.revoke(tokenId, now())) throw new AppError('not_found', `no API token ${tokenId}`);
        return toToken(q.tokens.get(tokenId)!);
      });
    },

    /** The live token a bearer string stands for (its use noted), or `unauthorized`. */
    authenticate(token: string, needs: ApiTokenScope): ApiTokenRow {
      const row = token.startsWith(TOKEN_PREFIX) ? q.tokens.byHash(tokenHash(token)) : undefined;
      if (!row || row.revoked_at !== null) throw new AppError('unauthorized', 'this API token is unknown or revoked');
      if (needs === 'full' && row.scope !== 'full') throw new AppError('unauthorized', 'this API token may only post inbound messages');
      store.tx(() => q.tokens.touch(row.id, now()));
      return row;
    },
  };
}

export type ApiTokenService = ReturnType<typeof apiTokenService>;
