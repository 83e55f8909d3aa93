import { z } from 'zod';
import type {
  Agent,
  ConversationSummary,
  Customer,
  Message,
  Order,
  Shop,
} from '../domain/types';
import { exportMethods } from './exports';

/**
 * The one contract between the renderer and the core. Every method is declared here once: its name
 * (`domain.verb`), the zod schema its arguments must pass in the core, and its result type. The
 * preload, the Electron main process, the browser-mode host and the core's router are all derived
 * from this object, so a method cannot exist on one side only.
 */
type MethodSpec<A extends z.ZodType, R> = { args: A; /** phantom: carries the result type only */ result?: [R] };

function define<R>() {
  return <A extends z.ZodType>(args: A): MethodSpec<A, R> => ({ args });
}

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'an id holds letters, digits, _ and - only');
const millis = z.number().int().nonnegative();

export type AppInfo = { version: string; shop: Shop; agent: Agent; demoBuyers: { enabled: boolean; intervalMs: number } };
export type MessagePage = { messages: Message[]; hasMore: boolean };

export const methods = {
  /** The shop, the agent at this desk, and the app's version. */
  'app.info': define<AppInfo>()(z.object({}).strict()),
  /** Conversations for the list, newest activity first; the desk sorts and filters. */
  'conversations.list': define<ConversationSummary[]>()(
    z.object({ status: z.enum(['open', 'ended', 'all']).default('open') }).strict(),
  ),
  /** Marks every buyer message of a conversation as read by the agent. */
  'conversations.markRead': define<null>()(z.object({ conversationId: id }).strict()),
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
          .max(5000)
          .refine((t) => t.trim().length > 0, 'a message needs some text'),
      })
      .strict(),
  ),
  /** One customer with tags and group. */
  'customers.get': define<Customer>()(z.object({ customerId: id }).strict()),
  /** A customer's orders, newest first. */
  'orders.listByCustomer': define<Order[]>()(z.object({ customerId: id }).strict()),
  /** Row counts per table (the CLI's `stats`, and a health view). */
  'stats.counts': define<Record<string, number>>()(z.object({}).strict()),
  /** Turns the demo buyer channel on or off and sets how often a demo buyer writes. */
  'demo.configureBuyers': define<{ enabled: boolean; intervalMs: number }>()(
    z.object({ enabled: z.boolean(), intervalMs: z.number().int().min(200).max(3_600_000).optional() }).strict(),
  ),
  ...exportMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (defaults may be left out). */
export type ArgsIn<M extends MethodName> = z.input<Methods[M]['args']>;
/** What a handler receives, after parsing. */
export type ArgsOut<M extends MethodName> = z.output<Methods[M]['args']>;
export type ResultOf<M extends MethodName> = NonNullable<Methods[M]['result']>[0];

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}
