import { inSpan, localWeekday, minutes, type DailySpan } from './clock';

/**
 * Automatic replies (自动回复) as a pure function: `autoReplyFor(event, state, now)` says what to
 * answer one incoming message with: the welcome, the best keyword rule, the away reply. Each answer
 * carries a key naming its window; the caller stores it (UNIQUE) before sending, and a stored key is
 * never answered again, so a second desk or a restart cannot send one twice.
 */

export type MatchMode = 'contains' | 'exact' | 'starts_with';

export type KeywordRule = {
  id: string;
  enabled: boolean;
  /** Higher first; ties by the order listed. */
  priority: number;
  mode: MatchMode;
  /** Words, or patterns where `*` stands for any characters. Case and width are ignored. */
  triggers: string[];
  reply: string;
};

export type WorkingHours = { days: number[]; span: DailySpan };

export type AutoReplyConfig = {
  welcome: { enabled: boolean; text: string };
  /** A conversation quiet this long starts a new window (a new welcome). */
  windowMinutes: number;
  keywords: KeywordRule[];
  away: {
    enabled: boolean;
    /** `{预计回复}` in the text is replaced by `expectedAnswer`. */
    text: string;
    expectedAnswer: string;
    workingHours: WorkingHours | null;
  };
  offsetMinutes: number;
};

export const DEFAULT_WINDOW_MINUTES = 30;

export type IncomingMessage = {
  conversationId: string;
  messageId: string;
  sender: 'buyer' | 'agent' | 'system';
  /** Sent by a program (our own auto-reply, another shop tool, a platform bot), not typed by a person. */
  automated: boolean;
  text: string;
  at: number;
};

export type ConversationAutoState = {
  config: AutoReplyConfig;
  /** The last message of the conversation before this one (any sender), or null for the first. */
  lastMessageAt: number | null;
  /** When the current window began (stored from the previous answer's `windowStart`). */
  windowStart: number | null;
  /** The agent serving the conversation, and their state; null when unassigned. */
  agentState: 'online' | 'busy' | 'offline' | null;
  /** Agents of the shop online now (在线). */
  agentsOnline: number;
  /** Keys stored so far. */
  done: ReadonlySet<string>;
};

export type AutoReply = { kind: 'welcome' | 'keyword' | 'away'; text: string; key: string; ruleId?: string };
export type AutoReplyPlan = { replies: AutoReply[]; /** Store this as the conversation's window start. */ windowStart: number | null };

const fold = (s: string) => s.normalize('NFKC').toLowerCase().trim();

function patternOf(trigger: string, mode: MatchMode): RegExp | null {
  const parts = fold(trigger).split('*');
  if (parts.every((p) => p.length === 0)) return null;
  const body = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?');
  if (mode === 'exact') return new RegExp(`^${body}$`, 'u');
  if (mode === 'starts_with') return new RegExp(`^${body}`, 'u');
  return new RegExp(body, 'u');
}

export function ruleMatches(rule: KeywordRule, text: string): boolean {
  const t = fold(text);
  return rule.triggers.some((trigger) => patternOf(trigger, rule.mode)?.test(t) ?? false);
}

/** Why the shop counts as away at `now`, or null when someone is there to answer. */
export function awayReason(
  state: ConversationAutoState,
  now: number,
): 'no_agent_online' | 'agent_busy' | 'agent_offline' | 'after_hours' | null {
  const { config } = state;
  const hours = config.away.workingHours;
  if (hours && !(hours.days.includes(localWeekday(now, config.offsetMinutes)) && inSpan(hours.span, now, config.offsetMinutes))) {
    return 'after_hours';
  }
  if (state.agentState === 'busy') return 'agent_busy';
  if (state.agentState === 'offline') return 'agent_offline';
  if (state.agentsOnline === 0) return 'no_agent_online';
  return null;
}

export function autoReplyFor(event: IncomingMessage, state: ConversationAutoState, now: number): AutoReplyPlan {
  const { config } = state;
  // Only a person who is a buyer is answered: never an agent, a system line, our own or another bot.
  if (event.sender !== 'buyer' || event.automated) return { replies: [], windowStart: state.windowStart };
  const fresh =
    state.lastMessageAt === null || event.at - state.lastMessageAt >= minutes(config.windowMinutes) || state.windowStart === null;
  const windowStart = fresh ? event.at : state.windowStart!;
  const scope = `${event.conversationId}:${windowStart}`;
  const replies: AutoReply[] = [];
  const offer = (reply: AutoReply) => {
    if (!state.done.has(reply.key)) replies.push(reply);
  };

  const away = config.away.enabled ? awayReason(state, now) : null;
  // Away supersedes the welcome: "hello, how can I help" and "nobody is here" contradict each other.
  if (away) offer({ kind: 'away', text: config.away.text.split('{预计回复}').join(config.away.expectedAnswer), key: `auto:away:${scope}` });
  else if (config.welcome.enabled && fresh && config.welcome.text.trim())
    offer({ kind: 'welcome', text: config.welcome.text, key: `auto:welcome:${scope}` });

  const rule = config.keywords
    .map((r, index) => ({ r, index }))
    .filter(({ r }) => r.enabled && r.reply.trim() && ruleMatches(r, event.text))
    .sort((a, b) => b.r.priority - a.r.priority || a.index - b.index)[0]?.r;
  if (rule) offer({ kind: 'keyword', text: rule.reply, key: `auto:keyword:${rule.id}:${scope}`, ruleId: rule.id });
  return { replies, windowStart };
}
