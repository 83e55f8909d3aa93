import { z } from 'zod';
import type { ConversationSummary, Message } from '../domain/types';
import { REPLY_MAX_CHARS, replyLength } from '../domain/replyRules';
import { define } from './define';
import { id, millis } from './schemas';

export type MessagePage = { messages: Message[]; hasMore: boolean };

/** The conversation list and the messages of one conversation. */
export const conversationMethods = {
  /** Conversations for the list, newest activity first; the desk sorts and filters. */
  'conversations.list': define<ConversationSummary[]>()(z.object({ status: z.enum(['open', 'ended', 'all']).default('open') }).strict()),
  /** Marks every buyer message of a conversation as read by the agent. */
  'conversations.markRead': define<null>()(z.object({ conversationId: id }).strict()),
  /** Ends an open conversation (结束). */
  'conversations.end': define<null>()(z.object({ conversationId: id }).strict()),
  /** A page of a conversation's messages in time order, the newest `limit` before the cursor. */
  'messages.page': define<MessagePage>()(
    z
      .object({
        conversationId: id,
        before: z.object({ createdAt: millis, id }).strict().optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
  ),
  /** Sends an agent's text reply. The id is made by the caller: sending the same id twice stores it once. */
  'messages.send': define<Message>()(
    z
      .object({
        id,
        conversationId: id,
        text: z
          .string()
          .max(REPLY_MAX_CHARS * 2)
          .refine((t) => t.trim().length > 0, 'a message needs some text')
          .refine((t) => replyLength(t) <= REPLY_MAX_CHARS, `a reply holds at most ${REPLY_MAX_CHARS} characters`),
        /** Sends the buyer's order as an order card (the text is its caption). */
        orderId: id.optional(),
      })
      .strict(),
  ),
} as const;
