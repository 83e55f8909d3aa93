import type { Agent, Message, Order } from '../../shared/domain/types';
import type { ChangeOp, EntityName, EntityRows } from '../../shared/sync/protocol';
import type { agentQueries } from './agents';
import type { ChangeQueries } from './changes';
import type { Db } from './connection';
import type { conversationQueries } from './conversations';
import type { customerQueries } from './customers';
import type { messageQueries } from './messages';
import type { orderQueries } from './orders';
import { toPickerPhrase, type PhraseRow } from './phrases';

/** The entities a hub change can carry into a desk's tables (a `mutation` change is an outcome, not data). */
export type SharedEntity = Exclude<EntityName, 'mutation'>;

export const SHARED_ENTITIES: readonly SharedEntity[] = [
  'agent',
  'tag',
  'customer_group',
  'customer',
  'customer_tag',
  'conversation',
  'message',
  'order',
  'phrase_group',
  'phrase',
  'red_line',
];

/** What applying one hub row did to the desk's tables. */
export type Applied = 'written' | 'same' | 'skipped';

/**
 * Tier 2's appliers: one per entity, the inverse of the change feed's row format. Each writes a hub
 * row (domain shape, as the hub's feed and snapshot carry it) into the desk's own tables and appends
 * the desk's own change-feed row, so the renderer's replica follows as it follows any write. Call
 * inside `store.tx`, together with the cursor.
 *
 * `read` gives a row back in the same canonical shape: the shadow of a row before a pending action
 * changes it, and what tests compare between a desk and the hub.
 *
 * A row whose referent is missing (a message of a conversation the desk does not hold, a snapshot
 * page read before its referent's page) is skipped: the referent and the row both come later in
 * the feed, in the hub's order. Names that must be unique give way to the row being written (a
 * snapshot's pages are read at different moments; the pull that follows puts every name right).
 */
export function hubReplicaQueries(
  db: Db,
  changes: ChangeQueries,
  q: {
    agents: ReturnType<typeof agentQueries>;
    customers: ReturnType<typeof customerQueries>;
    conversations: ReturnType<typeof conversationQueries>;
    messages: ReturnType<typeof messageQueries>;
    orders: ReturnType<typeof orderQueries>;
  },
) {
  // Prepared on first use: a store opened over an older schema (a migration's test) never needs them.
  let prepared: ReturnType<typeof prepare> | undefined;
  const statements = () => (prepared ??= prepare());
  const prepare = () => ({
    tagById: db.prepare('SELECT id, name, color FROM tags WHERE id = ?'),
    evictTagName: db.prepare("UPDATE tags SET name = name || '~' || id WHERE name = ? AND id <> ?"),
    upsertTag: db.prepare(
      `INSERT INTO tags (id, name, color, created_at) VALUES (@id, @name, @color, @at)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, color = excluded.color`,
    ),
    deleteTag: db.prepare('DELETE FROM tags WHERE id = ?'),
    groupById: db.prepare('SELECT id, name FROM customer_groups WHERE id = ?'),
    evictGroupName: db.prepare("UPDATE customer_groups SET name = name || '~' || id WHERE name = ? AND id <> ?"),
    upsertGroup: db.prepare(
      `INSERT INTO customer_groups (id, name, sort, created_at) VALUES (@id, @name, (SELECT count(*) FROM customer_groups), @at)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name`,
    ),
    deleteGroup: db.prepare('DELETE FROM customer_groups WHERE id = ?'),
    customerById: db.prepare('SELECT id, nick, group_id AS groupId, remark, first_seen_at AS firstSeenAt FROM customers WHERE id = ?'),
    evictNick: db.prepare("UPDATE customers SET nick = nick || '~' || id WHERE nick = ? AND id <> ?"),
    upsertCustomer: db.prepare(
      `INSERT INTO customers (id, nick, group_id, remark, first_seen_at, updated_at) VALUES (@id, @nick, @groupId, @remark, @firstSeenAt, @at)
       ON CONFLICT(id) DO UPDATE SET nick = excluded.nick, group_id = excluded.group_id, remark = excluded.remark,
         first_seen_at = excluded.first_seen_at, updated_at = excluded.updated_at`,
    ),
    deleteCustomer: db.prepare('DELETE FROM customers WHERE id = ?'),
    membership: db.prepare(
      'SELECT customer_id AS customerId, tag_id AS tagId, created_at AS at FROM customer_tags WHERE customer_id = ? AND tag_id = ?',
    ),
    upsertMembership: db.prepare(
      `INSERT INTO customer_tags (customer_id, tag_id, created_at) VALUES (?, ?, ?)
       ON CONFLICT(customer_id, tag_id) DO UPDATE SET created_at = excluded.created_at`,
    ),
    deleteMembership: db.prepare('DELETE FROM customer_tags WHERE customer_id = ? AND tag_id = ?'),
    conversationById: db.prepare(
      `SELECT id, customer_id AS customerId, agent_id AS agentId, status, last_message_at AS lastMessageAt,
         last_message_preview AS lastMessagePreview, unread_count AS unreadCount, waiting_since AS waitingSince
       FROM conversations WHERE id = ?`,
    ),
    upsertConversation: db.prepare(
      `INSERT INTO conversations (id, customer_id, agent_id, status, last_message_at, last_message_preview, unread_count,
         waiting_since, created_at, ended_at)
       VALUES (@id, @customerId, @agentId, @status, @lastMessageAt, @lastMessagePreview, @unreadCount, @waitingSince, @at,
         CASE WHEN @status = 'ended' THEN @at END)
       ON CONFLICT(id) DO UPDATE SET customer_id = excluded.customer_id, agent_id = excluded.agent_id, status = excluded.status,
         last_message_at = excluded.last_message_at, last_message_preview = excluded.last_message_preview,
         unread_count = excluded.unread_count, waiting_since = excluded.waiting_since,
         ended_at = CASE WHEN excluded.status = 'ended' THEN coalesce(conversations.ended_at, excluded.ended_at) END`,
    ),
    deleteMessagesOf: db.prepare('DELETE FROM messages WHERE conversation_id = ?'),
    deleteConversation: db.prepare('DELETE FROM conversations WHERE id = ?'),
    deleteMessage: db.prepare('DELETE FROM messages WHERE id = ?'),
    orderExists: db.prepare('SELECT 1 FROM orders WHERE id = ?').pluck(),
    upsertOrder: db.prepare(
      `INSERT INTO orders (id, order_no, customer_id, status, amount_cents, address, logistics_company, tracking_no, created_at, paid_at,
         updated_at, flash_sale)
       VALUES (@id, @orderNo, @customerId, @status, @amountCents, @address, @logisticsCompany, @trackingNo, @createdAt, @paidAt, @at, @flashSale)
       ON CONFLICT(id) DO UPDATE SET order_no = excluded.order_no, customer_id = excluded.customer_id, status = excluded.status,
         amount_cents = excluded.amount_cents, address = excluded.address, logistics_company = excluded.logistics_company,
         tracking_no = excluded.tracking_no, created_at = excluded.created_at, paid_at = excluded.paid_at, updated_at = excluded.updated_at,
         flash_sale = excluded.flash_sale`,
    ),
    insertItem: db.prepare(
      `INSERT INTO order_items (id, order_id, title, sku, price_cents, quantity) VALUES (@id, @orderId, @title, @sku, @priceCents, @quantity)
       ON CONFLICT(id) DO NOTHING`,
    ),
    upsertNote: db.prepare(
      `INSERT INTO order_notes (order_id, flag, memo, updated_by, updated_at) VALUES (?, ?, ?, NULL, ?)
       ON CONFLICT(order_id) DO UPDATE SET flag = excluded.flag, memo = excluded.memo, updated_at = excluded.updated_at`,
    ),
    deleteOrder: db.prepare('DELETE FROM orders WHERE id = ?'),
    replyGroupById: db.prepare('SELECT id, scope, name, sort FROM reply_groups WHERE id = ?'),
    evictReplyGroupName: db.prepare(
      "UPDATE reply_groups SET name = name || '~' || id WHERE scope = ? AND owner = ? AND name = ? AND id <> ?",
    ),
    upsertReplyGroup: db.prepare(
      `INSERT INTO reply_groups (id, scope, owner, name, sort, created_at) VALUES (@id, @scope, @owner, @name, @sort, @at)
       ON CONFLICT(id) DO UPDATE SET scope = excluded.scope, owner = excluded.owner, name = excluded.name, sort = excluded.sort`,
    ),
    deleteReplyGroup: db.prepare('DELETE FROM reply_groups WHERE id = ?'),
    // The whole row, so a phrase's picture (`image`, migration 0016) rides along as in the hub's own feed.
    replyById: db.prepare('SELECT * FROM replies WHERE id = ?'),
    evictReplyCode: db.prepare("UPDATE replies SET code = code || '~' || id WHERE scope = ? AND owner = ? AND code = ? AND id <> ?"),
    upsertReply: db.prepare(
      `INSERT INTO replies (id, scope, owner, group_id, code, title, content, search_keys, use_count, last_used_at, sort, created_at, updated_at, image)
       VALUES (@id, @scope, @owner, @groupId, @code, @title, @content, @searchKeys, @useCount, @lastUsedAt, @sort, @at, @at, @image)
       ON CONFLICT(id) DO UPDATE SET scope = excluded.scope, owner = excluded.owner, group_id = excluded.group_id, code = excluded.code,
         title = excluded.title, content = excluded.content, search_keys = excluded.search_keys, use_count = excluded.use_count,
         last_used_at = excluded.last_used_at, sort = excluded.sort, updated_at = excluded.updated_at, image = excluded.image`,
    ),
    deleteReply: db.prepare('DELETE FROM replies WHERE id = ?'),
    redLineWord: db.prepare("SELECT 'w:' || key AS id, 'word' AS kind, word AS text, category, sort FROM red_line_words WHERE key = ?"),
    redLineException: db.prepare(
      "SELECT 'x:' || key AS id, 'exception' AS kind, phrase AS text, NULL AS category, sort FROM red_line_exceptions WHERE key = ?",
    ),
    upsertRedLineWord: db.prepare(
      `INSERT INTO red_line_words (key, word, category, sort) VALUES (@key, @word, @category, @sort)
       ON CONFLICT(key) DO UPDATE SET word = excluded.word, category = excluded.category, sort = excluded.sort`,
    ),
    upsertRedLineException: db.prepare(
      'INSERT INTO red_line_exceptions (key, phrase, sort) VALUES (@key, @phrase, @sort) ON CONFLICT(key) DO UPDATE SET phrase = excluded.phrase, sort = excluded.sort',
    ),
    deleteRedLineWord: db.prepare('DELETE FROM red_line_words WHERE key = ?'),
    deleteRedLineException: db.prepare('DELETE FROM red_line_exceptions WHERE key = ?'),
    agentById: db.prepare('SELECT id FROM agents WHERE id = ?').pluck(),
    evictAgentNick: db.prepare("UPDATE agents SET nick = nick || '~' || id WHERE nick = ? AND id <> ?"),
    upsertAgent: db.prepare(
      `INSERT INTO agents (id, nick, role, state, created_at) VALUES (@id, @nick, @role, @state, @at)
       ON CONFLICT(id) DO UPDATE SET nick = excluded.nick, role = excluded.role, state = excluded.state`,
    ),
    upsertTeamAgent: db.prepare(
      `INSERT INTO agents (id, nick, role, state, created_at, present, max_open, disabled_at)
       VALUES (@id, @nick, @role, @state, @at, @present, @maxOpen, CASE WHEN @disabled = 1 THEN @at END)
       ON CONFLICT(id) DO UPDATE SET nick = excluded.nick, role = excluded.role, state = excluded.state, present = excluded.present,
         max_open = excluded.max_open,
         disabled_at = CASE WHEN excluded.disabled_at IS NULL THEN NULL ELSE coalesce(agents.disabled_at, excluded.disabled_at) END`,
    ),
  });

  const split = (id: string): [string, string] => {
    const at = id.indexOf(':');
    return [id.slice(0, at), id.slice(at + 1)];
  };
  const record = (entity: SharedEntity, id: string, op: ChangeOp, row: unknown, at: number, feed: boolean) => {
    if (feed) changes.append(entity, id, op, row, at);
  };

  /** An agent a hub row names but this desk has not met yet: a placeholder until the hub's list arrives. */
  function ensureAgent(id: string | null, at: number): void {
    const s = statements();
    if (id === null || s.agentById.get(id) !== undefined) return;
    s.upsertAgent.run({ id, nick: `~${id}`, role: 'agent', state: 'offline', at });
  }

  function read(entity: SharedEntity, id: string): unknown {
    const s = statements();
    switch (entity) {
      case 'agent':
        return q.agents.get(id) ?? null;
      case 'tag':
        return s.tagById.get(id) ?? null;
      case 'customer_group':
        return s.groupById.get(id) ?? null;
      case 'customer':
        return s.customerById.get(id) ?? null;
      case 'customer_tag':
        return s.membership.get(...split(id)) ?? null;
      case 'conversation':
        return s.conversationById.get(id) ?? null;
      case 'message':
        return q.messages.get(id) ?? null;
      case 'order':
        return q.orders.get(id) ?? null;
      case 'phrase_group':
        return s.replyGroupById.get(id) ?? null;
      case 'phrase': {
        const row = s.replyById.get(id) as PhraseRow | undefined;
        return row ? toPickerPhrase(row) : null;
      }
      case 'red_line':
        return (id.startsWith('w:') ? s.redLineWord.get(id.slice(2)) : s.redLineException.get(id.slice(2))) ?? null;
    }
  }

  function upsert(entity: SharedEntity, id: string, raw: unknown, at: number, owner: string, feed: boolean): Applied {
    const s = statements();
    switch (entity) {
      case 'agent': {
        // The hub's roster: state, presence, maximum. A nick that clashes gives way (the hub's is the truth).
        const r = raw as EntityRows['agent'];
        s.evictAgentNick.run(r.nick, r.id);
        s.upsertTeamAgent.run({
          id: r.id,
          nick: r.nick,
          role: r.role,
          state: r.state,
          present: r.present ? 1 : 0,
          maxOpen: r.maxOpen,
          disabled: r.disabled ? 1 : 0,
          at,
        });
        record(entity, id, 'upsert', q.agents.get(r.id), at, feed);
        return 'written';
      }
      case 'tag': {
        const r = raw as EntityRows['tag'];
        s.evictTagName.run(r.name, r.id);
        s.upsertTag.run({ id: r.id, name: r.name, color: r.color, at });
        record(entity, id, 'upsert', { id: r.id, name: r.name, color: r.color }, at, feed);
        return 'written';
      }
      case 'customer_group': {
        const r = raw as EntityRows['customer_group'];
        s.evictGroupName.run(r.name, r.id);
        s.upsertGroup.run({ id: r.id, name: r.name, at });
        record(entity, id, 'upsert', { id: r.id, name: r.name }, at, feed);
        return 'written';
      }
      case 'customer': {
        const r = raw as EntityRows['customer'];
        // A group made after the snapshot's group page: the pull that follows sets it again.
        const groupId = r.groupId !== null && s.groupById.get(r.groupId) === undefined ? null : r.groupId;
        s.evictNick.run(r.nick, r.id);
        s.upsertCustomer.run({ id: r.id, nick: r.nick, groupId, remark: r.remark, firstSeenAt: r.firstSeenAt, at });
        record(entity, id, 'upsert', q.customers.get(r.id), at, feed);
        return 'written';
      }
      case 'customer_tag': {
        const r = raw as EntityRows['customer_tag'];
        if (s.customerById.get(r.customerId) === undefined || s.tagById.get(r.tagId) === undefined) return 'skipped';
        const when = r.at ?? at;
        s.upsertMembership.run(r.customerId, r.tagId, when);
        record(entity, id, 'upsert', { customerId: r.customerId, tagId: r.tagId }, when, feed);
        return 'written';
      }
      case 'conversation': {
        const r = raw as EntityRows['conversation'];
        if (s.customerById.get(r.customerId) === undefined) return 'skipped';
        ensureAgent(r.agentId, at);
        s.upsertConversation.run({
          id: r.id,
          customerId: r.customerId,
          agentId: r.agentId,
          status: r.status,
          lastMessageAt: r.lastMessageAt,
          lastMessagePreview: r.lastMessagePreview,
          unreadCount: r.unreadCount,
          waitingSince: r.waitingSince,
          at,
        });
        if (feed) q.conversations.recordChange(r.id, at);
        return 'written';
      }
      case 'message': {
        const w = raw as Message;
        const r: Message = {
          id: w.id,
          conversationId: w.conversationId,
          sender: w.sender,
          agentId: w.agentId,
          kind: w.kind,
          text: w.text,
          orderId: w.orderId,
          createdAt: w.createdAt,
          ...(w.automated === 'auto_reply' || w.automated === 'reminder' ? { automated: w.automated } : {}),
        };
        if (s.conversationById.get(r.conversationId) === undefined) return 'skipped';
        const existing = q.messages.get(r.id);
        if (existing && sameJson(existing, r)) return 'same';
        // The hub's copy is the message (its time, its author): a local copy gives way.
        if (existing) s.deleteMessage.run(r.id);
        ensureAgent(r.agentId, at);
        q.messages.insert(
          {
            id: r.id,
            conversation_id: r.conversationId,
            sender: r.sender,
            agent_id: r.agentId,
            kind: r.kind,
            text: r.text,
            order_id: r.orderId,
            created_at: r.createdAt,
            automated: r.automated ?? null,
          },
          feed,
        );
        return 'written';
      }
      case 'order': {
        const r = raw as Order;
        if (s.customerById.get(r.customerId) === undefined) return 'skipped';
        s.upsertOrder.run({
          id: r.id,
          orderNo: r.orderNo,
          customerId: r.customerId,
          status: r.status,
          amountCents: r.amountCents,
          address: r.address,
          logisticsCompany: r.logisticsCompany,
          trackingNo: r.trackingNo,
          createdAt: r.createdAt,
          paidAt: r.paidAt,
          // A hub from before flash-sale orders sends none: an ordinary order.
          flashSale: r.flashSale === true ? 1 : 0,
          at,
        });
        for (const item of r.items) s.insertItem.run({ ...item, orderId: r.id });
        s.upsertNote.run(r.id, r.flag, r.memo, at);
        record(entity, id, 'upsert', q.orders.get(r.id), at, feed);
        return 'written';
      }
      case 'phrase_group': {
        const r = raw as EntityRows['phrase_group'];
        const o = r.scope === 'personal' ? owner : '';
        s.evictReplyGroupName.run(r.scope, o, r.name, r.id);
        s.upsertReplyGroup.run({ id: r.id, scope: r.scope, owner: o, name: r.name, sort: r.sort, at });
        record(entity, id, 'upsert', { id: r.id, scope: r.scope, name: r.name, sort: r.sort }, at, feed);
        return 'written';
      }
      case 'phrase': {
        const r = raw as EntityRows['phrase'];
        if (s.replyGroupById.get(r.groupId) === undefined) return 'skipped';
        const o = r.scope === 'personal' ? owner : '';
        if (r.code !== '') s.evictReplyCode.run(r.scope, o, r.code, r.id);
        s.upsertReply.run({
          id: r.id,
          scope: r.scope,
          owner: o,
          groupId: r.groupId,
          code: r.code,
          title: r.title,
          content: r.content,
          searchKeys: r.searchKeys,
          useCount: r.useCount,
          lastUsedAt: r.lastUsedAt,
          sort: r.sort,
          at,
          // The picture's description only (hash, type, size): its file is the hub's, fetched with phrases.image.
          image: r.image ? JSON.stringify(r.image) : null,
        });
        record(entity, id, 'upsert', toPickerPhrase(s.replyById.get(r.id) as PhraseRow), at, feed);
        return 'written';
      }
      case 'red_line': {
        // The shop's list; how often each word was caught stays this desk's own count.
        const r = raw as EntityRows['red_line'];
        if (r.kind === 'word')
          s.upsertRedLineWord.run({ key: r.id.slice(2), word: r.text, category: r.category ?? 'custom', sort: r.sort });
        else s.upsertRedLineException.run({ key: r.id.slice(2), phrase: r.text, sort: r.sort });
        record(entity, id, 'upsert', read('red_line', id), at, feed);
        return 'written';
      }
    }
  }

  function remove(entity: SharedEntity, id: string, at: number, feed: boolean): Applied {
    const s = statements();
    let gone = 0;
    switch (entity) {
      case 'agent':
        // Accounts are disabled, never deleted (conversations and messages name them).
        return 'same';
      case 'tag':
        gone = s.deleteTag.run(id).changes;
        break;
      case 'customer_group':
        gone = s.deleteGroup.run(id).changes;
        break;
      case 'customer':
        gone = s.deleteCustomer.run(id).changes;
        break;
      case 'customer_tag': {
        const [customerId, tagId] = split(id);
        gone = s.deleteMembership.run(customerId, tagId).changes;
        if (gone > 0) record(entity, id, 'delete', { customerId, tagId }, at, feed);
        return gone > 0 ? 'written' : 'same';
      }
      case 'conversation':
        s.deleteMessagesOf.run(id);
        gone = s.deleteConversation.run(id).changes;
        break;
      case 'message':
        gone = s.deleteMessage.run(id).changes;
        break;
      case 'order':
        gone = s.deleteOrder.run(id).changes;
        break;
      case 'phrase_group':
        gone = s.deleteReplyGroup.run(id).changes;
        break;
      case 'phrase':
        gone = s.deleteReply.run(id).changes;
        break;
      case 'red_line':
        gone = (id.startsWith('w:') ? s.deleteRedLineWord : s.deleteRedLineException).run(id.slice(2)).changes;
        break;
    }
    if (gone > 0) record(entity, id, 'delete', { id }, at, feed);
    return gone > 0 ? 'written' : 'same';
  }

  function wipeShop(): void {
    db.exec(`
      DELETE FROM messages; DELETE FROM conversations; DELETE FROM customer_tags; DELETE FROM order_memo_history;
      DELETE FROM order_notes; DELETE FROM order_items; DELETE FROM orders; DELETE FROM customers;
      DELETE FROM customer_groups; DELETE FROM tags; DELETE FROM replies; DELETE FROM reply_groups;
      DELETE FROM red_line_words; DELETE FROM red_line_exceptions;
    `);
  }

  return {
    read,
    /**
     * Writes one hub row (or deletes it) into the desk's tables, with the desk's own feed row unless
     * `feed` is false (a bootstrap, after which the renderer rebuilds anyway). `owner` is the agent
     * signed in to the hub: the only one whose personal phrases the hub sends.
     */
    apply(entity: SharedEntity, id: string, op: ChangeOp, row: unknown, at: number, opts: { owner: string; feed?: boolean }): Applied {
      const feed = opts.feed ?? true;
      return op === 'upsert' ? upsert(entity, id, row, at, opts.owner, feed) : remove(entity, id, at, feed);
    },
    /** The hub's accounts, by id (nicks that clash give way: the hub's list is the truth). */
    upsertAgents(agents: Agent[], at: number): void {
      const s = statements();
      for (const a of agents) {
        s.evictAgentNick.run(a.nick, a.id);
        s.upsertAgent.run({ id: a.id, nick: a.nick, role: a.role, state: a.state, at });
      }
    },
    /** Empties the shop's shared tables (before a snapshot is swapped in); agents, settings and feeds stay. */
    wipeShop,
    /**
     * A desk leaving its team: the shop's rows, its accounts and tier 2's queue and staging go, so the
     * team's data does not stay on the computer (the caller seeds a fresh demo shop in the same transaction).
     */
    wipeTeam(): void {
      wipeShop();
      db.exec(`
        DELETE FROM hub_outbox; DELETE FROM hub_shadows; DELETE FROM hub_staging;
        DELETE FROM sessions; DELETE FROM sync_clients; DELETE FROM agents;
      `);
    },
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type HubReplicaQueries = ReturnType<typeof hubReplicaQueries>;
