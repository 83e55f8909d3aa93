import { AppError } from '../../shared/contract/errors';
import { newId } from '../../shared/domain/ids';
import type { ConversationStatus, ConversationSummary, Message, MessageSender } from '../../shared/domain/types';
import type { HistoryCursor, HistoryItem, HistoryPage } from '../../shared/contract/conversations';
import type { Store } from '../store';
import { likePattern } from '../store/like';
import { routingService } from './routing';

export type Clock = () => number;

/**
 * The chat desk's rules: who may write where, what a message does to its conversation. Every write
 * is one `store.tx`; its commit pokes the replicas (the change feed is the one announcement).
 * `route` picks the owner of a new buyer's conversation (the routing service: round robin over the
 * agents at a connected desk; null: the queue); without it, the one who last signed in at this PC,
 * while they are online.
 */
export function conversationService(store: Store, now: Clock, route?: () => string | null) {
  function store1(row: {
    id: string;
    conversationId: string;
    sender: MessageSender;
    agentId: string | null;
    text: string;
    orderId?: string | null | undefined;
    /** A picture (its file and `channel_images` row are the image service's), a product card; otherwise text or an order card. */
    kind?: 'image' | 'product_card' | undefined;
    at?: number;
    /** An agent's answer takes an unassigned conversation (false: a bridge's reply, which serves nobody). */
    claim?: boolean;
  }) {
    return store.tx(() => {
      const conversation = store.conversations.get(row.conversationId);
      if (!conversation) throw new AppError('not_found', `no conversation ${row.conversationId}`);
      const at = row.at ?? now();
      const result = store.messages.insert({
        id: row.id,
        conversation_id: row.conversationId,
        sender: row.sender,
        agent_id: row.agentId,
        kind: row.kind ?? (row.orderId ? 'order_card' : 'text'),
        text: row.text,
        order_id: row.orderId ?? null,
        created_at: at,
      });
      if (result.inserted) {
        store.conversations.applyMessage(row.conversationId, row.sender, at, row.text);
        // The agent who answers an unassigned buyer takes the conversation (我的).
        if (row.sender === 'agent' && row.agentId && !conversation.agentId && row.claim !== false)
          store.conversations.claim(row.conversationId, row.agentId, at);
      }
      return { ...result, conversation };
    });
  }

  const routeBuyer = route ?? routingService(store, now, () => new Set([store.settings.get<string>('currentAgentId', '')])).route;

  /** The buyer's open conversation, or a new one routed to an agent (or left in the queue). */
  function openFor(customerId: string, at: number): string {
    const open = store.conversations.openForCustomer(customerId);
    if (open) return open;
    const id = newId();
    // Round robin over the agents 在线 at a connected desk with room under their maximum;
    // nobody: the buyer waits in the queue (未分配), where any agent may take it.
    store.tx(() => store.conversations.insertOpen(id, customerId, routeBuyer(), at));
    return id;
  }

  return {
    list(status: ConversationStatus | 'all'): ConversationSummary[] {
      return store.conversations.list(status, store.customers.tagsByCustomer());
    },

    page(conversationId: string, limit: number, before?: { createdAt: number; id: string }) {
      if (!store.conversations.get(conversationId)) throw new AppError('not_found', `no conversation ${conversationId}`);
      return store.messages.page(conversationId, limit, before);
    },

    markRead(conversationId: string): null {
      store.tx(() => {
        if (!store.conversations.get(conversationId)) throw new AppError('not_found', `no conversation ${conversationId}`);
        store.conversations.markRead(conversationId, now());
      });
      return null;
    },

    /**
     * Bulk ingest of messages already made elsewhere (first sync, history import): stored once each
     * by id, indexed for search in one statement, each conversation's aggregate folded once. One
     * transaction per call.
     */
    ingest(
      rows: {
        id: string;
        conversationId: string;
        sender: MessageSender;
        agentId: string | null;
        text: string;
        orderId?: string | null;
        createdAt: number;
      }[],
    ): number {
      return store.tx(() => {
        const inserted = store.messages.insertMany(
          rows.map((r) => ({
            id: r.id,
            conversation_id: r.conversationId,
            sender: r.sender,
            agent_id: r.agentId,
            kind: r.orderId ? ('order_card' as const) : ('text' as const),
            text: r.text,
            order_id: r.orderId ?? null,
            created_at: r.createdAt,
          })),
        );
        const byConversation = new Map<string, typeof inserted>();
        for (const m of inserted) {
          const list = byConversation.get(m.conversation_id);
          if (list) list.push(m);
          else byConversation.set(m.conversation_id, [m]);
        }
        const touched: { id: string; at: number }[] = [];
        for (const [id, list] of byConversation) {
          store.conversations.applyMessages(id, list, false);
          touched.push({ id, at: list.reduce((at, m) => Math.max(at, m.created_at), -Infinity) });
        }
        // Each conversation's change row once, after its aggregate, in one statement.
        store.conversations.recordChanges(touched);
        return inserted.length;
      });
    },

    /** Ends an open conversation (结束); ending one already ended is a no-op. */
    end(conversationId: string): null {
      store.tx(() => {
        if (!store.conversations.get(conversationId)) throw new AppError('not_found', `no conversation ${conversationId}`);
        store.conversations.end(conversationId, now());
      });
      return null;
    },

    /**
     * Opens an ended conversation again, as `agentId`'s (the undo of 结束, 重新打开 from the history).
     * Reopening an open one is a no-op; a buyer has one open conversation at a time, so one who wrote
     * again meanwhile (a new conversation) is a `conflict`.
     */
    reopen(conversationId: string, agentId: string): null {
      store.tx(() => {
        const conversation = store.conversations.get(conversationId);
        if (!conversation) throw new AppError('not_found', `no conversation ${conversationId}`);
        if (conversation.status === 'open') return;
        const other = store.conversations.openForCustomer(conversation.customerId);
        if (other) throw new AppError('conflict', 'this buyer has another open conversation', { openConversationId: other });
        store.conversations.reopen(conversationId, agentId, now());
      });
      return null;
    },

    /** A page of ended conversations (历史), most recent first. */
    history(q: {
      query: string | null;
      agentId: string | null;
      customerId?: string | null;
      before: HistoryCursor | null;
      limit: number;
    }): HistoryPage {
      const rows = store.conversations.history({
        agentId: q.agentId,
        customerId: q.customerId ?? null,
        nickLike: q.query ? likePattern(q.query) : null,
        before: q.before,
        limit: q.limit + 1,
      });
      const items = rows.slice(0, q.limit).map((r): HistoryItem => ({
        id: r.id,
        customerId: r.customer_id,
        customerNick: r.customer_nick,
        agentId: r.agent_id,
        agentNick: r.agent_nick,
        createdAt: r.created_at,
        endedAt: r.ended_at,
        lastMessageAt: r.last_message_at,
        lastMessagePreview: r.last_message_preview,
      }));
      const last = items[items.length - 1];
      return { items, next: rows.length > q.limit && last ? { lastMessageAt: last.lastMessageAt, id: last.id } : null };
    },

    /** An agent's reply. Idempotent by id: a retry returns the stored message and writes nothing. */
    send(
      args: { id: string; conversationId: string; text: string; orderId?: string | undefined; kind?: 'image' | 'product_card' | undefined },
      agentId: string,
    ): Message {
      const existing = store.messages.get(args.id);
      if (existing) {
        if (existing.conversationId !== args.conversationId) throw new AppError('conflict', `message id ${args.id} is taken`);
        return existing;
      }
      const conversation = store.conversations.get(args.conversationId);
      if (conversation?.status === 'ended') throw new AppError('conflict', 'the conversation has ended');
      if (args.orderId && store.orders.get(args.orderId)?.customerId !== conversation?.customerId) {
        throw new AppError('not_found', `no order ${args.orderId} for this buyer`);
      }
      return store1({ ...args, sender: 'agent', agentId }).message;
    },

    /**
     * A buyer's message arriving from a channel (the one entry every channel calls): opens a
     * conversation for the buyer when none is open, routed to an agent or left in the queue.
     */
    receive(args: { customerId: string; text: string; id?: string; at?: number; kind?: 'image' }): Message {
      const at = args.at ?? now();
      const conversationId = openFor(args.customerId, at);
      return store1({ id: args.id ?? newId(), conversationId, sender: 'buyer', agentId: null, text: args.text, kind: args.kind, at })
        .message;
    },

    /**
     * A reply a channel's bridge made on its own platform (the seller's app), told to the hub through
     * the API: written as the bridge's agent row into the buyer's open conversation (one is opened,
     * routed, if none is), without taking the conversation from whoever serves it. Idempotent by id.
     */
    bridgeReply(args: { id: string; customerId: string; text: string; agentId: string; at?: number; kind?: 'image' }): Message {
      const existing = store.messages.get(args.id);
      if (existing) return existing;
      const at = args.at ?? now();
      return store.tx(() => {
        const conversationId = openFor(args.customerId, at);
        return store1({
          id: args.id,
          conversationId,
          sender: 'agent',
          agentId: args.agentId,
          text: args.text,
          at,
          claim: false,
          ...(args.kind ? { kind: args.kind } : {}),
        }).message;
      });
    },
  };
}

export type ConversationService = ReturnType<typeof conversationService>;
