import { z } from 'zod';
import { AUTOMATION_LIMITS as L, type AutomationRule, type AutomationSettings } from '../domain/automation/settings';
import { define } from './define';

/**
 * Automation (issue 16): the auto-replies' and 催付's settings (everyone reads them; supervisors and
 * the owner change them: policy `keepAutomation`), the 待付款 queue with its one-click reminder, and
 * the reminder log with its figures. In team mode they are the hub's (its runner is the shop's one).
 */

export type AutomationConfig = { settings: AutomationSettings; rules: AutomationRule[] };

/** An order placed and not paid, as the 待付款 queue lists it. */
export type PendingOrder = {
  orderId: string;
  orderNo: string;
  customerId: string;
  customerNick: string;
  amountCents: number;
  createdAt: number;
  /** Placed in a flash sale (秒杀): it closes sooner, and so does its pre-close reminder. */
  flashSale: boolean;
  /** A reminder of this order went out already (已催付). */
  reminded: boolean;
};

export type ReminderLogEntry = {
  id: string;
  at: number;
  kind: 'after_order' | 'pre_close' | 'manual';
  customerId: string;
  customerNick: string;
  orderIds: string[];
  amountCents: number;
  outcome: 'sent' | 'skipped';
  /** Why a reminder was skipped: late (over an hour past its time), quiet_hours, no_conversation, disabled. */
  reason: string | null;
};

export type ReminderFigures = {
  today: number;
  week: number;
  /** Orders reminded in the last 7 days and paid after their reminder, and what they came to. */
  paidAfter: number;
  recoveredCents: number;
};

export type ReminderLog = { entries: ReminderLogEntry[]; figures: ReminderFigures };

const minutes = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 60);
const span = z.object({ start: z.number().int().min(0).max(1439), end: z.number().int().min(0).max(1439) }).strict();
const text = (max: number) => z.string().max(max);

export const automationSettingsSchema = z
  .object({
    welcome: z.object({ enabled: z.boolean(), text: text(L.replyChars) }).strict(),
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    away: z
      .object({
        enabled: z.boolean(),
        text: text(L.replyChars),
        expectedAnswer: text(50),
        workingHours: z
          .object({ days: z.array(z.number().int().min(0).max(6)).max(7), span })
          .strict()
          .nullable(),
      })
      .strict(),
    reminders: z
      .object({
        enabled: z.boolean(),
        timing: z.discriminatedUnion('kind', [
          z
            .object({
              kind: z.literal('after'),
              minutes: z
                .number()
                .int()
                .min(1)
                .max(24 * 60),
            })
            .strict(),
          z.object({ kind: z.literal('at_hours'), hours: z.array(z.number().int().min(0).max(23)).min(1).max(24) }).strict(),
        ]),
        preCloseMinutes: minutes.nullable(),
        closeAfterMinutes: z
          .number()
          .int()
          .min(10)
          .max(30 * 24 * 60),
        flashCloseAfterMinutes: z
          .number()
          .int()
          .min(5)
          .max(30 * 24 * 60),
        quietHours: span
          .extend({ mode: z.enum(['skip', 'send_at_opening']) })
          .strict()
          .nullable(),
        lateDropMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60),
        template: text(L.templateChars).refine((s) => s.trim().length > 0, 'the template is empty'),
      })
      .strict(),
  })
  .strict();

export const automationRuleSchema = z
  .object({
    id: z.string().min(1).max(64),
    enabled: z.boolean(),
    priority: z.number().int().min(-1000).max(1000),
    mode: z.enum(['contains', 'exact', 'starts_with']),
    triggers: z
      .array(text(L.triggerChars).refine((s) => s.trim().length > 0, 'a trigger is empty'))
      .min(1)
      .max(L.triggers),
    reply: text(L.replyChars),
    phraseId: z.string().min(1).max(64).nullable(),
  })
  .strict();

export const automationMethods = {
  /** The shop's automation settings and keyword rules. */
  'automation.get': define<AutomationConfig>()(z.object({}).strict()),
  /**
   * Replaces them (supervisors, the owner). A text holding a red-line word is refused (`conflict`,
   * `details.redLines`) unless `confirmRedLines`.
   */
  'automation.save': define<AutomationConfig>()(
    z
      .object({
        settings: automationSettingsSchema,
        rules: z.array(automationRuleSchema).max(L.rules),
        confirmRedLines: z.boolean().optional(),
      })
      .strict(),
  ),
  /** The 待付款 queue: unpaid orders still open, newest first. */
  'automation.pending': define<PendingOrder[]>()(z.object({}).strict()),
  /**
   * Sends a 催付 card for the order into its buyer's conversation now (the queue's button) and marks
   * it 已催付; `conflict` when it was reminded already (by the runner or another desk).
   */
  'automation.remind': define<{ messageId: string; conversationId: string }>()(z.object({ orderId: z.string().min(1).max(64) }).strict()),
  /** The reminder log, newest first, with the figures (today, 7 days, paid after, recovered). */
  'automation.log': define<ReminderLog>()(
    z.object({ before: z.number().int().nullable().default(null), limit: z.number().int().min(1).max(L.logPage).default(50) }).strict(),
  ),
} as const;
