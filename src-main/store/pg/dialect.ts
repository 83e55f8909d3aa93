/**
 * The store's SQL is SQLite's. On PostgreSQL each statement is rewritten once per shape of its
 * arguments (cached): placeholders (`?`, `@name`) become `$n` with a type cast taken from the value
 * (PostgreSQL must know every parameter's type; SQLite never asks), and the few SQLite-only forms the
 * store uses become PostgreSQL's. The values are still sent as parameters, never spliced into the text.
 */

export type Translated = { text: string; order: (number | string)[] };

/** Statements with no PostgreSQL rewrite by rule: said here whole (whitespace-normalised SQLite text → PostgreSQL). */
const WHOLE: Record<string, string> = {
  // The feed's highest seq ever given out: kept by the feed head row (pg/schema.ts), not sqlite_sequence.
  "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)": 'SELECT seq FROM feed_head WHERE id = 1',
  // A feed row takes the next seq from the head row, locked until the transaction ends (gap-free, in commit order).
  // A feed row's seq comes from the head row (the changes_seq trigger, schema.ts): the appender wants it back.
  'INSERT INTO changes (entity, entity_id, op, row, at) VALUES (?, ?, ?, ?, ?)':
    'INSERT INTO changes (entity, entity_id, op, row, at) VALUES (?, ?, ?, ?, ?) RETURNING seq AS rowid',
  // Whether a column is there yet (the reports on a store over an older schema): the catalogue's answer.
  "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'automated'":
    "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'messages' AND column_name = 'automated'",
};

export function normalise(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

/** Statements that touch SQLite's own search tables: PostgreSQL keeps no such index (search reads the messages). */
export function isSqliteOnly(sql: string): boolean {
  return /^\s*(INSERT|DELETE|UPDATE|REPLACE)\b[\s\S]*\bmessages_(fts|uni)\b/i.test(sql) || /\bsqlite_(master|schema)\b/.test(sql);
}

type Scan = { code: string[]; strings: string[] };

/** Splits the SQL into code and literals ('…' strings, "…" names, comments) so rules only touch code. */
function scan(sql: string): Scan {
  const code: string[] = [];
  const strings: string[] = [];
  let i = 0;
  let start = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      code.push(sql.slice(start, i));
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) break;
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      strings.push(sql.slice(i, j + 1));
      i = j + 1;
      start = i;
    } else if (c === '-' && sql[i + 1] === '-') {
      code.push(sql.slice(start, i));
      const end = sql.indexOf('\n', i);
      strings.push(' ');
      i = end === -1 ? sql.length : end;
      start = i;
    } else i++;
  }
  code.push(sql.slice(start));
  return { code, strings };
}

const MARK = '\uE000';

/** Code with every literal replaced by a mark, and the literals to put back. */
function masked(sql: string): { text: string; strings: string[] } {
  // SQLite's `x ->> '$.a.b'` gives the JSON value as an SQL value (a number stays a number): here a
  // jsonb, which the bridge parses back into the JS value (pgWorker.ts). Done before the literals are masked.
  sql = sql.replace(
    /([A-Za-z_][\w.]*)\s*->>\s*'\$\.([\w.]+)'/g,
    (_m, x: string, p: string) => `((${x})::jsonb #> '{${p.split('.').join(',')}}')`,
  );
  // `j.value ->> 1` as the last column of an INSERT … SELECT into a number column.
  sql = sql.replace(/([A-Za-z_]\w*\.value)\s*->>\s*(\d+)(\s+FROM\b)/g, '(($1 ->> $2)::bigint)$3');
  const { code, strings } = scan(sql);
  let text = code[0]!;
  for (let k = 0; k < strings.length; k++) text += `${MARK}${k}${MARK}${code[k + 1]!}`;
  return { text, strings };
}

function unmask(text: string, strings: string[]): string {
  return text.replace(new RegExp(`${MARK}(\\d+)${MARK}`, 'g'), (_m, k: string) => strings[Number(k)]!);
}

/** The index of the parenthesis closing the one at `open`, and the top-level comma positions inside. */
function closing(text: string, open: number): { close: number; commas: number[] } {
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return { close: i, commas };
    } else if (c === ',' && depth === 1) commas.push(i);
  }
  throw new Error(`unbalanced parentheses in SQL: ${text.slice(0, 120)}`);
}

/** Rewrites calls `name(` by `fn(whole call text, args) → replacement`, innermost first. */
function rewriteCalls(text: string, name: string, fn: (args: string[], whole: string) => string | null): string {
  const re = new RegExp(`\\b${name}\\s*\\(`, 'gi');
  let out = text;
  let from = out.length;
  for (;;) {
    let found = -1;
    let paren = -1;
    re.lastIndex = 0;
    for (let m = re.exec(out); m; m = re.exec(out)) {
      if (m.index >= from) break;
      found = m.index;
      paren = m.index + m[0].length - 1;
    }
    if (found === -1) return out;
    const { close, commas } = closing(out, paren);
    const bounds = [paren, ...commas, close];
    const args = bounds.slice(0, -1).map((b, k) => out.slice(b + 1, bounds[k + 1]));
    const replacement = fn(args, out.slice(found, close + 1));
    if (replacement !== null) out = out.slice(0, found) + replacement + out.slice(close + 1);
    from = found;
  }
}

const SQL_WORDS = new Set(
  'and or not is null case when then else end excluded true false in between like ilike distinct from as cast bigint text coalesce'.split(
    ' ',
  ),
);

/**
 * In `INSERT INTO t … ON CONFLICT … DO UPDATE SET a = a + excluded.a WHERE …`, a bare column is the
 * stored row's in SQLite; PostgreSQL calls it ambiguous: it is written `t.a`.
 */
function qualifyUpsert(text: string): string {
  const m = /^\s*INSERT\s+INTO\s+([A-Za-z_]\w*)[\s\S]*?\bDO\s+UPDATE\s+SET\b/i.exec(text);
  if (!m) return text;
  const table = m[1]!;
  const head = text.slice(0, m.index + m[0].length);
  const tail = text.slice(m.index + m[0].length);
  // Each assignment's left side stays bare; everything after an `=` (and the WHERE) is qualified.
  const qualified = tail.replace(
    /(=|\bWHERE\b)([^=]*?)(?=,\s*[A-Za-z_]\w*\s*=(?!=)|$|\bWHERE\b)/gi,
    (_all, op: string, expr: string) =>
      op +
      expr.replace(/(?<![.\w"$\uE000:@])([A-Za-z_]\w*)\b(?!\s*\(|\.|\uE000)/g, (word: string) =>
        SQL_WORDS.has(word.toLowerCase()) || /^\d/.test(word) ? word : `${table}.${word}`,
      ),
  );
  return head + qualified;
}

const NOT_ALIAS = /^(WHERE|ORDER|GROUP|LIMIT|JOIN|LEFT|INNER|CROSS|ON|UNION|HAVING|OFFSET|AND|OR|\))$/i;

function aliasSubqueries(text: string): string {
  let out = text;
  let n = 0;
  const re = /\b(FROM|JOIN)\s*\(\s*(?=SELECT\b|WITH\b)/gi;
  for (let m = re.exec(out); m; m = re.exec(out)) {
    const open = out.indexOf('(', m.index);
    const { close } = closing(out, open);
    const next = /^\s*([A-Za-z_]\w*|\)|$)/.exec(out.slice(close + 1))?.[1] ?? '';
    if (next === '' || NOT_ALIAS.test(next)) {
      out = `${out.slice(0, close + 1)} AS _q${++n}${out.slice(close + 1)}`;
    }
    re.lastIndex = open + 1;
  }
  return out;
}

/** The rules, on code with literals masked. Placeholders are still `?` and `@name` here. */
function rewrite(text: string): string {
  let out = text;
  // Search candidates: SQLite's FTS5 indexes; here the messages' own indexes (schema.ts, version 7).
  // Three or more characters: a substring of the lower-cased text, LIKE with the term's wildcards
  // escaped, which pg_trgm's GIN index answers. The term is FTS5's quoted phrase ("…", "" inside).
  out = out.replace(
    /SELECT rowid FROM messages_fts WHERE messages_fts MATCH @match/g,
    `SELECT rowid FROM messages WHERE lower(text) LIKE '%' || replace(replace(replace(lower(replace(substr(@match, 2, length(@match) - 2), '""', '"')), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' ESCAPE '\\'`,
  );
  // One or two characters: the messages holding each of the term's letters (the characters index;
  // the caller checks the order with LIKE). The phrase is FTS5's: the characters a space apart.
  out = out.replace(
    /SELECT rowid FROM messages_uni WHERE messages_uni MATCH @match/g,
    `SELECT rowid FROM messages WHERE string_to_array(lower(text), NULL) @> string_to_array(lower(replace(substr(@match, 2, length(@match) - 2), '""', '"')), ' ')`,
  );
  out = out.replace(/\bINDEXED\s+BY\s+\w+/gi, '');
  // PostgreSQL folds unquoted names to lower case: a mixed-case alias (\`AS groupName\`) is quoted, and so is every use of it.
  const aliases = new Set<string>();
  for (const m of out.matchAll(/\bAS\s+([A-Za-z_]\w*)\b/g)) if (/[a-z]/.test(m[1]!) && /[A-Z]/.test(m[1]!)) aliases.add(m[1]!);
  if (aliases.size > 0) {
    const re = new RegExp(`(?<![.\\w@"])(${[...aliases].join('|')})\\b(?!")`, 'g');
    out = out.replace(re, '"$1"');
  }
  // SQLite's `+col` (keeps the planner off an index) is a type error on text here.
  out = out.replace(/(\b(?:AND|OR|WHERE|ON)\s+|\(\s*)\+(?=[A-Za-z_])/gi, '$1');
  out = qualifyUpsert(out);
  // PostgreSQL 15 wants a name for every subquery in FROM / JOIN.
  out = aliasSubqueries(out);
  // Two-argument max/min are SQLite's scalar greatest/least.
  out = rewriteCalls(out, 'max', (args) => (args.length > 1 ? `GREATEST(${args.join(',')})` : null));
  out = rewriteCalls(out, 'min', (args) => (args.length > 1 ? `LEAST(${args.join(',')})` : null));
  // SQLite's json('true'): a JSON value from its text (a boolean inside json_object).
  out = rewriteCalls(out, 'json', (args) => (args.length === 1 ? `(${args[0]})::json` : null));
  out = rewriteCalls(out, 'json_object', (args) => `json_build_object(${args.join(',')})`);
  // json_group_array over no rows is '[]' in SQLite, NULL with json_agg.
  out = rewriteCalls(out, 'json_group_array', (args) => `coalesce(json_agg(${args.join(',')}), '[]'::json)`);
  // `json_each(?) j` (value and key) and `SELECT value FROM json_each(?)` (text values).
  out = out.replace(
    /\bjson_each\s*\(([^()]*)\)\s+(?!WHERE\b|ORDER\b|JOIN\b|ON\b)([a-z_]\w*)\b/gi,
    (_m, arg: string, alias: string) => `json_array_elements((${arg})::json) WITH ORDINALITY AS ${alias}(value, key)`,
  );
  out = out.replace(/\bjson_each\s*\(([^()]*)\)/gi, (_m, arg: string) => `json_array_elements_text((${arg})::json) AS value`);
  // SQLite's CROSS JOIN … ON (an inner join in a fixed order) is an inner join here: PostgreSQL's CROSS JOIN takes no ON.
  out = out.replace(/\bCROSS\s+JOIN\s+(\w+)(\s+(?!ON\b)\w+)?(\s+ON\b)/gi, 'JOIN $1$2$3');
  // SQLite's LIKE ignores ASCII case.
  out = out.replace(/\bNOT\s+LIKE\b/gi, 'NOT ILIKE').replace(/(?<!NOT\s+|I|@)\bLIKE\b/gi, 'ILIKE');
  // `a IS ?` compares values in SQLite; PostgreSQL's IS only takes NULL/TRUE/FALSE.
  out = out.replace(/\bIS\s+NOT\s+(?=[?@:$])/gi, 'IS DISTINCT FROM ').replace(/\bIS\s+(?=[?@:$])/gi, 'IS NOT DISTINCT FROM ');
  // Integers are 64-bit in SQLite (milliseconds overflow a PostgreSQL integer).
  out = out.replace(/\bAS\s+INTEGER\s*\)/gi, 'AS BIGINT)').replace(/\bAS\s+REAL\s*\)/gi, 'AS DOUBLE PRECISION)');
  return feedInBulk(out);
}

/**
 * A batch's change rows (`INSERT INTO changes (…) SELECT … ORDER BY rowid`, the bulk inserts') take
 * their seqs in one step instead of one trigger call (and one `feed_head` update) per row: the
 * selected rows are counted, `feed_head` is moved by that count in the same statement (so its row
 * lock is held until the commit, as the trigger holds it: still gap-free, still in commit order),
 * and the rows get the seqs after the old head in their selected order. The trigger (schema v9)
 * leaves a given seq alone; a single row's insert gives none and still takes it from the trigger.
 */
function feedInBulk(text: string): string {
  const m = /^\s*INSERT\s+INTO\s+changes\s*\(\s*entity,\s*entity_id,\s*op,\s*row,\s*at\s*\)\s*(SELECT\b[\s\S]*?);?\s*$/i.exec(text);
  if (!m) return text;
  return (
    `WITH src(entity, entity_id, op, row, at) AS MATERIALIZED (${m[1]}), ` +
    `numbered AS MATERIALIZED (SELECT src.*, row_number() OVER () AS n FROM src), ` +
    `head AS (UPDATE feed_head SET seq = seq + (SELECT count(*) FROM numbered) WHERE id = 1 AND EXISTS (SELECT 1 FROM numbered) ` +
    `RETURNING seq - (SELECT count(*) FROM numbered) AS base) ` +
    `INSERT INTO changes (seq, entity, entity_id, op, row, at) ` +
    `SELECT head.base + numbered.n, numbered.entity, numbered.entity_id, numbered.op, numbered.row, numbered.at FROM numbered CROSS JOIN head ORDER BY numbered.n`
  );
}

type Shape = string;

/** The cast a value's parameter gets, so the server knows its type wherever it stands. */
function castFor(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? '::bigint' : '::float8';
  if (typeof value === 'bigint') return '::bigint';
  if (typeof value === 'string') return '::text';
  if (value instanceof Uint8Array) return '::bytea';
  return '';
}

export function shapeOf(values: unknown[]): Shape {
  let s = '';
  for (const v of values) s += castFor(v) || (v === null || v === undefined ? 'n' : '?');
  return s;
}

const ruleCache = new Map<string, { text: string; strings: string[] }>();

/**
 * The statement for PostgreSQL with placeholders numbered for `values` (positional, in order) or for
 * a named object (`@name`, in order of appearance). Returns the text and, per `$n`, which argument it is.
 */
export function translate(sql: string, sample: (key: number | string) => unknown): Translated {
  let ruled = ruleCache.get(sql);
  if (!ruled) {
    const whole = WHOLE[normalise(sql)];
    const { text, strings } = masked(whole ?? sql);
    ruled = { text: rewrite(text), strings };
    ruleCache.set(sql, ruled);
  }
  const order: (number | string)[] = [];
  let positional = 0;
  const named = new Map<string, number>();
  const text = ruled.text.replace(
    /\?(\d*)|@([A-Za-z_]\w*)/g,
    (m, digits: string | undefined, name: string | undefined, offset: number, all: string) => {
      let key: number | string;
      if (name !== undefined) key = name;
      else if (digits) key = Number(digits) - 1;
      else key = positional++;
      let index: number;
      if (typeof key === 'string' && named.has(key)) index = named.get(key)!;
      else {
        order.push(key);
        index = order.length;
        if (typeof key === 'string') named.set(key, index);
      }
      const value = sample(key);
      let cast = castFor(value);
      // An untyped NULL alone before IS [NOT] NULL has no type to infer.
      if (!cast && /^\s*IS\s+(NOT\s+)?NULL\b/i.test(all.slice(offset + m.length))) cast = '::text';
      return `$${index}${cast}`;
    },
  );
  return { text: unmask(text, ruled.strings), order };
}
