import type { AutoReplyConfig, KeywordRule } from './autoReply';
import { DEFAULT_WINDOW_MINUTES } from './autoReply';
import { DEFAULT_REMINDER_CONFIG, type ReminderConfig } from './reminders';

/**
 * The shop's automation settings as stored and edited (issue 16): the auto-replies' welcome, away
 * reply and window, and the 催付 rules with their template. Keyword rules are kept apart (their own
 * rows). Everything starts switched off: a shop turns on what it wants on the settings screen.
 */
export type AutomationSettings = {
  welcome: { enabled: boolean; text: string };
  windowMinutes: number;
  away: AutoReplyConfig['away'];
  reminders: Omit<ReminderConfig, 'offsetMinutes'> & { template: string };
};

/** A keyword rule as the editor keeps it: the engine's rule plus an optional phrase as its reply. */
export type AutomationRule = KeywordRule & { phraseId: string | null };

export const AUTOMATION_LIMITS = {
  rules: 1000,
  triggers: 20,
  triggerChars: 50,
  replyChars: 1000,
  templateChars: 500,
  logPage: 200,
  pending: 500,
} as const;

/** Variables a 催付 template may hold, filled per buyer when the reminder is sent. */
export const REMINDER_VARIABLES = ['{买家昵称}', '{订单号}', '{金额}', '{店铺名}'] as const;

export const DEFAULT_REMINDER_TEMPLATE = '亲，{买家昵称}，您的订单 {订单号}（{金额}）还没有付款哦，库存有限，付款后我们尽快为您发货～';

export const DEFAULT_AUTOMATION_SETTINGS: AutomationSettings = {
  welcome: { enabled: false, text: '您好，欢迎光临！有什么可以帮您的吗？' },
  windowMinutes: DEFAULT_WINDOW_MINUTES,
  away: {
    enabled: false,
    text: '客服暂时不在，{预计回复}回复您，请稍候～',
    expectedAnswer: '预计 10 分钟内',
    workingHours: { days: [0, 1, 2, 3, 4, 5, 6], span: { start: 9 * 60, end: 23 * 60 } },
  },
  reminders: { ...withoutOffset(DEFAULT_REMINDER_CONFIG), enabled: false, template: DEFAULT_REMINDER_TEMPLATE },
};

function withoutOffset(config: ReminderConfig): Omit<ReminderConfig, 'offsetMinutes'> {
  const { offsetMinutes: _offset, ...rest } = config;
  return rest;
}

export type ReminderFill = { buyerNick: string; orderNos: string[]; amountCents: number; shopName: string };

/** Money as the shop shows it: ¥12.50. */
export function yuan(cents: number): string {
  return `¥${(cents / 100).toFixed(2)}`;
}

/** The template with its variables filled (several orders: their numbers joined, the amounts summed). */
export function fillReminder(template: string, fill: ReminderFill): string {
  const values: Record<string, string> = {
    '{买家昵称}': fill.buyerNick,
    '{订单号}': fill.orderNos.join('、'),
    '{金额}': yuan(fill.amountCents),
    '{店铺名}': fill.shopName,
  };
  return template.replace(/\{(买家昵称|订单号|金额|店铺名)\}/g, (v) => values[v] ?? v);
}
