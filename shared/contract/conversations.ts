import { z } from 'zod';
import type { ConversationSummary, Message } from '../domain/types';
import { REPLY_MAX_CHARS, replyLength } from '../domain/replyRules';
import { IMAGE_MAX_BASE64 } from '../domain/images';
import {
  PRODUCT_PRICE_MAX_CENTS,
  PRODUCT_SKU_MAX,
  PRODUCT_TITLE_MAX,
  PRODUCT_URL_MAX,
  productLineProblem,
  safeProductUrl,
} from '../domain/productCard';
import { define } from './define';
import { id, millis } from './schemas';

export type MessagePage = { messages: Message[]; hasMore: boolean };

const cardLine = (max: number) =>
  z
    .string()
    .max(max * 4)
    .trim()
    .superRefine((line, ctx) => {
      const problem = productLineProblem(line, max);
      if (problem) ctx.addIssue({ code: 'custom', message: `a card line: ${problem}` });
    });

/** A product card's fields (shared/domain/productCard.ts): checked here, written as the message's text by the core. */
export const productCardArgs = z
  .object({
    title: cardLine(PRODUCT_TITLE_MAX),
    sku: cardLine(PRODUCT_SKU_MAX).nullable().default(null),
    priceCents: z.number().int().min(0).max(PRODUCT_PRICE_MAX_CENTS).nullable().default(null),
    url: z
      .string()
      .max(PRODUCT_URL_MAX)
      .transform((u, ctx) => {
        const safe = safeProductUrl(u);
        if (safe === null) ctx.addIssue({ code: 'custom', message: 'a product link is an http or https URL' });
        return safe ?? '';
      })
      .nullable()
      .default(null),
  })
  .strict();

/** An ended conversation in the history (历史): the buyer, who served them, when. */
export type HistoryItem = {
  id: string;
  customerId: string;
  customerNick: string;
  agentId: string | null;
  agentNick: string | null;
  createdAt: number;
  endedAt: number | null;
  lastMessageAt: number;
  lastMessagePreview: string;
};
export type HistoryCursor = { lastMessageAt: number; id: string };
export type HistoryPage = { items: HistoryItem[]; next: HistoryCursor | null };

/** The conversation list and the messages of one conversation. */
export const conversationMethods = {
  /** Conversations for the list, newest activity first; the desk sorts and filters. */
  'conversations.list': define<ConversationSummary[]>()(z.object({ status: z.enum(['open', 'ended', 'all']).default('open') }).strict()),
  /** Marks every buyer message of a conversation as read by the agent. */
  'conversations.markRead': define<null>()(z.object({ conversationId: id }).strict()),
  /** Ends an open conversation (结束). */
  'conversations.end': define<null>()(z.object({ conversationId: id }).strict()),
  /**
   * Opens an ended conversation again, as the caller's (the undo after 结束, or 重新打开 from the
   * history); refused with `conflict` while the buyer has another open conversation.
   */
  'conversations.reopen': define<null>()(z.object({ conversationId: id }).strict()),
  /** Ended conversations, most recent first, a page at a time: the agent's own (`mine`) or the shop's, by buyer nick. */
  'conversations.history': define<HistoryPage>()(
    z
      .object({
        query: z.string().trim().max(64).optional(),
        mine: z.boolean().default(false),
        /** One buyer's ended conversations (a returning buyer's earlier ones, above the current chat). */
        customerId: id.optional(),
        before: z.object({ lastMessageAt: millis, id }).strict().optional(),
        limit: z.number().int().min(1).max(100).default(50),
      })
      .strict(),
  ),
  /** Which of these buyers have an ended conversation (the list marks returning buyers; in team mode the hub's answer). */
  'conversations.returning': define<string[]>()(z.object({ customerIds: z.array(id).max(1000) }).strict()),
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
  /**
   * Sends an agent's reply: text, an order card, a product card or a picture. The id is made by the caller: sending
   * the same id twice stores it once. With `image` the message is a picture (its bytes, base64; the
   * core checks them: PNG, JPEG, GIF or WebP, at most 5 MB and 8000 px a side) and `text` is only
   * its preview (`[图片]`); refused with `conflict` where the buyer's channel takes no pictures. With
   * `product` the message is a product card: its text is the card's lines, written by the core from
   * the checked fields (the `text` sent is only the caller's preview of them).
   */
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
        image: z
          .object({
            base64: z
              .string()
              .min(4)
              .max(IMAGE_MAX_BASE64)
              .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'an image is base64'),
          })
          .strict()
          .optional(),
        product: productCardArgs.optional(),
      })
      .strict()
      .refine((a) => [a.orderId, a.image, a.product].filter((x) => x !== undefined).length <= 1, 'one card or picture per message'),
  ),
} as const;
