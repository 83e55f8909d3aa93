import type { Migration } from './index';

/**
 * Reports (issue 17): rollups kept as messages and orders are written, so a report over a year reads
 * thousands of rows, never the history. Filled by the store's report engine (store/reports.ts), which
 * follows the change feed from a watermark and rebuilds from scratch in batches when it has none (a
 * file from before this migration), when the feed was compacted past it, or when the shop's time zone
 * or working hours changed. Days are shop-local day numbers (days since 1970-01-01).
 * - report_conv_days: one conversation's day, folded (shared/domain/reports/fold.ts), with what it
 *   hands the next day (carry_*) and its contributions to the tables below (contrib, JSON), so a
 *   recomputed day takes its old contributions out before adding the new ones.
 * - report_authors: per day and author (agent id, '' for automatic messages): messages, responses, times.
 * - report_hist: responses per day, agent and first-or-not, as counts per time bucket (JSON
 *   [[bucket, n], …]): medians and p90 over a year read about a thousand rows.
 * - report_hours: buyer messages per day and local hour (the heatmap).
 * - report_words, report_questions: per day, buyer words ({word: n}) and question keys ({key: [n,
 *   wording]}) as JSON: hot words and questions over a year read one row a day.
 * A conversation day names its buyer and agent by rowid too (customer_key, agent_key; 0 for nobody),
 * so a period's rows are read as integers from the covering index.
 * - report_orders: orders that followed asking, with the asking day and agent they belong to.
 * - report_state: the watermark (feed seq), a rebuild's progress, the settings the rows were made with.
 */
export const m0013Reports: Migration = {
  version: 13,
  name: 'reports',
  up(db) {
    db.exec(`
      CREATE TABLE report_conv_days (
        conversation_id  TEXT NOT NULL,
        day              INTEGER NOT NULL,
        customer_id      TEXT NOT NULL,
        customer_key     INTEGER NOT NULL,
        agent_id         TEXT NOT NULL,
        agent_key        INTEGER NOT NULL,
        own_agent        TEXT NOT NULL,
        first_buyer_at   INTEGER,
        buyer_msgs       INTEGER NOT NULL,
        inquiry          INTEGER NOT NULL,
        late             INTEGER NOT NULL,
        open_since       INTEGER,
        open_until       INTEGER,
        open_agent       TEXT,
        carry_agent      TEXT,
        carry_wait_since INTEGER,
        carry_wait_day   INTEGER,
        contrib          TEXT NOT NULL,
        PRIMARY KEY (conversation_id, day)
      ) WITHOUT ROWID;
      -- A period's rows straight from the index, without reading the contributions.
      CREATE INDEX report_conv_days_day ON report_conv_days(day, buyer_msgs, agent_key, customer_key, inquiry, late, open_since, open_until);
      CREATE INDEX report_conv_days_customer ON report_conv_days(customer_id, first_buyer_at);

      CREATE TABLE report_authors (
        day         INTEGER NOT NULL,
        agent_id    TEXT NOT NULL,
        msgs        INTEGER NOT NULL,
        auto        INTEGER NOT NULL,
        responses   INTEGER NOT NULL,
        response_ms INTEGER NOT NULL,
        firsts      INTEGER NOT NULL,
        first_ms    INTEGER NOT NULL,
        PRIMARY KEY (day, agent_id)
      ) WITHOUT ROWID;

      CREATE TABLE report_hist (
        day      INTEGER NOT NULL,
        agent_id TEXT NOT NULL,
        first    INTEGER NOT NULL,
        counts   TEXT NOT NULL,
        PRIMARY KEY (day, agent_id, first)
      ) WITHOUT ROWID;

      CREATE TABLE report_hours (
        day  INTEGER NOT NULL,
        hour INTEGER NOT NULL,
        n    INTEGER NOT NULL,
        PRIMARY KEY (day, hour)
      ) WITHOUT ROWID;

      CREATE TABLE report_words (
        day    INTEGER PRIMARY KEY,
        counts TEXT NOT NULL
      );

      CREATE TABLE report_questions (
        day    INTEGER PRIMARY KEY,
        counts TEXT NOT NULL
      );

      CREATE TABLE report_orders (
        order_id        TEXT PRIMARY KEY,
        customer_id     TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        amount_cents    INTEGER NOT NULL,
        paid            INTEGER NOT NULL,
        conversation_id TEXT NOT NULL,
        day             INTEGER NOT NULL,
        agent_id        TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX report_orders_day ON report_orders(day, agent_id, customer_id, amount_cents, paid);
      CREATE INDEX report_orders_conversation ON report_orders(conversation_id, day);
      CREATE INDEX report_orders_customer ON report_orders(customer_id, created_at);

      CREATE TABLE report_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
