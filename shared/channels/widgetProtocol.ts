import { z } from 'zod';

/**
 * The web chat widget's own small protocol (issue 13), between a buyer's browser and the team hub:
 * JSON frames over `GET /widget/ws`, plus `POST /widget/images` for a picture. Nothing of the desks'
 * contract is reachable this way. The widget bundle imports the types only (no zod in the buyer's
 * page); the hub parses every frame with the schemas below.
 */

/** A message as a buyer sees it: no agent ids, no internal fields; the agent's nick. */
export type WidgetMessage = {
  id: string;
  from: 'buyer' | 'agent' | 'system';
  /** `product`: a product card; its text is the card's lines (shared/domain/productCard.ts). */
  kind: 'text' | 'image' | 'product';
  text: string;
  /** The answering agent's nick (agent messages only). */
  agentNick: string | null;
  at: number;
  /** The widget's own id for a buyer message it sent (so a resend after a lost answer is recognised). */
  clientId: string | null;
};

/** What the chat shows around the messages. */
export type WidgetState = {
  /** An agent is signed in at a desk and online now. */
  online: boolean;
  /** Within the shop's working hours (always, when it keeps none). */
  open: boolean;
  welcomeText: string;
  offlineText: string;
};

export const WIDGET_FRAME_MAX_BYTES = 64 * 1024;
/** Messages in the first page of a returning buyer's history, and in each older page. */
export const WIDGET_PAGE = 50;

export const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a client id is 8 to 64 of A-Z a-z 0-9 _ -');
const visitorToken = z.string().max(200);
const at = z.number().int().nonnegative();
const messageId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export const orderNo = z.string().regex(/^[A-Za-z0-9-]{4,40}$/, 'an order number is 4 to 40 of A-Z a-z 0-9 -');

/** Frames a widget sends. */
export const widgetFrame = z.discriminatedUnion('type', [
  /** First frame: who this browser was (its stored token, or null) and the newest message it holds. */
  z
    .object({ type: z.literal('hello'), token: visitorToken.nullable(), after: z.object({ id: messageId, at }).strict().nullable() })
    .strict(),
  z.object({ type: z.literal('send'), clientId, text: z.string().max(20_000) }).strict(),
  z.object({ type: z.literal('order'), clientId, orderNo }).strict(),
  /** The offline form: a message and how to reach the buyer. */
  z.object({ type: z.literal('offline'), clientId, text: z.string().max(20_000), contact: z.string().max(200) }).strict(),
  z.object({ type: z.literal('older'), before: z.object({ id: messageId, at }).strict() }).strict(),
]);
export type WidgetFrame = z.infer<typeof widgetFrame>;

/** Frames the hub sends a widget. */
export type ToWidget =
  | { type: 'ready'; token: string | null; state: WidgetState; messages: WidgetMessage[]; hasMore: boolean }
  /** This browser is a buyer now (its first message): keep the token to come back as the same buyer. */
  | { type: 'visitor'; token: string }
  | { type: 'ack'; clientId: string; message: WidgetMessage }
  | { type: 'message'; message: WidgetMessage }
  | { type: 'older'; messages: WidgetMessage[]; hasMore: boolean }
  | { type: 'ended' }
  /** Whether an agent is there changed (a desk signed in or out, an agent went online or away). */
  | { type: 'state'; state: WidgetState }
  /** A frame was not taken: `code` is the contract's error code; `retryAfterMs` when throttled. */
  | { type: 'refused'; clientId: string | null; code: string; message: string; retryAfterMs?: number };

/** The socket's close code when the hub ends a widget's session (bad hello, too many frames). */
export const WIDGET_CLOSE = { badHello: 4400, flood: 4429 } as const;
