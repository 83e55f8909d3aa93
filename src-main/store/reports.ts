import { ASK_WINDOW_MS } from '../../shared/domain/reports/attribution';
import { BUCKET_COUNT } from '../../shared/domain/reports/buckets';
import { dayStartMs, localDay, type ShopClock } from '../../shared/domain/reports/clock';
import {
  foldDay,
  NO_CARRY,
  type AuthorCounts,
  type Carry,
  type ConvDay,
  type FoldOptions,
  type ReportMessage,
} from '../../shared/domain/reports/fold';
import { slotOf, type PeriodRows, type PeriodSpec } from '../../shared/domain/reports/rollup';
import type { QuestionCount } from '../../shared/domain/reports/text';
import type { WorkingHours } from '../../shared/domain/reports/workingHours';
import type { Db } from './connection';

/**
 * The report engine (migration 0013): keeps the rollup tables equal to what
 * `shared/domain/reports/rollup.ts` computes from scratch, by following the change feed from a
 * watermark. Each step is one transaction: either the next changes (at most `maxChanges`) or, while
 * a rebuild runs, the next conversations and orders in rowid order. A message change recomputes its
 * conversation's day (and the days after it whose carried state changed); an order change, or a
 * day whose asking changed, recomputes the asking flags and order attributions of that buyer within
 * 24 hours. Every recompute is idempotent, so replaying changes already folded (after a rebuild) is
 * harmless. Contributions of a day to the per-day tables are kept in its row and taken out before
 * the new ones go in; the per-day tables are summed in memory per step and written once per key.
 */

export type EngineConfig = {
  clock: ShopClock;
  workingHours: WorkingHours | null;
  /** What the rows were made with (time zone and working hours): another key means a rebuild. */
  key: string;
};

export type EngineStatus = {
  watermark: number | null;
  head: number;
  /** A rebuild under way: how far (conversations, orders). */
  rebuild: { conversations: number; totalConversations: number; orders: number; totalOrders: number } | null;
};

type Contrib = Pick<ConvDay, 'authors' | 'hist' | 'words' | 'questions'> & { hours: [number, number][] };

type DayRow = {
  conversation_id: string;
  day: number;
  customer_id: string;
  customer_key: number;
  agent_id: string;
  agent_key: number;
  own_agent: string;
  first_buyer_at: number | null;
  buyer_msgs: number;
  inquiry: number;
  late: number;
  open_since: number | null;
  open_until: number | null;
  open_agent: string | null;
  carry_agent: string | null;
  carry_wait_since: number | null;
  carry_wait_day: number | null;
  contrib: string;
};

/** A conversation's buyer: id, and rowid (the key a period's rows count distinct buyers by). */
type Buyer = { id: string; key: number };

type RebuildState = {
  head: number;
  conversationRowid: number;
  orderRowid: number;
  conversations: number;
  orders: number;
  phase: 'conversations' | 'orders';
};

const carryOf = (r: DayRow | undefined): Carry =>
  r ? { agent: r.carry_agent, wait: r.carry_wait_since === null ? null : { since: r.carry_wait_since, day: r.carry_wait_day! } } : NO_CARRY;
const sameCarry = (a: Carry, b: Carry) => a.agent === b.agent && a.wait?.since === b.wait?.since && a.wait?.day === b.wait?.day;

/** Per-day sums of a step, written once per key at its end. */
class Deltas {
  authors = new Map<string, number[]>();
  /** By day, agent and first-or-not: bucket → count. */
  hist = new Map<string, Map<number, number>>();
  hours = new Map<string, number>();
  /** By day: word → count. */
  words = new Map<number, Map<string, number>>();
  /** By day: key → [count, greatest wording]. */
  questions = new Map<number, Map<string, [number, string]>>();

  apply(day: number, c: Contrib, sign: 1 | -1): void {
    for (const [agent, a] of Object.entries(c.authors)) {
      const key = `${day}\u0000${agent}`;
      const sum = this.authors.get(key) ?? [0, 0, 0, 0, 0, 0];
      sum[0]! += sign * a.msgs;
      sum[1]! += sign * a.auto;
      sum[2]! += sign * a.responses;
      sum[3]! += sign * a.responseMs;
      sum[4]! += sign * a.firsts;
      sum[5]! += sign * a.firstMs;
      this.authors.set(key, sum);
    }
    for (const [agent, first, bucket] of c.hist) add(inner(this.hist, `${day}\u0000${agent}\u0000${first}`), bucket, sign);
    for (const [hour, n] of c.hours) add(this.hours, `${day}\u0000${hour}`, sign * n);
    const words = Object.entries(c.words);
    if (words.length > 0) {
      const m = inner(this.words, day);
      for (const [word, n] of words) add(m, word, sign * n);
    }
    const questions = Object.entries(c.questions);
    if (questions.length > 0) {
      const m = inner(this.questions, day);
      for (const [key, [n, sample]] of questions) {
        const q = m.get(key) ?? [0, ''];
        q[0] += sign * n;
        if (sign > 0 && sample > q[1]) q[1] = sample;
        m.set(key, q);
      }
    }
  }
}

function add<K>(m: Map<K, number>, key: K, n: number): void {
  m.set(key, (m.get(key) ?? 0) + n);
}

function inner<K, I, V>(m: Map<K, Map<I, V>>, key: K): Map<I, V> {
  let x = m.get(key);
  if (!x) m.set(key, (x = new Map<I, V>()));
  return x;
}

const byKey = <T>(a: [string | number, T], b: [string | number, T]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

const parts = (key: string) => key.split('\u0000');

function contribOf(d: ConvDay): Contrib {
  const hours: [number, number][] = [];
  d.hours.forEach((n, h) => n > 0 && hours.push([h, n]));
  return { authors: d.authors, hist: d.hist, hours, words: d.words, questions: d.questions };
}

export function reportQueries(db: Db) {
  // Prepared on first use: a store opened over an older schema (a migration's test) never needs them.
  let prepared: ReturnType<typeof prepare> | undefined;
  // messages.automated came with migration 0014 (a 0013 file's rebuild reads without it).
  // PostgreSQL's schema has it from v3 on (and no pragma_table_info: asking there failed the hub's upkeep).
  const hasAutomated = () =>
    (db as { dialect?: unknown }).dialect === 'postgres' ||
    (db.prepare("SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'automated'").pluck().get() as number) > 0;
  const prepare = () => ({
    state: db.prepare('SELECT value FROM report_state WHERE key = ?').pluck(),
    setState: db.prepare('INSERT INTO report_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    dropState: db.prepare('DELETE FROM report_state WHERE key = ?'),
    head: db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)").pluck(),
    floor: db.prepare("SELECT value FROM settings WHERE key = 'feedFloor'").pluck(),
    changes: db.prepare(
      `SELECT seq, entity, entity_id AS id, op, row ->> '$.conversationId' AS conversationId, row ->> '$.createdAt' AS createdAt
       FROM changes WHERE seq > ? AND seq <= ? AND (entity IN ('message', 'order') OR (entity = 'conversation' AND op = 'delete'))
       ORDER BY seq`,
    ),
    lastSeq: db.prepare('SELECT max(seq) FROM (SELECT seq FROM changes WHERE seq > ? ORDER BY seq LIMIT ?)').pluck(),
    customerOf: db.prepare(
      'SELECT v.customer_id AS id, c.rowid AS key FROM conversations v JOIN customers c ON c.id = v.customer_id WHERE v.id = ?',
    ),
    agentKey: db.prepare('SELECT rowid FROM agents WHERE id = ?').pluck(),
    agentKeys: db.prepare('SELECT rowid, id FROM agents').raw(),
    dayMessages: db.prepare(
      `SELECT id, conversation_id AS conversationId, sender, agent_id AS agentId, kind, text, created_at AS createdAt,
         ${hasAutomated() ? 'automated' : 'NULL AS automated'}
       FROM messages WHERE conversation_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id`,
    ),
    // every local day a conversation has messages on: its messages' times, in order
    conversationTimes: db.prepare('SELECT created_at FROM messages WHERE conversation_id = ? ORDER BY created_at').pluck(),
    row: db.prepare('SELECT * FROM report_conv_days WHERE conversation_id = ? AND day = ?'),
    prevRow: db.prepare('SELECT * FROM report_conv_days WHERE conversation_id = ? AND day < ? ORDER BY day DESC LIMIT 1'),
    nextDay: db.prepare('SELECT day FROM report_conv_days WHERE conversation_id = ? AND day > ? ORDER BY day LIMIT 1').pluck(),
    rowsOf: db.prepare('SELECT * FROM report_conv_days WHERE conversation_id = ?'),
    daysAround: db.prepare('SELECT day FROM report_conv_days WHERE conversation_id = ? AND day BETWEEN ? AND ?').pluck(),
    upsertRow: db.prepare(
      `INSERT INTO report_conv_days (conversation_id, day, customer_id, customer_key, agent_id, agent_key, own_agent, first_buyer_at,
         buyer_msgs, inquiry, late, open_since, open_until, open_agent, carry_agent, carry_wait_since, carry_wait_day, contrib)
       VALUES (@conversation_id, @day, @customer_id, @customer_key, @agent_id, @agent_key, @own_agent, @first_buyer_at,
         @buyer_msgs, @inquiry, @late, @open_since, @open_until, @open_agent, @carry_agent, @carry_wait_since, @carry_wait_day, @contrib)
       ON CONFLICT(conversation_id, day) DO UPDATE SET customer_id = excluded.customer_id, customer_key = excluded.customer_key,
         agent_id = excluded.agent_id, agent_key = excluded.agent_key,
         own_agent = excluded.own_agent, first_buyer_at = excluded.first_buyer_at, buyer_msgs = excluded.buyer_msgs,
         inquiry = excluded.inquiry, late = excluded.late, open_since = excluded.open_since, open_until = excluded.open_until,
         open_agent = excluded.open_agent, carry_agent = excluded.carry_agent, carry_wait_since = excluded.carry_wait_since,
         carry_wait_day = excluded.carry_wait_day, contrib = excluded.contrib`,
    ),
    deleteRow: db.prepare('DELETE FROM report_conv_days WHERE conversation_id = ? AND day = ?'),
    answerOpen: db.prepare(
      `UPDATE report_conv_days SET open_until = @at, open_agent = @agent,
         agent_id = CASE WHEN own_agent = '' THEN @agent ELSE own_agent END,
         agent_key = CASE WHEN own_agent = '' THEN @agentKey ELSE agent_key END
       WHERE conversation_id = @conversation AND day = @day AND open_since IS NOT NULL`,
    ),
    orderBefore: db.prepare('SELECT 1 FROM orders WHERE customer_id = ? AND created_at >= ? AND created_at < ? LIMIT 1').pluck(),
    rowsAsking: db.prepare(
      'SELECT conversation_id, day, first_buyer_at, inquiry FROM report_conv_days WHERE customer_id = ? AND first_buyer_at > ? AND first_buyer_at <= ?',
    ),
    setInquiry: db.prepare('UPDATE report_conv_days SET inquiry = ? WHERE conversation_id = ? AND day = ?'),
    ordersIn: db.prepare('SELECT id FROM orders WHERE customer_id = ? AND created_at BETWEEN ? AND ?').pluck(),
    order: db.prepare('SELECT id, customer_id, created_at, amount_cents, paid_at FROM orders WHERE id = ?'),
    reportOrder: db.prepare('SELECT customer_id, created_at FROM report_orders WHERE order_id = ?'),
    askingDay: db.prepare(
      `SELECT conversation_id, day, agent_id FROM report_conv_days
       WHERE customer_id = ? AND inquiry = 1 AND first_buyer_at BETWEEN ? AND ?
       ORDER BY first_buyer_at DESC, conversation_id LIMIT 1`,
    ),
    upsertOrder: db.prepare(
      `INSERT INTO report_orders (order_id, customer_id, created_at, amount_cents, paid, conversation_id, day, agent_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(order_id) DO UPDATE SET customer_id = excluded.customer_id,
         created_at = excluded.created_at, amount_cents = excluded.amount_cents, paid = excluded.paid,
         conversation_id = excluded.conversation_id, day = excluded.day, agent_id = excluded.agent_id`,
    ),
    deleteOrder: db.prepare('DELETE FROM report_orders WHERE order_id = ?'),
    addAuthors: db.prepare(
      `INSERT INTO report_authors (day, agent_id, msgs, auto, responses, response_ms, firsts, first_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(day, agent_id) DO UPDATE SET msgs = msgs + excluded.msgs, auto = auto + excluded.auto,
         responses = responses + excluded.responses, response_ms = response_ms + excluded.response_ms,
         firsts = firsts + excluded.firsts, first_ms = first_ms + excluded.first_ms`,
    ),
    pruneAuthors: db.prepare(
      'DELETE FROM report_authors WHERE day = ? AND agent_id = ? AND msgs = 0 AND auto = 0 AND responses = 0 AND firsts = 0',
    ),
    hist: db.prepare('SELECT counts FROM report_hist WHERE day = ? AND agent_id = ? AND first = ?').pluck(),
    putHist: db.prepare(
      'INSERT INTO report_hist (day, agent_id, first, counts) VALUES (?, ?, ?, ?) ON CONFLICT(day, agent_id, first) DO UPDATE SET counts = excluded.counts',
    ),
    dropHist: db.prepare('DELETE FROM report_hist WHERE day = ? AND agent_id = ? AND first = ?'),
    addHours: db.prepare(
      'INSERT INTO report_hours (day, hour, n) VALUES (?, ?, ?) ON CONFLICT(day, hour) DO UPDATE SET n = n + excluded.n',
    ),
    pruneHours: db.prepare('DELETE FROM report_hours WHERE day = ? AND hour = ? AND n <= 0'),
    wordsOf: db.prepare('SELECT counts FROM report_words WHERE day = ?').pluck(),
    putWords: db.prepare('INSERT INTO report_words (day, counts) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET counts = excluded.counts'),
    dropWords: db.prepare('DELETE FROM report_words WHERE day = ?'),
    questionsOf: db.prepare('SELECT counts FROM report_questions WHERE day = ?').pluck(),
    putQuestions: db.prepare(
      'INSERT INTO report_questions (day, counts) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET counts = excluded.counts',
    ),
    dropQuestions: db.prepare('DELETE FROM report_questions WHERE day = ?'),
    conversationsAfter: db.prepare(
      `SELECT v.rowid, v.id, v.customer_id, c.rowid AS customer_key FROM conversations v JOIN customers c ON c.id = v.customer_id
       WHERE v.rowid > ? ORDER BY v.rowid LIMIT ?`,
    ),
    ordersAfter: db.prepare('SELECT rowid, id FROM orders WHERE rowid > ? ORDER BY rowid LIMIT ?'),
    countConversations: db.prepare('SELECT count(*) FROM conversations').pluck(),
    countOrders: db.prepare('SELECT count(*) FROM orders').pluck(),
    // reading a period
    periodDays: db
      .prepare(
        `SELECT day, customer_key, agent_key, buyer_msgs, inquiry, late, open_since, open_until FROM report_conv_days
         WHERE day BETWEEN ? AND ? AND buyer_msgs > 0`,
      )
      .raw(),
    periodAuthors: db.prepare(
      `SELECT CAST((day - @origin) / @width AS INTEGER) AS slot, agent_id AS agentId, sum(msgs) AS msgs, sum(auto) AS auto, sum(responses) AS responses,
         sum(response_ms) AS responseMs, sum(firsts) AS firsts, sum(first_ms) AS firstMs
       FROM report_authors WHERE day BETWEEN @from AND @to GROUP BY slot, agent_id`,
    ),
    periodHist: db.prepare('SELECT day, agent_id, first, counts FROM report_hist WHERE day BETWEEN ? AND ?').raw(),
    periodOrders: db.prepare(
      `SELECT day, customer_id AS customerId, agent_id AS agentId, amount_cents AS amountCents, paid FROM report_orders WHERE day BETWEEN ? AND ?`,
    ),
    heatmap: db.prepare(
      'SELECT (day + 4) % 7 AS weekday, hour, sum(n) AS n FROM report_hours WHERE day BETWEEN ? AND ? GROUP BY weekday, hour',
    ),
    periodWords: db.prepare('SELECT counts FROM report_words WHERE day BETWEEN ? AND ?').pluck(),
    periodQuestions: db.prepare('SELECT counts FROM report_questions WHERE day BETWEEN ? AND ?').pluck(),
    phrasesMost: db.prepare(
      `SELECT r.id, r.code, r.title, substr(r.content, 1, 120) AS content, g.name AS groupName, r.use_count AS useCount,
         r.last_used_at AS lastUsedAt
       FROM replies r JOIN reply_groups g ON g.id = r.group_id
       WHERE r.scope = 'team' AND r.use_count > 0 ORDER BY r.use_count DESC, r.last_used_at DESC, r.id LIMIT ?`,
    ),
    phrasesNever: db.prepare(
      `SELECT r.id, r.code, r.title, substr(r.content, 1, 120) AS content, g.name AS groupName, r.use_count AS useCount,
         r.last_used_at AS lastUsedAt
       FROM replies r JOIN reply_groups g ON g.id = r.group_id
       WHERE r.scope = 'team' AND r.use_count = 0 ORDER BY g.sort, r.sort, r.id LIMIT ?`,
    ),
    phraseCounts: db.prepare(
      "SELECT count(*) AS teamCount, coalesce(sum(use_count = 0), 0) AS neverUsedCount FROM replies WHERE scope = 'team'",
    ),
    clear: ['report_conv_days', 'report_authors', 'report_hist', 'report_hours', 'report_words', 'report_questions', 'report_orders'].map(
      (t) => db.prepare(`DELETE FROM ${t}`),
    ),
  });
  const statements = () => (prepared ??= prepare());
  // Migration 0018's table: prepared apart, so a store on a version-13 file (a migration's test) runs its reports.
  const preparePhraseDays = () => ({
    periodPhrasesMost: db.prepare(
      `SELECT r.id, r.code, r.title, substr(r.content, 1, 120) AS content, g.name AS groupName, u.n AS useCount,
         r.last_used_at AS lastUsedAt
       FROM (SELECT phrase_id, sum(n) AS n FROM phrase_use_days WHERE day BETWEEN ? AND ? GROUP BY phrase_id) u
       JOIN replies r ON r.id = u.phrase_id JOIN reply_groups g ON g.id = r.group_id
       WHERE r.scope = 'team' ORDER BY u.n DESC, r.last_used_at DESC, r.id LIMIT ?`,
    ),
    periodPhrasesNever: db.prepare(
      `SELECT r.id, r.code, r.title, substr(r.content, 1, 120) AS content, g.name AS groupName, 0 AS useCount,
         r.last_used_at AS lastUsedAt
       FROM replies r JOIN reply_groups g ON g.id = r.group_id
       WHERE r.scope = 'team'
         AND NOT EXISTS (SELECT 1 FROM phrase_use_days u WHERE u.phrase_id = r.id AND u.day BETWEEN ? AND ?)
       ORDER BY g.sort, r.sort, r.id LIMIT ?`,
    ),
    periodPhraseCounts: db.prepare(
      `SELECT count(*) AS teamCount,
         coalesce(sum(NOT EXISTS (SELECT 1 FROM phrase_use_days u WHERE u.phrase_id = r.id AND u.day BETWEEN ? AND ?)), 0)
           AS neverUsedCount
       FROM replies r WHERE r.scope = 'team'`,
    ),
  });
  let phraseDays: ReturnType<typeof preparePhraseDays> | null = null;

  const getState = <T>(key: string): T | null => {
    const raw = statements().state.get(key) as string | undefined;
    return raw === undefined ? null : (JSON.parse(raw) as T);
  };
  const setState = (key: string, value: unknown) => statements().setState.run(key, JSON.stringify(value));

  /**
   * One step's work on the conversation days, the buyers' windows and the per-day sums. `attributing`
   * false: a rebuild's conversation phase, whose orders are all attributed in its order phase.
   */
  function work(config: EngineConfig, attributing = true) {
    const options: FoldOptions = { clock: config.clock, workingHours: config.workingHours };
    const deltas = new Deltas();
    /** Buyers whose asking or orders changed, with the span of first-message times to look at again. */
    const windows = new Map<string, [number, number]>();
    const widen = (customer: string, from: number, to: number) => {
      const w = windows.get(customer);
      windows.set(customer, w ? [Math.min(w[0], from), Math.max(w[1], to)] : [from, to]);
    };
    const dayStart = (day: number) => dayStartMs(day, config.clock);
    const agentKeys = new Map<string, number>([['', 0]]);
    const agentKey = (id: string): number => {
      let key = agentKeys.get(id);
      if (key === undefined) agentKeys.set(id, (key = (statements().agentKey.get(id) as number | undefined) ?? 0));
      return key;
    };

    /** Recomputes one conversation day and, while the state handed on changes, the days after it. */
    function recompute(conversationId: string, customer: Buyer, startDay: number): void {
      const customerId = customer.id;
      let day: number | undefined = startDay;
      while (day !== undefined) {
        const old = statements().row.get(conversationId, day) as DayRow | undefined;
        const carryIn = carryOf(statements().prevRow.get(conversationId, day) as DayRow | undefined);
        const before = old ? carryOf(old) : carryIn;
        const messages = statements().dayMessages.all(conversationId, dayStart(day), dayStart(day + 1)) as ReportMessage[];
        let after: Carry;
        if (old) {
          deltas.apply(day, JSON.parse(old.contrib) as Contrib, -1);
          if (old.first_buyer_at !== null) widen(customerId, old.first_buyer_at, old.first_buyer_at);
        }
        if (messages.length === 0) {
          if (old) statements().deleteRow.run(conversationId, day);
          after = carryIn;
        } else {
          const folded = foldDay({ id: conversationId, customerId }, day, messages, carryIn, options);
          const keepOpen = old !== undefined && folded.openSince !== null && old.open_since === folded.openSince;
          const openAgent = keepOpen ? old.open_agent : null;
          const contrib = contribOf(folded);
          deltas.apply(day, contrib, 1);
          const agentId = folded.agentId || openAgent || '';
          statements().upsertRow.run({
            conversation_id: conversationId,
            day,
            customer_id: customerId,
            customer_key: customer.key,
            agent_id: agentId,
            agent_key: agentKey(agentId),
            own_agent: folded.agentId,
            first_buyer_at: folded.firstBuyerAt,
            buyer_msgs: folded.buyerMsgs,
            inquiry:
              folded.firstBuyerAt !== null &&
              !statements().orderBefore.get(customerId, folded.firstBuyerAt - ASK_WINDOW_MS, folded.firstBuyerAt)
                ? 1
                : 0,
            late: folded.late ? 1 : 0,
            open_since: folded.openSince,
            open_until: keepOpen ? old.open_until : null,
            open_agent: openAgent,
            carry_agent: folded.carry.agent,
            carry_wait_since: folded.carry.wait?.since ?? null,
            carry_wait_day: folded.carry.wait?.day ?? null,
            contrib: JSON.stringify(contrib),
          });
          if (folded.firstBuyerAt !== null) widen(customerId, folded.firstBuyerAt, folded.firstBuyerAt);
          if (folded.answered) {
            const origin = statements().row.get(conversationId, folded.answered.day) as DayRow | undefined;
            statements().answerOpen.run({
              conversation: conversationId,
              day: folded.answered.day,
              at: folded.answered.at,
              agent: folded.answered.agent,
              agentKey: agentKey(folded.answered.agent),
            });
            if (origin?.first_buyer_at != null) widen(customerId, origin.first_buyer_at, origin.first_buyer_at);
          }
          after = folded.carry;
        }
        day = sameCarry(before, after) ? undefined : ((statements().nextDay.get(conversationId, day) as number | undefined) ?? undefined);
      }
    }

    /** A conversation that is gone (the hub removed it): its days leave every sum. */
    function dropConversation(conversationId: string): void {
      for (const r of statements().rowsOf.all(conversationId) as DayRow[]) {
        deltas.apply(r.day, JSON.parse(r.contrib) as Contrib, -1);
        if (r.first_buyer_at !== null) widen(r.customer_id, r.first_buyer_at, r.first_buyer_at);
        statements().deleteRow.run(conversationId, r.day);
      }
    }

    /** A conversation's days touched by messages at these times (and the days beside them it has). */
    function touchConversation(conversationId: string, times: number[]): void {
      const customer = statements().customerOf.get(conversationId) as Buyer | undefined;
      if (!customer) return dropConversation(conversationId);
      const days = new Set(times.map((t) => localDay(t, config.clock)));
      const lo = Math.min(...days);
      const hi = Math.max(...days);
      // A message whose time moved (the hub's copy replaces the desk's) leaves its old day beside the new one.
      for (const d of statements().daysAround.all(conversationId, lo - 1, hi + 1) as number[]) days.add(d);
      for (const d of [...days].sort((a, b) => a - b)) recompute(conversationId, customer, d);
    }

    /** The whole conversation, every day it has messages on (a rebuild). */
    function foldWhole(conversationId: string, customer: Buyer): void {
      const days = new Set<number>();
      for (const t of statements().conversationTimes.iterate(conversationId) as Iterable<number>) days.add(localDay(t, config.clock));
      for (const d of [...days].sort((a, b) => a - b)) recompute(conversationId, customer, d);
    }

    /** An order (created, paid, changed or gone): its buyer's asking and attributions around it. */
    function touchOrder(orderId: string): void {
      const o = statements().order.get(orderId) as { customer_id: string; created_at: number } | undefined;
      const was = statements().reportOrder.get(orderId) as { customer_id: string; created_at: number } | undefined;
      for (const r of [o, was]) if (r) touchOrderTime(r.customer_id, r.created_at);
      if (!o) statements().deleteOrder.run(orderId);
      else attribute(orderId);
    }

    /** Asking flags of the buyer's days whose first message follows an order at `t` within 24 h, and the orders near it. */
    function touchOrderTime(customerId: string, t: number): void {
      for (const r of statements().rowsAsking.all(customerId, t, t + ASK_WINDOW_MS) as {
        conversation_id: string;
        day: number;
        first_buyer_at: number;
        inquiry: number;
      }[]) {
        const inquiry = statements().orderBefore.get(customerId, r.first_buyer_at - ASK_WINDOW_MS, r.first_buyer_at) ? 0 : 1;
        if (inquiry !== r.inquiry) {
          statements().setInquiry.run(inquiry, r.conversation_id, r.day);
          widen(customerId, r.first_buyer_at, r.first_buyer_at);
        }
      }
      widen(customerId, t, t);
    }

    function attribute(orderId: string): void {
      const o = statements().order.get(orderId) as
        { id: string; customer_id: string; created_at: number; amount_cents: number; paid_at: number | null } | undefined;
      if (!o) return;
      const asked = statements().askingDay.get(o.customer_id, o.created_at - ASK_WINDOW_MS, o.created_at) as
        { conversation_id: string; day: number; agent_id: string } | undefined;
      if (!asked) statements().deleteOrder.run(orderId);
      else
        statements().upsertOrder.run(
          o.id,
          o.customer_id,
          o.created_at,
          o.amount_cents,
          o.paid_at === null ? 0 : 1,
          asked.conversation_id,
          asked.day,
          asked.agent_id,
        );
    }

    /** The buyers' windows: every order whose asking day may have changed is attributed again. */
    function settle(): void {
      if (!attributing) windows.clear();
      for (const [customer, [from, to]] of windows) {
        for (const id of statements().ordersIn.all(customer, from, to + ASK_WINDOW_MS) as string[]) attribute(id);
      }
      windows.clear();
      flush(deltas);
    }

    return { touchConversation, dropConversation, foldWhole, touchOrder, attribute, settle };
  }

  function flush(d: Deltas): void {
    for (const [key, s] of d.authors) {
      if (s.every((v) => v === 0)) continue;
      const [day, agent] = parts(key);
      statements().addAuthors.run(Number(day), agent, ...s);
      if (s.some((v) => v < 0)) statements().pruneAuthors.run(Number(day), agent);
    }
    for (const [key, deltas] of d.hist) {
      const [day, agent, first] = parts(key);
      const args = [Number(day), agent, Number(first)] as const;
      const raw = statements().hist.get(...args) as string | undefined;
      const counts = new Map<number, number>(raw ? (JSON.parse(raw) as [number, number][]) : []);
      for (const [bucket, n] of deltas) add(counts, bucket, n);
      const kept = [...counts].filter(([, n]) => n > 0).sort(byKey);
      if (kept.length > 0) statements().putHist.run(...args, JSON.stringify(kept));
      else if (raw) statements().dropHist.run(...args);
    }
    for (const [key, n] of d.hours) {
      if (n === 0) continue;
      const [day, hour] = parts(key);
      statements().addHours.run(Number(day), Number(hour), n);
      if (n < 0) statements().pruneHours.run(Number(day), Number(hour));
    }
    for (const [day, deltas] of d.words) {
      const raw = statements().wordsOf.get(day) as string | undefined;
      const counts = new Map<string, number>(raw ? Object.entries(JSON.parse(raw) as Record<string, number>) : []);
      for (const [word, n] of deltas) add(counts, word, n);
      const kept = [...counts].filter(([, n]) => n > 0).sort(byKey);
      if (kept.length > 0) statements().putWords.run(day, JSON.stringify(Object.fromEntries(kept)));
      else if (raw) statements().dropWords.run(day);
    }
    for (const [day, deltas] of d.questions) {
      const raw = statements().questionsOf.get(day) as string | undefined;
      const counts = new Map<string, [number, string]>(raw ? Object.entries(JSON.parse(raw) as Record<string, [number, string]>) : []);
      for (const [key, [n, sample]] of deltas) {
        const q = counts.get(key) ?? [0, ''];
        counts.set(key, [q[0] + n, sample > q[1] ? sample : q[1]]);
      }
      const kept = [...counts].filter(([, [n]]) => n > 0).sort(byKey);
      if (kept.length > 0) statements().putQuestions.run(day, JSON.stringify(Object.fromEntries(kept)));
      else if (raw) statements().dropQuestions.run(day);
    }
  }

  function needsRebuild(config: EngineConfig): boolean {
    const watermark = getState<number>('watermark');
    if (watermark === null || getState<string>('config') !== config.key) return true;
    const raw = statements().floor.get() as string | undefined;
    const floor = raw === undefined ? 0 : Number(JSON.parse(raw));
    return watermark < floor;
  }

  function startRebuild(config: EngineConfig): void {
    for (const s of statements().clear) s.run();
    statements().dropState.run('watermark');
    setState('config', config.key);
    setState('rebuild', {
      head: statements().head.get() as number,
      conversationRowid: 0,
      orderRowid: 0,
      conversations: 0,
      orders: 0,
      phase: 'conversations',
    } satisfies RebuildState);
  }

  return {
    status(): EngineStatus {
      const rebuild = getState<RebuildState>('rebuild');
      return {
        watermark: getState<number>('watermark'),
        head: statements().head.get() as number,
        rebuild: rebuild && {
          conversations: rebuild.conversations,
          totalConversations: statements().countConversations.get() as number,
          orders: rebuild.orders,
          totalOrders: statements().countOrders.get() as number,
        },
      };
    },

    /** Whether there is work: a rebuild to start or finish, or changes past the watermark. */
    behind(config: EngineConfig): boolean {
      if (getState<RebuildState>('rebuild') || needsRebuild(config)) return true;
      return (statements().head.get() as number) > (getState<number>('watermark') ?? 0);
    },

    /**
     * One unit of work, in the caller's transaction: the next `limit` changes, or the next `limit`
     * conversations (then orders, ten times as many) of a rebuild. Returns true when nothing is left.
     */
    step(config: EngineConfig, limit = 2000): boolean {
      const under = getState<RebuildState>('rebuild');
      // A rebuild begun with other settings (the working hours changed meanwhile) starts again.
      if (under ? getState<string>('config') !== config.key : needsRebuild(config)) startRebuild(config);
      const rebuild = getState<RebuildState>('rebuild');
      const w = work(config, rebuild?.phase !== 'conversations');
      if (rebuild) {
        if (rebuild.phase === 'conversations') {
          const rows = statements().conversationsAfter.all(rebuild.conversationRowid, limit) as {
            rowid: number;
            id: string;
            customer_id: string;
            customer_key: number;
          }[];
          for (const c of rows) w.foldWhole(c.id, { id: c.customer_id, key: c.customer_key });
          w.settle();
          rebuild.conversations += rows.length;
          if (rows.length > 0) rebuild.conversationRowid = rows[rows.length - 1]!.rowid;
          if (rows.length < limit) rebuild.phase = 'orders';
        } else {
          const rows = statements().ordersAfter.all(rebuild.orderRowid, limit * 10) as { rowid: number; id: string }[];
          for (const o of rows) w.attribute(o.id);
          w.settle();
          rebuild.orders += rows.length;
          if (rows.length > 0) rebuild.orderRowid = rows[rows.length - 1]!.rowid;
          if (rows.length < limit * 10) {
            // Done: what changed since the rebuild began is replayed from the feed (recomputing is idempotent).
            statements().dropState.run('rebuild');
            setState('watermark', rebuild.head);
            return false;
          }
        }
        setState('rebuild', rebuild);
        return false;
      }
      const watermark = getState<number>('watermark') ?? 0;
      const last = statements().lastSeq.get(watermark, limit) as number | null;
      if (last === null) return true;
      const changes = statements().changes.all(watermark, last) as {
        seq: number;
        entity: string;
        id: string;
        op: string;
        conversationId: string | null;
        createdAt: number | null;
      }[];
      const conversations = new Map<string, number[]>();
      const orders = new Set<string>();
      const gone = new Set<string>();
      for (const c of changes) {
        if (c.entity === 'message' && c.conversationId && c.createdAt !== null) {
          const times = conversations.get(c.conversationId);
          if (times) times.push(Number(c.createdAt));
          else conversations.set(c.conversationId, [Number(c.createdAt)]);
        } else if (c.entity === 'order') orders.add(c.id);
        else if (c.entity === 'conversation') gone.add(c.id);
      }
      for (const id of gone) if (!conversations.has(id)) w.dropConversation(id);
      for (const [id, times] of conversations) w.touchConversation(id, times);
      for (const id of orders) w.touchOrder(id);
      w.settle();
      setState('watermark', last);
      return false;
    },

    /** Forgets the rollup: the next step starts a rebuild (tests, and a change of working hours). */
    reset(): void {
      statements().dropState.run('watermark');
      statements().dropState.run('rebuild');
      statements().dropState.run('config');
    },

    // --- reading ---
    periodRows(spec: PeriodSpec): PeriodRows {
      const st = statements();
      const agents = new Map<number, string>([[0, '']]);
      for (const [key, id] of st.agentKeys.all() as [number, string][]) agents.set(key, id);
      const convDays = (
        st.periodDays.all(spec.from, spec.to) as [number, number, number, number, number, number, number | null, number | null][]
      ).map(([day, customerKey, agentKey, buyerMsgs, inquiry, late, openSince, openUntil]) => ({
        day,
        customerId: customerKey,
        agentId: agents.get(agentKey) ?? '',
        buyerMsgs,
        inquiry: inquiry === 1,
        late: late === 1,
        openSince,
        openUntil,
      }));
      // Summed per slot, agent, first-or-not and bucket under one numeric key (a year holds a few hundred thousand pairs).
      const hist = new Map<number, PeriodRows['hist'][number]>();
      const agentIndex = new Map<string, number>();
      for (const [day, agentId, first, counts] of st.periodHist.all(spec.from, spec.to) as [number, string, 0 | 1, string][]) {
        const slot = slotOf(day, spec);
        let a = agentIndex.get(agentId);
        if (a === undefined) agentIndex.set(agentId, (a = agentIndex.size));
        const base = ((slot * 1024 + a) * 2 + first) * BUCKET_COUNT;
        for (const [bucket, n] of JSON.parse(counts) as [number, number][]) {
          const h = hist.get(base + bucket);
          if (h) h.n += n;
          else hist.set(base + bucket, { slot, agentId, first, bucket, n });
        }
      }
      return {
        convDays,
        authors: st.periodAuthors.all({ from: spec.from, to: spec.to, origin: spec.origin, width: spec.width }) as PeriodRows['authors'],
        hist: [...hist.values()],
        orders: (st.periodOrders.all(spec.from, spec.to) as (Omit<PeriodRows['orders'][number], 'paid'> & { paid: number })[]).map((r) => ({
          ...r,
          paid: r.paid === 1,
        })),
      };
    },
    /** Buyer messages per weekday (0 Sunday) × hour over the days. */
    heatmap(from: number, to: number): number[][] {
      const grid = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
      for (const r of statements().heatmap.all(from, to) as { weekday: number; hour: number; n: number }[]) grid[r.weekday]![r.hour] = r.n;
      return grid;
    },
    words(from: number, to: number, limit: number): { word: string; n: number }[] {
      const counts = new Map<string, number>();
      for (const raw of statements().periodWords.all(from, to) as string[]) {
        for (const [word, n] of Object.entries(JSON.parse(raw) as Record<string, number>)) add(counts, word, n);
      }
      return [...counts]
        .map(([word, n]) => ({ word, n }))
        .sort((a, b) => b.n - a.n || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
        .slice(0, limit);
    },
    questions(from: number, to: number, limit: number): QuestionCount[] {
      const counts = new Map<string, QuestionCount>();
      for (const raw of statements().periodQuestions.all(from, to) as string[]) {
        for (const [key, [n, sample]] of Object.entries(JSON.parse(raw) as Record<string, [number, string]>)) {
          const q = counts.get(key);
          if (!q) counts.set(key, { key, count: n, sample });
          else {
            q.count += n;
            if (sample > q.sample) q.sample = sample;
          }
        }
      }
      return [...counts.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)).slice(0, limit);
    },
    /** The team's phrases most used, and those never used (use counts since each was written). */
    teamPhrases(limit: number): { mostUsed: PhraseUseRow[]; neverUsed: PhraseUseRow[]; teamCount: number; neverUsedCount: number } {
      const counts = statements().phraseCounts.get() as { teamCount: number; neverUsedCount: number };
      return {
        mostUsed: statements().phrasesMost.all(limit) as PhraseUseRow[],
        neverUsed: statements().phrasesNever.all(limit) as PhraseUseRow[],
        ...counts,
      };
    },
    /** The same over shop-local days `from`–`to` (uses counted since migration 0018). */
    periodPhrases(
      from: number,
      to: number,
      limit: number,
    ): { mostUsed: PhraseUseRow[]; neverUsed: PhraseUseRow[]; teamCount: number; neverUsedCount: number } {
      const q = (phraseDays ??= preparePhraseDays());
      const counts = q.periodPhraseCounts.get(from, to) as { teamCount: number; neverUsedCount: number };
      return {
        mostUsed: q.periodPhrasesMost.all(from, to, limit) as PhraseUseRow[],
        neverUsed: q.periodPhrasesNever.all(from, to, limit) as PhraseUseRow[],
        ...counts,
      };
    },
    /** Every conversation-day row, for tests comparing the upkeep with a rebuild. */
    dumpForTests() {
      const all = (sql: string) => db.prepare(sql).all();
      return {
        convDays: all('SELECT * FROM report_conv_days ORDER BY conversation_id, day'),
        authors: all('SELECT * FROM report_authors ORDER BY day, agent_id'),
        hist: all('SELECT * FROM report_hist ORDER BY day, agent_id, first'),
        hours: all('SELECT * FROM report_hours ORDER BY day, hour'),
        words: all('SELECT * FROM report_words ORDER BY day'),
        questions: all('SELECT * FROM report_questions ORDER BY day'),
        orders: all('SELECT * FROM report_orders ORDER BY order_id'),
      };
    },
  };
}

export type ReportQueries = ReturnType<typeof reportQueries>;
export type PhraseUseRow = {
  id: string;
  code: string;
  title: string;
  content: string;
  groupName: string;
  useCount: number;
  lastUsedAt: number | null;
};
export type { AuthorCounts };
