import type { AutomationRule } from '../../shared/domain/automation/settings';
import type { Db } from './connection';

export type ReminderLogRow = {
  id: string;
  at: number;
  kind: 'after_order' | 'pre_close' | 'manual';
  customer_id: string;
  order_ids: string;
  amount_cents: number;
  outcome: 'sent' | 'skipped';
  reason: string | null;
  message_id: string | null;
  /** Whom the reminder counts for in the reports: the agent who clicked 催付, or the conversation's agent when the runner sent it. */
  agent_id: string | null;
};

export type UnpaidOrderRow = {
  id: string;
  order_no: string;
  customer_id: string;
  customer_nick: string;
  amount_cents: number;
  created_at: number;
  /** 1: placed in a flash sale (migration 0020), it closes sooner. */
  flash_sale: 0 | 1;
  /** Which reminders of it are done (keys stored): bit 1 after the order, bit 2 before it closes. */
  reminded: number;
};

type RuleRow = {
  id: string;
  sort: number;
  enabled: 0 | 1;
  priority: number;
  mode: AutomationRule['mode'];
  triggers: string;
  reply: string;
  phrase_id: string | null;
};

/**
 * Automation's tables (migration 0014): keyword rules, idempotency keys, auto-reply windows and the
 * reminder log. `claim` is the one rule that keeps a reminder or an answer from going out twice: it
 * runs inside the transaction that writes the message.
 */
export function automationQueries(db: Db) {
  // Prepared on first use: a store opened over an older schema (a migration's test) never needs them.
  let prepared: ReturnType<typeof prepare> | undefined;
  const prepare = () => ({
    rules: db.prepare('SELECT * FROM automation_rules ORDER BY sort'),
    clearRules: db.prepare('DELETE FROM automation_rules'),
    insertRule: db.prepare(
      `INSERT INTO automation_rules (id, sort, enabled, priority, mode, triggers, reply, phrase_id, updated_at)
       VALUES (@id, @sort, @enabled, @priority, @mode, @triggers, @reply, @phrase_id, @updated_at)`,
    ),
    hasKey: db.prepare('SELECT 1 FROM automation_keys WHERE key = ?').pluck(),
    insertKey: db.prepare('INSERT INTO automation_keys (key, at) VALUES (?, ?) ON CONFLICT(key) DO NOTHING'),
    windowOf: db.prepare('SELECT window_start FROM automation_windows WHERE conversation_id = ?').pluck(),
    setWindow: db.prepare(
      `INSERT INTO automation_windows (conversation_id, window_start) VALUES (?, ?)
       ON CONFLICT(conversation_id) DO UPDATE SET window_start = excluded.window_start`,
    ),
    insertLog: db.prepare(
      `INSERT INTO reminder_log (id, at, kind, customer_id, order_ids, amount_cents, outcome, reason, message_id, agent_id)
       VALUES (@id, @at, @kind, @customer_id, @order_ids, @amount_cents, @outcome, @reason, @message_id, @agent_id)`,
    ),
    logPage: db.prepare('SELECT * FROM reminder_log WHERE at < ? ORDER BY at DESC, id DESC LIMIT ?'),
    sentSince: db.prepare("SELECT count(*) FROM reminder_log WHERE outcome = 'sent' AND at >= ?").pluck(),
    // Orders reminded since `from` and paid after their reminder, counted once each. (The orders of a
    // log row as `IN (SELECT value FROM json_each(…))`: text on PostgreSQL too, where a joined
    // json_each alias would be json.)
    recovered: db.prepare(
      `SELECT count(*) AS orders, coalesce(sum(amount_cents), 0) AS cents FROM orders WHERE id IN (
         SELECT o.id FROM reminder_log l
         JOIN orders o ON o.id IN (SELECT value FROM json_each(l.order_ids))
         WHERE l.outcome = 'sent' AND l.at >= ? AND o.paid_at IS NOT NULL AND o.paid_at >= l.at)`,
    ),
    // The reports' period figures: reminders sent in [from, to), and the orders they covered paid after them.
    sentBetween: db.prepare("SELECT count(*) FROM reminder_log WHERE outcome = 'sent' AND at >= ? AND at < ?").pluck(),
    recoveredBetween: db.prepare(
      `SELECT count(*) AS orders, coalesce(sum(amount_cents), 0) AS cents FROM orders WHERE id IN (
         SELECT o.id FROM reminder_log l
         JOIN orders o ON o.id IN (SELECT value FROM json_each(l.order_ids))
         WHERE l.outcome = 'sent' AND l.at >= ? AND l.at < ? AND o.paid_at IS NOT NULL AND o.paid_at >= l.at)`,
    ),
    // The same per agent the reminder counts for ('' : nobody): sent, and orders paid after one of theirs (each once per agent).
    sentByAgent: db.prepare(
      `SELECT coalesce(agent_id, '') AS agent, count(*) AS n FROM reminder_log
       WHERE outcome = 'sent' AND at >= ? AND at < ? GROUP BY coalesce(agent_id, '')`,
    ),
    recoveredByAgent: db.prepare(
      `SELECT agent, count(*) AS orders, coalesce(sum(cents), 0) AS cents FROM (
         SELECT DISTINCT coalesce(l.agent_id, '') AS agent, o.id AS order_id, o.amount_cents AS cents
         FROM reminder_log l
         JOIN orders o ON o.id IN (SELECT value FROM json_each(l.order_ids))
         WHERE l.outcome = 'sent' AND l.at >= ? AND l.at < ? AND o.paid_at IS NOT NULL AND o.paid_at >= l.at) per
       GROUP BY agent`,
    ),
  });
  const q = () => (prepared ??= prepare());
  // Names `orders.flash_sale` (migration 0020): its own, so a store over a version-14 file claims keys without it.
  let unpaidStatement: ReturnType<Db['prepare']> | undefined;
  // Unpaid orders placed since `from`, with the reminders of each already done (bit 1 | bit 2 by CASE:
  // PostgreSQL's EXISTS is a boolean, which takes no bit operators).
  const unpaid = () =>
    (unpaidStatement ??= db.prepare(
      `SELECT o.id, o.order_no, o.customer_id, cu.nick AS customer_nick, o.amount_cents, o.created_at, o.flash_sale,
         (CASE WHEN EXISTS (SELECT 1 FROM automation_keys WHERE key = 'remind:after_order:' || o.id) THEN 1 ELSE 0 END)
         + (CASE WHEN EXISTS (SELECT 1 FROM automation_keys WHERE key = 'remind:pre_close:' || o.id) THEN 2 ELSE 0 END) AS reminded
       FROM orders o JOIN customers cu ON cu.id = o.customer_id
       WHERE o.status = 'pending_payment' AND o.created_at >= ? ORDER BY o.created_at DESC LIMIT ?`,
    ));

  return {
    rules(): AutomationRule[] {
      return (q().rules.all() as RuleRow[]).map((r) => ({
        id: r.id,
        enabled: r.enabled === 1,
        priority: r.priority,
        mode: r.mode,
        triggers: JSON.parse(r.triggers) as string[],
        reply: r.reply,
        phraseId: r.phrase_id,
      }));
    },
    /** Replaces the keyword rules (call inside `store.tx`); the list's order is kept. */
    replaceRules(list: readonly AutomationRule[], at: number): void {
      q().clearRules.run();
      list.forEach((r, sort) =>
        q().insertRule.run({
          id: r.id,
          sort,
          enabled: r.enabled ? 1 : 0,
          priority: r.priority,
          mode: r.mode,
          triggers: JSON.stringify(r.triggers),
          reply: r.reply,
          phrase_id: r.phraseId,
          updated_at: at,
        }),
      );
    },
    hasKey(key: string): boolean {
      return q().hasKey.get(key) !== undefined;
    },
    /**
     * Takes every key or none (call inside `store.tx`): false when one is taken already (another
     * runner, an earlier run, a click), and then the caller sends nothing.
     */
    claim(keys: readonly string[], at: number): boolean {
      if (keys.some((k) => q().hasKey.get(k) !== undefined)) return false;
      for (const k of keys) q().insertKey.run(k, at);
      return true;
    },
    windowStart(conversationId: string): number | null {
      return (q().windowOf.get(conversationId) as number | undefined) ?? null;
    },
    setWindowStart(conversationId: string, at: number): void {
      q().setWindow.run(conversationId, at);
    },
    log(row: ReminderLogRow): void {
      q().insertLog.run(row);
    },
    logPage(before: number, limit: number): ReminderLogRow[] {
      return q().logPage.all(before, limit) as ReminderLogRow[];
    },
    unpaid(from: number, limit: number): UnpaidOrderRow[] {
      return unpaid().all(from, limit) as UnpaidOrderRow[];
    },
    sentSince(from: number): number {
      return q().sentSince.get(from) as number;
    },
    recoveredSince(from: number): { orders: number; cents: number } {
      return q().recovered.get(from) as { orders: number; cents: number };
    },
    /**
     * `figuresBetween` per agent the reminder counts for (`agent_id`: the agent who clicked it, or the
     * agent serving the conversation when the runner sent it; '' none). Agents with none are absent.
     */
    figuresByAgentBetween(from: number, to: number): Map<string, { sent: number; paidAfter: number; recoveredCents: number }> {
      const out = new Map<string, { sent: number; paidAfter: number; recoveredCents: number }>();
      for (const r of q().sentByAgent.all(from, to) as { agent: string; n: number }[])
        out.set(r.agent, { sent: r.n, paidAfter: 0, recoveredCents: 0 });
      for (const r of q().recoveredByAgent.all(from, to) as { agent: string; orders: number; cents: number }[]) {
        const figures = out.get(r.agent) ?? { sent: 0, paidAfter: 0, recoveredCents: 0 };
        out.set(r.agent, { ...figures, paidAfter: r.orders, recoveredCents: r.cents });
      }
      return out;
    },
    /** Reminders sent in [from, to) (ms), the orders they covered that were paid after them, and their amount. */
    figuresBetween(from: number, to: number): { sent: number; paidAfter: number; recoveredCents: number } {
      const recovered = q().recoveredBetween.get(from, to) as { orders: number; cents: number };
      return { sent: q().sentBetween.get(from, to) as number, paidAfter: recovered.orders, recoveredCents: recovered.cents };
    },
  };
}

export type AutomationQueries = ReturnType<typeof automationQueries>;
