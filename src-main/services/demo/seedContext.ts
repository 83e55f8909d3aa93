import type { Store } from '../../store';
import type { AgentRow } from '../../store/agents';
import type { ConversationRow } from '../../store/conversations';
import type { MessageRow } from '../../store/messages';
import type { OrderItemRow, OrderRow } from '../../store/orders';
import type { OrderFlag } from '../../../shared/domain/flags';
import type { Random } from './random';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** What every step of the demo seed works with: the store, one random source, one id source, one clock. */
export type SeedContext = { store: Store; rnd: Random; ids: () => string; now: number };

export type DemoAgents = { desk: AgentRow; all: readonly AgentRow[]; writers: readonly AgentRow[] };

export type CustomerPlan = { id: string; nick: string; weight: number; addresses: string[] };

export type NotePlan = { flag: OrderFlag; memo: string; authorId: string; at: number };

export type OrderPlan = { row: OrderRow; items: Omit<OrderItemRow, 'order_id'>[]; notes: NotePlan[] };

export type ConversationPlan = { row: ConversationRow; messages: MessageRow[]; topic: string };

/** A time between `from` and `to` (inclusive), whole milliseconds. */
export function between(ctx: SeedContext, from: number, to: number): number {
  return Math.round(from + ctx.rnd.next() * Math.max(0, to - from));
}
