import { z } from 'zod';
import type { Message, MessageKind, MessageSender } from '../domain/types';
import { define } from './define';

/**
 * Message search over the whole history (issues 15 and 18). The core answers from one search path
 * (src-main/store/messageSearch.ts), the same the export's keyword filter uses.
 */

/** [start, end) offsets into the hit's `text` (UTF-16 code units), for highlighting as text. */
export type MatchRange = [start: number, end: number];

export type SearchHit = {
  messageId: string;
  conversationId: string;
  customerId: string;
  customerNick: string;
  /** Who wrote it, or for buyer and system messages the conversation's agent. */
  agentId: string | null;
  agentNick: string | null;
  sender: MessageSender;
  kind: MessageKind;
  createdAt: number;
  /** The message's text, or the part of a long one around its first match. */
  text: string;
  /** Whether text was cut before its start or after its end. */
  clippedStart: boolean;
  clippedEnd: boolean;
  ranges: MatchRange[];
};

export type SearchResult = {
  hits: SearchHit[];
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
  /** Matching messages: exactly, at most, or at least this many (a very common term is not counted to the end). */
  total: number;
  totalBound: 'exact' | 'atMost' | 'atLeast';
};

export type MessagesAround = { messages: Message[]; hasOlder: boolean; hasNewer: boolean };

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'an id holds letters, digits, _ and - only');
const millis = z.number().int().nonnegative();

export const SEARCH_QUERY_MAX = 100;
export const SEARCH_PAGE_MAX = 100;

export const searchArgsSchema = z
  .object({
    q: z
      .string()
      .max(SEARCH_QUERY_MAX * 2)
      .refine(
        (q) => q.trim().length > 0 && Array.from(q.trim()).length <= SEARCH_QUERY_MAX,
        `a search holds 1 to ${SEARCH_QUERY_MAX} characters`,
      ),
    customerId: id.optional(),
    agentId: id.optional(),
    /** Messages at or after this instant. */
    from: millis.optional(),
    /** Messages before this instant. */
    to: millis.optional(),
    direction: z.enum(['buyer', 'agent', 'system']).optional(),
    /** The `next` of the previous page. */
    after: z
      .string()
      .max(40)
      .regex(/^\d{1,16}:\d{1,16}$/, 'not a search cursor')
      .optional(),
    limit: z.number().int().min(1).max(SEARCH_PAGE_MAX).default(50),
  })
  .strict()
  .refine((a) => a.from === undefined || a.to === undefined || a.from < a.to, { message: 'the start is after the end', path: ['to'] });

export const searchMethods = {
  /** Messages whose text holds `q` (any length, Chinese of one or two characters too), newest first. */
  'messages.search': define<SearchResult>()(searchArgsSchema),
  /** A message with the messages before and after it in its conversation (opening at a search hit). */
  'messages.around': define<MessagesAround>()(
    z
      .object({
        conversationId: id,
        messageId: id,
        before: z.number().int().min(0).max(200).default(30),
        after: z.number().int().min(0).max(1000).default(200),
      })
      .strict(),
  ),
} as const;
