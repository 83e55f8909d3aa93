import type { MessageKind, MessageSender } from '../../shared/domain/types';
import type { Db } from './connection';
import { likePattern } from './like';
import { unigramPhrase } from './unigram';

/**
 * The one search path over message text: the desk's search (`messages.search`), the export's
 * keyword filter (logExport.ts) and reports all take their matches from `matchClause`.
 * - three or more characters: the trigram index (migration 0002), a substring match;
 * - one or two: the unigram index (0006), a phrase of one or two characters, each candidate then
 *   checked with LIKE (punctuation between two characters is not a token, so "退，款" would match);
 * - a short term with no letter or digit in it (标点, emoji): LIKE over the messages (a full scan).
 * Case is folded for Latin letters on every path, as LIKE and both tokenizers do.
 */

export const TRIGRAM_MIN = 3;
/** At most this many candidates are sorted by time; above it the time index is walked instead. */
const SORT_CANDIDATES_MAX = 1_000;
/** Up to this many candidates the count is exact with every filter applied. */
const EXACT_COUNT_MAX = 2_000;
/**
 * Candidates are counted up to here and no further (counting 400k rowids of 亲 alone costs ~30 ms).
 * A term this common (2% of a 1M shop) fills a page within a few thousand of the newest messages,
 * so without filters those are read and checked with LIKE instead of gathering every candidate.
 */
const COUNT_CAP = 20_000;
/**
 * With filters, a walk of the time index may pass every message before the page fills (亲 written by
 * the system: none of 1M, ~1 s). One call then looks at this many messages at most and returns what it
 * found with a cursor to go on from (~100 ms a call at 1M); the desk asks again while a page is short.
 */
const FILTERED_WINDOW = 100_000;
export const SEARCH_LIMIT_MAX = 100;
/**
 * A 3+-character term with no filter is counted up to here, then shown as "1,000+" (both backends:
 * the same answers). PostgreSQL's pg_trgm index is lossy, so each match counted is a heap row read
 * and checked (~5 µs at 10M messages): 20,000 of them alone missed the 100 ms target; 1,001 cost ~5 ms.
 */
export const TRIGRAM_COUNT_SHOWN = 1_000;
/** PostgreSQL, a term with more matches than that: the newest this many messages are checked first. */
const PG_RECENT_WINDOW = 20_000;
/** PostgreSQL: at most about this many of the trigram index's candidates are read to prove "1,000+". */
const PG_COUNT_SAMPLE = 20_000;

export type SearchTerm = { term: string; kind: 'trigram' | 'unigram' | 'scan' };

/** The term as searched (trimmed), and which path answers it; null when nothing is left to search. */
export function searchTerm(q: string): SearchTerm | null {
  const term = q.trim();
  if (term === '') return null;
  if (Array.from(term).length >= TRIGRAM_MIN) return { term, kind: 'trigram' };
  return { term, kind: unigramPhrase(term) ? 'unigram' : 'scan' };
}

/**
 * A clause true for the messages (alias `alias`) whose text holds the term: fixed SQL text, the
 * term bound as `@match` / `@like`. `candidates` selects the rowids the index finds.
 */
export function matchClause(t: SearchTerm, alias: string): { sql: string; candidates: string; params: Record<string, string> } {
  if (t.kind === 'trigram') {
    const candidates = 'SELECT rowid FROM messages_fts WHERE messages_fts MATCH @match';
    return { sql: `${alias}.rowid IN (${candidates})`, candidates, params: { match: `"${t.term.replace(/"/g, '""')}"` } };
  }
  const like = likePattern(t.term);
  if (t.kind === 'unigram') {
    const candidates = 'SELECT rowid FROM messages_uni WHERE messages_uni MATCH @match';
    return {
      sql: `${alias}.rowid IN (${candidates}) AND ${alias}.text LIKE @like ESCAPE '\\'`,
      candidates,
      params: { match: unigramPhrase(t.term) ?? '', like },
    };
  }
  const candidates = "SELECT rowid FROM messages WHERE text LIKE @like ESCAPE '\\'";
  return { sql: `${alias}.text LIKE @like ESCAPE '\\'`, candidates, params: { like } };
}

export type SearchFilter = {
  customerId?: string | undefined;
  agentId?: string | undefined;
  /** fromMs <= created_at < toMs */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  direction?: MessageSender | undefined;
};

/** Where the previous page ended: newest first by (created_at, rowid). */
export type SearchCursor = { createdAt: number; rowid: number };

export type SearchHitRow = {
  rowid: number;
  id: string;
  conversation_id: string;
  sender: MessageSender;
  kind: MessageKind;
  text: string;
  created_at: number;
  customer_id: string;
  customer_nick: string;
  agent_id: string | null;
  agent_nick: string | null;
};

export type SearchPage = {
  rows: SearchHitRow[];
  next: SearchCursor | null;
  /** Matching messages: exactly, at most, or at least this many (a common term is not counted to the end). */
  total: number;
  totalBound: 'exact' | 'atMost' | 'atLeast';
};

function filterClauses(f: SearchFilter, after: SearchCursor | undefined): { sql: string[]; params: Record<string, unknown> } {
  const sql: string[] = [];
  const params: Record<string, unknown> = {};
  const add = (clause: string, key: string, value: unknown) => {
    if (value === undefined) return;
    sql.push(clause);
    params[key] = value;
  };
  add('c.customer_id = @customerId', 'customerId', f.customerId);
  add('coalesce(m.agent_id, c.agent_id) = @agentId', 'agentId', f.agentId);
  add('m.sender = @direction', 'direction', f.direction);
  add('m.created_at >= @fromMs', 'fromMs', f.fromMs);
  add('m.created_at < @toMs', 'toMs', f.toMs);
  if (after) {
    sql.push('(m.created_at < @afterAt OR (m.created_at = @afterAt AND m.rowid < @afterRowid))');
    params.afterAt = after.createdAt;
    params.afterRowid = after.rowid;
  }
  return { sql, params };
}

const HIT_COLUMNS = `m.rowid AS rowid, m.id, m.conversation_id, m.sender, m.kind, m.text, m.created_at,
  c.customer_id, cu.nick AS customer_nick, coalesce(m.agent_id, c.agent_id) AS agent_id, a.nick AS agent_nick`;
const HIT_JOINS = `CROSS JOIN customers cu ON cu.id = c.customer_id
  LEFT JOIN agents a ON a.id = coalesce(m.agent_id, c.agent_id)`;

export function messageSearchQueries(db: Db) {
  const postgres = (db as { dialect?: unknown }).dialect === 'postgres';
  const candidateCount = (t: SearchTerm, params: Record<string, string>, candidates: string): number =>
    t.kind === 'scan' ? COUNT_CAP : (db.prepare(`SELECT count(*) FROM (${candidates} LIMIT ${COUNT_CAP})`).pluck().get(params) as number);

  /** The oldest message of the next FILTERED_WINDOW within the filter's days, below the cursor; none when fewer remain. */
  const windowFloor = (f: SearchFilter, after: SearchCursor | undefined): SearchCursor | undefined => {
    const days = filterClauses({ fromMs: f.fromMs, toMs: f.toMs }, after);
    const row = db
      .prepare(
        `SELECT m.created_at AS createdAt, m.rowid AS rowid FROM messages m INDEXED BY messages_time
         ${days.sql.length ? `WHERE ${days.sql.join(' AND ')}` : ''} ORDER BY m.created_at DESC, m.rowid DESC LIMIT 1 OFFSET ${FILTERED_WINDOW - 1}`,
      )
      .get(days.params) as SearchCursor | undefined;
    return row;
  };

  const pageOf = (rows: SearchHitRow[], size: number) => {
    const more = rows.length > size;
    const page = more ? rows.slice(0, size) : rows;
    const last = page[page.length - 1];
    return { page, next: more && last ? { createdAt: last.created_at, rowid: last.rowid } : null };
  };

  /**
   * PostgreSQL, a 3+-character term without filters (SQLite's answers, another plan): the matches are
   * counted up to TRIGRAM_COUNT_SHOWN + 1 (a bitmap scan of the trigram index stopping there). Few:
   * they are fetched and sorted. More: the newest PG_RECENT_WINDOW messages (below the cursor) are
   * walked on the time index and checked, which fills a page of a common term (≥ 0.25%) in ~20 ms;
   * only when that window falls short are all the candidates fetched and sorted (a term of 0.01–0.25%).
   */
  const pgTrigramPage = (
    t: SearchTerm,
    filters: ReturnType<typeof filterClauses>,
    size: number,
    after: SearchCursor | undefined,
  ): SearchPage =>
    // pg_trgm's estimate of a term's matches is rough (5% of the rows for a 4-character term found in
    // 0.1%): with a LIMIT the planner then prefers a sequential scan, which reads the whole table for a
    // rare term. The trigram index's bitmap is what these statements are written for.
    db
      .transaction(() => {
        db.exec('SET LOCAL enable_seqscan = off');
        try {
          return pgTrigramPlan(t, filters, size, after);
        } finally {
          db.exec('SET LOCAL enable_seqscan = on');
          db.exec('SET LOCAL gin_fuzzy_search_limit = 0');
        }
      })
      .deferred();

  const pgTrigramPlan = (
    t: SearchTerm,
    filters: ReturnType<typeof filterClauses>,
    size: number,
    after: SearchCursor | undefined,
  ): SearchPage => {
    const like = likePattern(t.term);
    const count = () =>
      db
        .prepare(
          `SELECT count(*) FROM (SELECT rowid FROM messages WHERE lower(text) LIKE @like ESCAPE '\\' LIMIT ${TRIGRAM_COUNT_SHOWN + 1})`,
        )
        .pluck()
        .get({ like }) as number;
    // A common term's bitmap of every candidate costs ~300 ms at 10M (166k of them): a sample of the
    // index's answer (GIN gives a random part of it above the limit) proves "more than 1,000" when
    // that many of its rows match; short of that, counted again from the whole answer (exact).
    db.exec(`SET LOCAL gin_fuzzy_search_limit = ${PG_COUNT_SAMPLE}`);
    let counted = count();
    db.exec('SET LOCAL gin_fuzzy_search_limit = 0');
    if (counted <= TRIGRAM_COUNT_SHOWN) counted = count();
    const params = { like, ...filters.params, limit: size + 1 };
    const below = filters.sql.length ? `WHERE ${filters.sql.join(' AND ')}` : '';
    const hits = (top: string) =>
      db
        .prepare(
          `WITH ${top} SELECT ${HIT_COLUMNS} FROM top CROSS JOIN messages m ON m.rowid = top.rowid CROSS JOIN conversations c ON c.id = m.conversation_id
           ${HIT_JOINS} ORDER BY m.created_at DESC, m.rowid DESC`,
        )
        .all(params) as SearchHitRow[];
    let rows: SearchHitRow[] | null = null;
    if (counted > TRIGRAM_COUNT_SHOWN) {
      // The newest messages on the time index, checked one by one.
      rows = hits(
        `recent AS (SELECT m.rowid, m.created_at, m.text FROM messages m ${below} ORDER BY m.created_at DESC, m.rowid DESC LIMIT ${PG_RECENT_WINDOW}),
         top AS (SELECT rowid FROM recent WHERE lower(text) LIKE @like ESCAPE '\\' ORDER BY created_at DESC, rowid DESC LIMIT @limit)`,
      );
      // Short of a page: the window held every message below the cursor (the answer), or not (all candidates, below).
      if (rows.length <= size) {
        const more = db
          .prepare(`SELECT 1 FROM messages m ${below} ORDER BY m.created_at DESC, m.rowid DESC LIMIT 1 OFFSET ${PG_RECENT_WINDOW}`)
          .get(filters.params);
        if (more) rows = null;
      }
    }
    // Every candidate (the trigram index's bitmap, each row checked), then the newest of them.
    rows ??= hits(
      `found AS MATERIALIZED (SELECT rowid, created_at FROM messages WHERE lower(text) LIKE @like ESCAPE '\\'),
       top AS (SELECT rowid FROM found m ${below} ORDER BY created_at DESC, rowid DESC LIMIT @limit)`,
    );
    const { page, next } = pageOf(rows, size);
    if (!after && !next) return { rows: page, next, total: page.length, totalBound: 'exact' };
    return counted > TRIGRAM_COUNT_SHOWN
      ? { rows: page, next, total: TRIGRAM_COUNT_SHOWN, totalBound: 'atLeast' }
      : { rows: page, next, total: counted, totalBound: 'exact' };
  };

  return {
    /**
     * One page of matches, newest first. The plan follows the numbers: a buyer's own conversations
     * when one is named; few candidates are fetched and sorted; more are met by walking the time
     * index newest first until the page is full, checking each against the candidate set, or for a
     * very common term (or one with no letter or digit) checking each message's text directly.
     */
    search(t: SearchTerm, f: SearchFilter, limit: number, after?: SearchCursor): SearchPage {
      const size = Math.min(Math.max(1, limit), SEARCH_LIMIT_MAX);
      const filters = filterClauses(f, after);
      const anyFilter = filters.sql.length > (after ? 1 : 0);
      const match = matchClause(t, 'm');
      if (postgres && t.kind === 'trigram' && !anyFilter) return pgTrigramPage(t, filters, size, after);
      const candidates = candidateCount(t, match.params, match.candidates);
      const common = candidates >= COUNT_CAP;
      const direct = common && !anyFilter;
      const matchSql = direct ? "m.text LIKE @like ESCAPE '\\'" : match.sql;
      const matchParams = direct ? { like: likePattern(t.term) } : match.params;
      const params = { ...matchParams, ...filters.params, limit: size + 1 };
      const where = [matchSql, ...filters.sql].join(' AND ');
      const from =
        f.customerId !== undefined
          ? 'conversations c CROSS JOIN messages m ON m.conversation_id = c.id'
          : candidates <= SORT_CANDIDATES_MAX
            ? 'messages m CROSS JOIN conversations c ON c.id = m.conversation_id'
            : 'messages m INDEXED BY messages_time CROSS JOIN conversations c ON c.id = m.conversation_id';
      const walks = f.customerId === undefined && candidates > SORT_CANDIDATES_MAX && anyFilter;
      const floor = walks ? windowFloor(f, after) : undefined;
      const bounded = floor ? `${where} AND (m.created_at > @floorAt OR (m.created_at = @floorAt AND m.rowid >= @floorRowid))` : where;
      const rows = db
        .prepare(`SELECT ${HIT_COLUMNS} FROM ${from} ${HIT_JOINS} WHERE ${bounded} ORDER BY m.created_at DESC, m.rowid DESC LIMIT @limit`)
        .all(floor ? { ...params, floorAt: floor.createdAt, floorRowid: floor.rowid } : params) as SearchHitRow[];
      const more = rows.length > size;
      const page = more ? rows.slice(0, size) : rows;
      const last = page[page.length - 1];
      const next = more && last ? { createdAt: last.created_at, rowid: last.rowid } : (floor ?? null);
      // The whole answer fitted on this first page: it is the count.
      if (!after && !next) return { rows: page, next, total: page.length, totalBound: 'exact' };

      if (t.kind === 'trigram' && !anyFilter)
        return candidates > TRIGRAM_COUNT_SHOWN
          ? { rows: page, next, total: TRIGRAM_COUNT_SHOWN, totalBound: 'atLeast' }
          : { rows: page, next, total: candidates, totalBound: 'exact' };
      if (candidates <= EXACT_COUNT_MAX) {
        const unpaged = filterClauses(f, undefined);
        const total = db
          .prepare(
            `SELECT count(*) FROM messages m CROSS JOIN conversations c ON c.id = m.conversation_id WHERE ${[match.sql, ...unpaged.sql].join(' AND ')}`,
          )
          .pluck()
          .get({ ...match.params, ...unpaged.params }) as number;
        return { rows: page, next, total, totalBound: 'exact' };
      }
      // Capped: at least the cap without filters (the unigram check rarely drops one); with filters or a scan, what was shown.
      if (common) return { rows: page, next, total: anyFilter || t.kind === 'scan' ? page.length : candidates, totalBound: 'atLeast' };
      return { rows: page, next, total: candidates, totalBound: 'atMost' };
    },
  };
}

export type MessageSearchQueries = ReturnType<typeof messageSearchQueries>;
