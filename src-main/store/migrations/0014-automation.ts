import type { Migration } from './index';

/**
 * Automation (issue 16): 催付 reminders and automatic replies, run by the shop's one runner (the
 * standalone desk's core, or the hub; see docs/architecture.md, "Automation").
 * - messages.automated: NULL for a message a person wrote; 'auto_reply' or 'reminder' for one the
 *   app sent (the chat labels it, the export names it, the reports never count it as an agent's).
 * - automation_rules: the keyword rules (priority, on/off, match mode, triggers, reply text or a
 *   phrase). The welcome, away and 催付 settings are one JSON row in `settings` ('automation').
 * - automation_keys: every reminder's and auto-reply's idempotency key, inserted in the transaction
 *   that writes its message (PRIMARY KEY: a second insert fails, and so that message is never sent):
 *   one reminder per order and kind, one answer per window, across restarts and processes.
 * - automation_windows: each conversation's current auto-reply window (its start).
 * - reminder_log: every reminder, sent or skipped with its reason, with the orders and amount it
 *   covered (the 催付 figures: reminded today / 7 days, paid after a reminder, amount recovered).
 */
export const m0014Automation: Migration = {
  version: 14,
  name: 'automation',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN automated TEXT CHECK (automated IN ('auto_reply', 'reminder'));

      CREATE TABLE automation_rules (
        id         TEXT PRIMARY KEY,
        sort       INTEGER NOT NULL,
        enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        priority   INTEGER NOT NULL,
        mode       TEXT NOT NULL CHECK (mode IN ('contains', 'exact', 'starts_with')),
        triggers   TEXT NOT NULL,
        reply      TEXT NOT NULL,
        phrase_id  TEXT,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE automation_keys (
        key TEXT PRIMARY KEY,
        at  INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE automation_windows (
        conversation_id TEXT PRIMARY KEY,
        window_start    INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE reminder_log (
        id           TEXT PRIMARY KEY,
        at           INTEGER NOT NULL,
        kind         TEXT NOT NULL CHECK (kind IN ('after_order', 'pre_close', 'manual')),
        customer_id  TEXT NOT NULL,
        order_ids    TEXT NOT NULL,
        amount_cents INTEGER NOT NULL,
        outcome      TEXT NOT NULL CHECK (outcome IN ('sent', 'skipped')),
        reason       TEXT,
        message_id   TEXT,
        agent_id     TEXT
      );
      CREATE INDEX reminder_log_at ON reminder_log(at);
      CREATE INDEX orders_unpaid ON orders(created_at) WHERE status = 'pending_payment';
    `);
  },
};
