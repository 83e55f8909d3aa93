import type { ConversationSummary } from './types';

/**
 * What a desk tells its agent when buyers write (issue 15, "never miss a buyer"): pure, so the rules
 * are tested without a browser. The desk keeps the last list it saw (`ArrivalSnapshot`) and compares
 * each new one with it.
 */

/** A new buyer (a conversation the desk had not listed) or a new message in one it had. */
export type Arrival = { kind: 'newBuyer' | 'newMessage'; conversationId: string; customerNick: string; preview: string };

/** Per conversation, what the comparison needs of the last list. */
export type ArrivalSnapshot = ReadonlyMap<string, { unreadCount: number; lastMessageAt: number }>;

/** Conversations that are the agent's to answer: their own, and those nobody owns yet (未分配). */
export function isForAgent(c: Pick<ConversationSummary, 'agentId'>, agentId: string | null): boolean {
  return c.agentId === null || c.agentId === agentId;
}

export function snapshotOf(list: readonly ConversationSummary[]): ArrivalSnapshot {
  return new Map(list.map((c) => [c.id, { unreadCount: c.unreadCount, lastMessageAt: c.lastMessageAt }]));
}

/**
 * Buyers who wrote since `before`, for `agentId`: a conversation not in `before` that has unread
 * buyer messages is a new buyer; one whose unread count grew is a new message. A conversation read
 * meanwhile (its count went down) or one another agent owns says nothing. `before` null (the first
 * list after the desk opened, or after its replica was rebuilt) says nothing either: what was
 * already waiting is in the list, not news.
 */
export function arrivals(before: ArrivalSnapshot | null, after: readonly ConversationSummary[], agentId: string | null): Arrival[] {
  if (before === null) return [];
  const out: Arrival[] = [];
  for (const c of after) {
    if (c.status !== 'open' || c.unreadCount === 0 || !isForAgent(c, agentId)) continue;
    const was = before.get(c.id);
    const grew = was ? c.unreadCount > was.unreadCount && c.lastMessageAt >= was.lastMessageAt : true;
    if (!grew) continue;
    out.push({ kind: was ? 'newMessage' : 'newBuyer', conversationId: c.id, customerNick: c.customerNick, preview: c.lastMessagePreview });
  }
  return out;
}

/** The unread buyer messages the agent has to answer: the window title's and the badge's number. */
export function unreadTotal(list: readonly ConversationSummary[], agentId: string | null): number {
  let n = 0;
  for (const c of list) if (c.status === 'open' && isForAgent(c, agentId)) n += c.unreadCount;
  return n;
}

/** The window title: `(3) 接待 · 小店`; no count when nothing is unread. */
export function titleWith(unread: number, appName: string, shopName: string): string {
  const base = shopName ? `${appName} · ${shopName}` : appName;
  return unread > 0 ? `(${unread > 999 ? '999+' : unread}) ${base}` : base;
}
