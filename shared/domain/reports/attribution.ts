import { HOUR_MS } from './clock';

/**
 * Asking before ordering (询单), and which agent an order is owed to. Precisely:
 * - A buyer asked on a conversation's day (询单) when she wrote that day and had placed no order in
 *   the 24 hours before her first message of the day (a buyer writing about the order she just
 *   placed is not asking before ordering).
 * - An order follows asking when the buyer asked within the 24 hours before placing it: its first
 *   message of that conversation's day came at most 24 hours before the order, and not after it.
 *   Of several such days the latest counts. The order then belongs to that day: to its agent (sales
 *   attributed to the agent), and to that day in every period (so the buyers who ordered are a part
 *   of the buyers who asked, in any period).
 * - Paid: the order has a payment time (a refund later does not undo it here).
 */
export const ASK_WINDOW_MS = 24 * HOUR_MS;

/** Whether a buyer's first message of a day at `firstBuyerAt` is asking before ordering, given her orders' times. */
export function isInquiry(firstBuyerAt: number, orderTimes: Iterable<number>): boolean {
  for (const t of orderTimes) if (t >= firstBuyerAt - ASK_WINDOW_MS && t < firstBuyerAt) return false;
  return true;
}

export type AskingDay = { conversationId: string; day: number; agentId: string; firstBuyerAt: number; inquiry: boolean };

/** The asking day an order placed at `orderAt` follows, or null: the latest inquiry in the 24 hours up to it (ties: the smaller conversation id). */
export function askingDayOf<T extends AskingDay>(orderAt: number, days: Iterable<T>): T | null {
  let best: T | null = null;
  for (const d of days) {
    if (!d.inquiry || d.firstBuyerAt > orderAt || d.firstBuyerAt < orderAt - ASK_WINDOW_MS) continue;
    if (!best || d.firstBuyerAt > best.firstBuyerAt || (d.firstBuyerAt === best.firstBuyerAt && d.conversationId < best.conversationId)) {
      best = d;
    }
  }
  return best;
}
