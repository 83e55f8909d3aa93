import type { MessageKind, MessageSender } from '../types';
import { bucketOf } from './buckets';
import { localDay, localHour, MINUTE_MS, type ShopClock } from './clock';
import { isAcknowledgement, isQuestion, questionKey, wordsOf } from './text';
import { workingMs, type WorkingHours } from './workingHours';

/**
 * One conversation's day, folded from its messages: the unit every report is summed from. What
 * counts, precisely:
 * - A buyer's message is `sender: 'buyer'`. An agent's reply is `sender: 'agent'` with the agent who
 *   typed it; a message the app sent (`automated`: 自动回复, 催付; migration 0014; before it, an agent
 *   message without an agent) is an automatic one: counted as automatic, never as a reply, and it does not end a wait. System lines
 *   (`sender: 'system'`) count for nothing.
 * - A wait starts at the buyer's first message that is not answered yet, unless it only acknowledges
 *   (好的, 谢谢, 👌: no answer is owed), and ends at the next reply an agent types. Its length is the
 *   working time between the two (all of it when the shop has no working hours). A reply ending a
 *   wait is a response, counted for the agent who typed it on the day of the reply; the first one of
 *   the conversation's day is that day's first response.
 * - A wait is late (3 分钟未回复) past `lateMs` (3 minutes) of working time; it belongs to the day it
 *   started. A wait still open at the day's end is carried into the conversation's next day.
 * - The day's agent is the first agent who typed a reply that day, else the last one who did before
 *   (carried), else the one who answered the day's open wait on a later day (a buyer writing at 23:50,
 *   answered at 09:00), else nobody (''): the buyer's messages, the asking and the orders it led to
 *   are that agent's.
 */

export type ReportMessage = {
  id: string;
  conversationId: string;
  sender: MessageSender;
  agentId: string | null;
  kind: MessageKind;
  text: string;
  createdAt: number;
  /** Sent by the app (an auto-reply, a 催付 card), not typed by a person. */
  automated?: string | null;
};

/** What one day hands the conversation's next day. */
export type Carry = {
  /** The last agent who typed in the conversation, or null. */
  agent: string | null;
  /** A wait still open: when it started, and the day it started on. */
  wait: { since: number; day: number } | null;
};

export const NO_CARRY: Carry = { agent: null, wait: null };

/** An author's counts on a conversation's day ('' is the app itself: automatic messages). */
export type AuthorCounts = { msgs: number; auto: number; responses: number; responseMs: number; firsts: number; firstMs: number };

export type ConvDay = {
  conversationId: string;
  customerId: string;
  day: number;
  /** The day's agent ('' for nobody). */
  agentId: string;
  /** The buyer's first message of the day, or null when the buyer did not write. */
  firstBuyerAt: number | null;
  buyerMsgs: number;
  /** A wait that started and was answered this day took longer than 3 minutes. */
  late: boolean;
  /** A wait that started this day and was not answered by its end. */
  openSince: number | null;
  authors: Record<string, AuthorCounts>;
  /** One entry per response: [agent, 1 for the day's first response else 0, time bucket]. */
  hist: [string, 0 | 1, number][];
  /** Buyer messages per local hour. */
  hours: number[];
  /** Buyer messages holding each word (once per message). */
  words: Record<string, number>;
  /** Buyer questions by key: [count, one wording as written (the greatest, so any order of writes gives the same)]. */
  questions: Record<string, [number, string]>;
  carry: Carry;
  /** The carried wait this day answered: the day it started, the time of the reply and who typed it. */
  answered: { day: number; at: number; agent: string } | null;
};

export type FoldOptions = { clock: ShopClock; workingHours: WorkingHours | null; lateMs?: number };

export const LATE_MS = 3 * MINUTE_MS;

const SAMPLE_CHARS = 60;

export function emptyAuthor(): AuthorCounts {
  return { msgs: 0, auto: 0, responses: 0, responseMs: 0, firsts: 0, firstMs: 0 };
}

/** Messages in the order the store reads them: time, then id. */
export function byTime(a: ReportMessage, b: ReportMessage): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Folds one day of one conversation (its messages of that local day, in time order) after `carryIn`. */
export function foldDay(
  conversation: { id: string; customerId: string },
  day: number,
  messages: readonly ReportMessage[],
  carryIn: Carry,
  options: FoldOptions,
): ConvDay {
  const lateMs = options.lateMs ?? LATE_MS;
  const wait = (from: number, to: number) => workingMs(from, to, options.workingHours, options.clock);
  const out: ConvDay = {
    conversationId: conversation.id,
    customerId: conversation.customerId,
    day,
    agentId: '',
    firstBuyerAt: null,
    buyerMsgs: 0,
    late: false,
    openSince: null,
    authors: {},
    hist: [],
    hours: new Array<number>(24).fill(0),
    words: {},
    questions: {},
    carry: NO_CARRY,
    answered: null,
  };
  let waiting = carryIn.wait;
  let lastAgent = carryIn.agent;
  let firstAgent: string | null = null;
  let firstDone = false;
  const author = (id: string) => (out.authors[id] ??= emptyAuthor());
  for (const m of messages) {
    if (m.sender === 'buyer') {
      out.buyerMsgs++;
      out.firstBuyerAt ??= m.createdAt;
      out.hours[localHour(m.createdAt, options.clock)]!++;
      const text = m.kind === 'text' ? m.text : '';
      if (text) {
        for (const w of wordsOf(text)) out.words[w] = (out.words[w] ?? 0) + 1;
        if (isQuestion(text)) {
          const key = questionKey(text)!;
          const q = (out.questions[key] ??= [0, '']);
          q[0]++;
          // The greatest wording (as strings compare): the same whichever order the messages came in.
          const sample = text.slice(0, SAMPLE_CHARS);
          if (sample > q[1]) q[1] = sample;
        }
      }
      if (!waiting && (m.kind !== 'text' || !isAcknowledgement(m.text))) waiting = { since: m.createdAt, day };
    } else if (m.sender === 'agent' && (m.automated || m.agentId === null)) {
      author('').auto++;
    } else if (m.sender === 'agent' && m.agentId) {
      const a = author(m.agentId);
      a.msgs++;
      firstAgent ??= m.agentId;
      lastAgent = m.agentId;
      if (waiting) {
        const ms = wait(waiting.since, m.createdAt);
        const first = !firstDone;
        firstDone = true;
        a.responses++;
        a.responseMs += ms;
        if (first) {
          a.firsts++;
          a.firstMs += ms;
        }
        out.hist.push([m.agentId, first ? 1 : 0, bucketOf(ms)]);
        if (waiting.day === day) {
          if (ms > lateMs) out.late = true;
        } else {
          out.answered = { day: waiting.day, at: m.createdAt, agent: m.agentId };
        }
        waiting = null;
      }
    }
  }
  out.agentId = firstAgent ?? carryIn.agent ?? '';
  if (waiting && waiting.day === day) out.openSince = waiting.since;
  out.carry = { agent: lastAgent, wait: waiting };
  return out;
}

/**
 * A conversation's day with what later days told it: when its open wait was answered (`openUntil`)
 * and by whom (`openAgent`), who is then the day's agent if it had none.
 */
export type FoldedDay = ConvDay & { openUntil: number | null; openAgent: string | null };

/** What a later day's answer to a day's open wait does to that day. */
export function answerOpenWait(origin: FoldedDay, answered: { at: number; agent: string }): void {
  origin.openUntil = answered.at;
  origin.openAgent = answered.agent;
  if (origin.agentId === '') origin.agentId = answered.agent;
}

/** Every day of one conversation, from all its messages (any order): the reference the store's incremental upkeep must equal. */
export function foldConversation(
  conversation: { id: string; customerId: string },
  messages: readonly ReportMessage[],
  options: FoldOptions,
): FoldedDay[] {
  const sorted = [...messages].sort(byTime);
  const days: FoldedDay[] = [];
  let carry = NO_CARRY;
  for (let i = 0; i < sorted.length;) {
    const day = localDay(sorted[i]!.createdAt, options.clock);
    let j = i;
    while (j < sorted.length && localDay(sorted[j]!.createdAt, options.clock) === day) j++;
    const folded: FoldedDay = { ...foldDay(conversation, day, sorted.slice(i, j), carry, options), openUntil: null, openAgent: null };
    if (folded.answered) {
      const origin = days.find((d) => d.day === folded.answered!.day);
      if (origin) answerOpenWait(origin, folded.answered);
    }
    days.push(folded);
    carry = folded.carry;
    i = j;
  }
  return days;
}
