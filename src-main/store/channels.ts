import type { Statement } from 'better-sqlite3';
import type { Db } from './connection';
import { toMessage, type MessageRow } from './messages';
import type { Message } from '../../shared/domain/types';

export type ApiTokenRow = {
  id: string;
  name: string;
  token_hash: string;
  scope: 'inbound' | 'full';
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
};

export type ChannelKind = 'api' | 'widget';
export type ChannelBuyerRow = {
  channel: ChannelKind;
  source: string;
  external_id: string;
  customer_id: string;
  created_at: number;
  /** 1: the buyer's bridge takes pictures (migration 0016); a widget visitor always does. */
  accepts_images?: 0 | 1;
};

export type WebhookEndpointRow = { id: string; url: string; secret: string; events: string; created_by: string; created_at: number };

export type DeliveryRow = {
  id: string;
  endpoint_id: string;
  event: string;
  body: string;
  created_at: number;
  attempts: number;
  next_at: number;
  last_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
  dead_at: number | null;
};

export type ImageRow = {
  message_id: string;
  customer_id: string;
  hash: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
};

export type FeedRow = { seq: number; entity: 'message' | 'conversation'; entity_id: string; op: 'upsert' | 'delete'; row: string | null };

/**
 * The hub's channels (issue 13): API tokens (by sha256 only), which customer a channel's buyer is,
 * inbound idempotency keys, webhook endpoints and the durable outbox of their deliveries, buyers'
 * images. None of this is feed data: desks never replicate it.
 */
export function channelQueries(db: Db) {
  // Prepared on first use: a store opened over an older schema (a migration's test) never needs them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each statement binds its own parameters
  const cache = new Map<string, Statement<any[]>>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  const stmt = (sql: string): Statement<any[]> => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };

  return {
    tokens: {
      insert(row: Omit<ApiTokenRow, 'last_used_at' | 'revoked_at'>): void {
        stmt(
          `INSERT INTO api_tokens (id, name, token_hash, scope, created_by, created_at)
           VALUES (@id, @name, @token_hash, @scope, @created_by, @created_at)`,
        ).run(row);
      },
      byHash(hash: string): ApiTokenRow | undefined {
        return stmt('SELECT * FROM api_tokens WHERE token_hash = ?').get(hash) as ApiTokenRow | undefined;
      },
      get(id: string): ApiTokenRow | undefined {
        return stmt('SELECT * FROM api_tokens WHERE id = ?').get(id) as ApiTokenRow | undefined;
      },
      list(): ApiTokenRow[] {
        return stmt('SELECT * FROM api_tokens ORDER BY created_at, id').all() as ApiTokenRow[];
      },
      count(): number {
        return stmt('SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL').pluck().get() as number;
      },
      revoke(id: string, at: number): boolean {
        return stmt('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(at, id).changes === 1;
      },
      /** Notes a use; written at most once a minute per token, so a busy bridge does not write on every call. */
      touch(id: string, at: number): void {
        stmt('UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)').run(at, id, at - 60_000);
      },
    },

    buyers: {
      find(channel: ChannelKind, source: string, externalId: string): ChannelBuyerRow | undefined {
        return stmt('SELECT * FROM channel_buyers WHERE channel = ? AND source = ? AND external_id = ?').get(
          channel,
          source,
          externalId,
        ) as ChannelBuyerRow | undefined;
      },
      byCustomer(customerId: string): ChannelBuyerRow | undefined {
        return stmt('SELECT * FROM channel_buyers WHERE customer_id = ?').get(customerId) as ChannelBuyerRow | undefined;
      },
      /** The channel rows of these buyers (those that came through a channel), in one statement. */
      byCustomers(customerIds: readonly string[]): Map<string, ChannelBuyerRow> {
        if (customerIds.length === 0) return new Map();
        const rows = stmt('SELECT * FROM channel_buyers WHERE customer_id IN (SELECT value FROM json_each(?))').all(
          JSON.stringify(customerIds),
        ) as ChannelBuyerRow[];
        return new Map(rows.map((r) => [r.customer_id, r]));
      },
      insert(row: ChannelBuyerRow): void {
        stmt(
          `INSERT INTO channel_buyers (channel, source, external_id, customer_id, created_at, accepts_images)
           VALUES (@channel, @source, @external_id, @customer_id, @created_at, @accepts_images)`,
        ).run({ accepts_images: 0, ...row });
      },
      /** What the bridge said last about pictures for this buyer. */
      setAcceptsImages(customerId: string, accepts: boolean): void {
        stmt('UPDATE channel_buyers SET accepts_images = ? WHERE customer_id = ? AND accepts_images <> ?').run(
          accepts ? 1 : 0,
          customerId,
          accepts ? 1 : 0,
        );
      },
    },

    /** The customer nick a new buyer can take: `nick` if free, else `nick·2`, `nick·3`… (nicks are unique). */
    freeNick(nick: string): string {
      const taken = stmt('SELECT 1 FROM customers WHERE nick = ?').pluck();
      if (taken.get(nick) === undefined) return nick;
      for (let n = 2; ; n++) {
        const candidate = `${nick}·${n}`;
        if (taken.get(candidate) === undefined) return candidate;
      }
    },

    keys: {
      get(scope: string, key: string): { request_hash: string; answer: string } | undefined {
        return stmt('SELECT request_hash, answer FROM channel_keys WHERE scope = ? AND key = ?').get(scope, key) as
          { request_hash: string; answer: string } | undefined;
      },
      put(row: { scope: string; key: string; request_hash: string; answer: string; message_id: string | null; created_at: number }): void {
        stmt(
          `INSERT INTO channel_keys (scope, key, request_hash, answer, message_id, created_at)
           VALUES (@scope, @key, @request_hash, @answer, @message_id, @created_at)`,
        ).run(row);
      },
      /** The keys (a widget's client ids) under which these messages came in, by message id. */
      forMessages(scopes: string[], messageIds: string[]): Map<string, string> {
        if (messageIds.length === 0) return new Map();
        const rows = stmt(
          `SELECT message_id, key FROM channel_keys WHERE message_id IN (SELECT value FROM json_each(?))
             AND scope IN (SELECT value FROM json_each(?))`,
        ).all(JSON.stringify(messageIds), JSON.stringify(scopes)) as { message_id: string; key: string }[];
        return new Map(rows.map((r) => [r.message_id, r.key]));
      },
      /** Forgets keys older than `before` (a repeat after that is a new message). */
      prune(before: number): number {
        return stmt('DELETE FROM channel_keys WHERE created_at < ?').run(before).changes;
      },
    },

    endpoints: {
      insert(row: WebhookEndpointRow): void {
        stmt(
          `INSERT INTO webhook_endpoints (id, url, secret, events, created_by, created_at)
           VALUES (@id, @url, @secret, @events, @created_by, @created_at)`,
        ).run(row);
      },
      list(): WebhookEndpointRow[] {
        return stmt('SELECT * FROM webhook_endpoints ORDER BY created_at, id').all() as WebhookEndpointRow[];
      },
      get(id: string): WebhookEndpointRow | undefined {
        return stmt('SELECT * FROM webhook_endpoints WHERE id = ?').get(id) as WebhookEndpointRow | undefined;
      },
      count(): number {
        return stmt('SELECT count(*) FROM webhook_endpoints').pluck().get() as number;
      },
      remove(id: string): boolean {
        return stmt('DELETE FROM webhook_endpoints WHERE id = ?').run(id).changes === 1;
      },
    },

    deliveries: {
      enqueue(row: Pick<DeliveryRow, 'id' | 'endpoint_id' | 'event' | 'body' | 'created_at' | 'next_at'>): void {
        stmt(
          `INSERT INTO webhook_deliveries (id, endpoint_id, event, body, created_at, next_at)
           VALUES (@id, @endpoint_id, @event, @body, @created_at, @next_at)`,
        ).run(row);
      },
      get(id: string): DeliveryRow | undefined {
        return stmt('SELECT * FROM webhook_deliveries WHERE id = ?').get(id) as DeliveryRow | undefined;
      },
      /**
       * Takes up to `limit` due deliveries and pushes their next try to `leaseUntil`: if the hub stops
       * before it settles them they are due again then (at least once, never lost).
       */
      claim(now: number, leaseUntil: number, limit: number): (DeliveryRow & { url: string; secret: string })[] {
        const rows = stmt(
          `SELECT d.*, e.url, e.secret FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
           WHERE d.delivered_at IS NULL AND d.dead_at IS NULL AND d.next_at <= ? ORDER BY d.next_at, d.created_at LIMIT ?`,
        ).all(now, limit) as (DeliveryRow & { url: string; secret: string })[];
        const lease = stmt('UPDATE webhook_deliveries SET next_at = ? WHERE id = ?');
        for (const r of rows) lease.run(leaseUntil, r.id);
        return rows;
      },
      /** When the next pending delivery is due (null: none pending). */
      nextDue(): number | null {
        return stmt('SELECT min(next_at) FROM webhook_deliveries WHERE delivered_at IS NULL AND dead_at IS NULL').pluck().get() as
          number | null;
      },
      delivered(id: string, status: number, at: number): void {
        stmt(
          `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ?
           WHERE id = ? AND delivered_at IS NULL`,
        ).run(status, at, id);
      },
      /** A failed try: the next one at `nextAt`, or dead (`deadAt`) when no try is left. */
      failed(id: string, status: number | null, error: string, next: { nextAt: number } | { deadAt: number }): void {
        stmt(
          `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = @status, last_error = @error,
             next_at = coalesce(@nextAt, next_at), dead_at = @deadAt
           WHERE id = @id AND delivered_at IS NULL AND dead_at IS NULL`,
        ).run({ id, status, error, nextAt: 'nextAt' in next ? next.nextAt : null, deadAt: 'deadAt' in next ? next.deadAt : null });
      },
      dead(limit: number): (DeliveryRow & { url: string })[] {
        return stmt(
          `SELECT d.*, e.url FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
           WHERE d.dead_at IS NOT NULL ORDER BY d.dead_at DESC, d.id LIMIT ?`,
        ).all(limit) as (DeliveryRow & { url: string })[];
      },
      /** A dead delivery goes back into the outbox with its tries counted afresh. */
      revive(id: string, at: number): boolean {
        return (
          stmt('UPDATE webhook_deliveries SET dead_at = NULL, attempts = 0, next_at = ? WHERE id = ? AND dead_at IS NOT NULL').run(at, id)
            .changes === 1
        );
      },
      pending(): number {
        return stmt('SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL AND dead_at IS NULL').pluck().get() as number;
      },
      /** Deliveries that ran out of tries and wait for the owner (the dead letters). */
      deadCount(): number {
        return stmt('SELECT count(*) FROM webhook_deliveries WHERE dead_at IS NOT NULL').pluck().get() as number;
      },
      /** Forgets deliveries delivered before `delivered` and dead before `dead`, so the table stays bounded. */
      prune(delivered: number, dead: number): number {
        return stmt('DELETE FROM webhook_deliveries WHERE delivered_at < @delivered OR dead_at < @dead').run({ delivered, dead }).changes;
      },
    },

    seen: {
      /** What was seen of these conversations, in one statement. */
      getMany(conversationIds: readonly string[]): Map<string, { agent_id: string | null; status: string }> {
        if (conversationIds.length === 0) return new Map();
        const rows = stmt(
          'SELECT conversation_id, agent_id, status FROM channel_seen WHERE conversation_id IN (SELECT value FROM json_each(?))',
        ).all(JSON.stringify(conversationIds)) as { conversation_id: string; agent_id: string | null; status: string }[];
        return new Map(rows.map((r) => [r.conversation_id, { agent_id: r.agent_id, status: r.status }]));
      },
      /**
       * Writes what was seen of several conversations (each once), in one statement. (The status
       * in parentheses: the PostgreSQL dialect takes a bare `j.value ->> n` before FROM for a number.)
       */
      setMany(rows: readonly (readonly [conversationId: string, agentId: string | null, status: string])[]): void {
        if (rows.length === 0) return;
        stmt(
          `INSERT INTO channel_seen (conversation_id, agent_id, status)
           SELECT j.value ->> 0, j.value ->> 1, (j.value ->> 2) FROM json_each(?) j WHERE true
           ON CONFLICT(conversation_id) DO UPDATE SET agent_id = excluded.agent_id, status = excluded.status`,
        ).run(JSON.stringify(rows));
      },
    },

    images: {
      insert(row: ImageRow): void {
        stmt(
          `INSERT INTO channel_images (message_id, customer_id, hash, mime, bytes, width, height)
           VALUES (@message_id, @customer_id, @hash, @mime, @bytes, @width, @height)
           ON CONFLICT(message_id) DO NOTHING`,
        ).run(row);
      },
      get(messageId: string): ImageRow | undefined {
        return stmt('SELECT * FROM channel_images WHERE message_id = ?').get(messageId) as ImageRow | undefined;
      },
    },

    /** Message and conversation rows of the change feed after `cursor` (what channels tell buyers and webhooks). */
    feedAfter(cursor: number, limit: number): FeedRow[] {
      return stmt(
        `SELECT seq, entity, entity_id, op, row FROM changes WHERE seq > ? AND entity IN ('message', 'conversation') ORDER BY seq LIMIT ?`,
      ).all(cursor, limit) as FeedRow[];
    },

    /** A buyer's messages over all their conversations, newest first, older than `before` when given. */
    customerMessages(customerId: string, limit: number, before?: { createdAt: number; id: string }): Message[] {
      const rows = before
        ? stmt(
            `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
             WHERE c.customer_id = ? AND (m.created_at < ? OR (m.created_at = ? AND m.id < ?))
             ORDER BY m.created_at DESC, m.id DESC LIMIT ?`,
          ).all(customerId, before.createdAt, before.createdAt, before.id, limit)
        : stmt(
            `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
             WHERE c.customer_id = ? ORDER BY m.created_at DESC, m.id DESC LIMIT ?`,
          ).all(customerId, limit);
      return (rows as MessageRow[]).map(toMessage);
    },

    /** A buyer's messages newer than `after` (a widget catching up), oldest first. */
    customerMessagesAfter(customerId: string, after: { createdAt: number; id: string }, limit: number): Message[] {
      const rows = stmt(
        `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE c.customer_id = ? AND (m.created_at > ? OR (m.created_at = ? AND m.id > ?))
         ORDER BY m.created_at, m.id LIMIT ?`,
      ).all(customerId, after.createdAt, after.createdAt, after.id, limit) as MessageRow[];
      return rows.map(toMessage);
    },
  };
}

export type ChannelQueries = ReturnType<typeof channelQueries>;
