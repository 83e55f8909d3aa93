/**
 * What belongs to one agent in a conversation (issue 15): a hold (挂起, no end), a snooze (稍后处理:
 * until a time, or until the buyer writes again) and the reply draft. Pure rules over a clock the
 * caller passes: the core decides with its own clock (the test clock in end-to-end tests), the desk
 * sorts and marks its list with the states the core answered.
 */

/** The longest draft kept for an agent in a conversation (the reply box holds less: REPLY_MAX_CHARS). */
export const DRAFT_MAX_CHARS = 4000;
/** The most conversations one agent keeps something in (holds and drafts of open conversations). */
export const PERSONAL_MAX_ROWS = 2000;
/**
 * The most personal writes a team desk keeps for its hub while it cannot reach it (one per
 * conversation and content: a newer write replaces the older). Past it a write is refused.
 */
export const PERSONAL_OUTBOX_MAX = 4000;
/** The most rows a hub answers a desk's `personal.sync` with (those with content first: at most PERSONAL_MAX_ROWS). */
export const PERSONAL_SYNC_ROWS_MAX = 4 * PERSONAL_MAX_ROWS;
/** Personal writes handed to the hub in one call. */
export const PERSONAL_SYNC_BATCH = 100;
/** How far ahead of the hub's clock a desk's write time is believed (beyond it, the hub's time is used). */
export const PERSONAL_CLOCK_SKEW_MS = 60_000;
/** The furthest ahead a snooze may be set. */
export const SNOOZE_MAX_MS = 366 * 24 * 60 * 60_000;

/** How a conversation is put aside: `held` until taken back, `until` a time, `buyer` until the buyer writes again. */
export type Hold = { kind: 'held' } | { kind: 'until'; until: number } | { kind: 'buyer' };

/** A hold as stored: with when it was set (a buyer message after `since` ends a `buyer` hold). */
export type StoredHold = Hold & { since: number };

/**
 * - `held`: put aside with no end (stays in the list, marked);
 * - `snoozed`: out of the list until it is due;
 * - `due`: its time came (or the buyer wrote): back at the top of the list, marked, until the agent opens it.
 */
export type HoldState = 'held' | 'snoozed' | 'due';

/** One conversation as the agent left it. */
export type PersonalItem = {
  conversationId: string;
  hold: StoredHold | null;
  /** The hold's state now (null: no hold). */
  state: HoldState | null;
  /** When a snooze is or was due: its time, or the buyer's first message after it (null: not yet known). */
  dueAt: number | null;
  draft: string;
  updatedAt: number;
};

/**
 * The state of a hold at `now`. `lastBuyerAt` is the time of the buyer's newest message in the
 * conversation (null: none).
 */
export function holdState(hold: StoredHold, lastBuyerAt: number | null, now: number): { state: HoldState; dueAt: number | null } {
  switch (hold.kind) {
    case 'held':
      return { state: 'held', dueAt: null };
    case 'until':
      return { state: hold.until <= now ? 'due' : 'snoozed', dueAt: hold.until };
    case 'buyer':
      return lastBuyerAt !== null && lastBuyerAt > hold.since ? { state: 'due', dueAt: lastBuyerAt } : { state: 'snoozed', dueAt: null };
  }
}

/** Why a snooze is refused (null: it may be set at `now`). */
export function holdProblem(hold: Hold, now: number): 'past' | 'too_far' | null {
  if (hold.kind !== 'until') return null;
  if (hold.until <= now) return 'past';
  if (hold.until - now > SNOOZE_MAX_MS) return 'too_far';
  return null;
}

/** The snoozes the desk offers in one click. */
export type SnoozePreset = '30m' | '2h' | 'tomorrow9';
export const SNOOZE_PRESETS: readonly SnoozePreset[] = ['30m', '2h', 'tomorrow9'];

/**
 * When a preset snooze set at `now` is due: 30 minutes, 2 hours, or tomorrow at 9:00 on the desk's
 * own calendar (the time zone of the process that asks: the agent's browser or window).
 */
export function snoozeUntil(preset: SnoozePreset, now: number): number {
  if (preset === '30m') return now + 30 * 60_000;
  if (preset === '2h') return now + 2 * 60 * 60_000;
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 9, 0, 0, 0).getTime();
}

/** The earliest time after `now` at which one of these snoozes falls due (null: none is waiting on a time). */
export function nextDue(items: Iterable<PersonalItem>, now: number): number | null {
  let next: number | null = null;
  for (const item of items) {
    if (item.hold?.kind !== 'until' || item.hold.until <= now) continue;
    if (next === null || item.hold.until < next) next = item.hold.until;
  }
  return next;
}

/**
 * The list's order with the agent's holds: due snoozes first (the most recently due on top), then
 * the rest in `order`; snoozed ones are left out unless `includeSnoozed` (the 已挂起 filter shows them).
 */
export function withHolds<T extends { id: string }>(
  list: readonly T[],
  states: ReadonlyMap<string, Pick<PersonalItem, 'state' | 'dueAt'>>,
  includeSnoozed: boolean,
): T[] {
  const due: T[] = [];
  const rest: T[] = [];
  for (const c of list) {
    const p = states.get(c.id);
    if (p?.state === 'due') due.push(c);
    else if (p?.state === 'snoozed' && !includeSnoozed) continue;
    else rest.push(c);
  }
  due.sort((a, b) => (states.get(b.id)?.dueAt ?? 0) - (states.get(a.id)?.dueAt ?? 0));
  return [...due, ...rest];
}
