import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SCHEMA_VERSION } from '../migrations';
import { PG_MIGRATIONS } from './schema';

/** PostgreSQL's own bookkeeping tables: made by its schema, not copied. */
const PG_ONLY = new Set(['feed_head', 'schema_migrations', 'hub_rate_limits', 'hub_presence']);
/** Parameters per INSERT stay well under PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000;
const MAX_ROWS_PER_INSERT = 1_000;

export type CopyProgress = { table: string; copied: number; total: number; done: boolean };
export type CopyReport = { tables: { table: string; rows: number; sha256: string }[]; feedHead: number; schemaVersion: number };

/** Rows read per FETCH from PostgreSQL while digesting (a table is never held whole). */
const DIGEST_FETCH = 5_000;

/**
 * One row into a table's digest: every value as its canonical text, each length-prefixed (so no two
 * rows of different values write the same bytes), null marked apart from the empty text. Integers
 * are their decimal digits whichever driver read them (SQLite's number or bigint, pg's string).
 */
function digestRow(hash: crypto.Hash, row: unknown[]): void {
  for (const v of row) {
    if (v === null || v === undefined) {
      hash.update('N');
      continue;
    }
    const text = Buffer.isBuffer(v) ? `x${v.toString('hex')}` : typeof v === 'object' ? JSON.stringify(v) : String(v);
    const bytes = Buffer.from(text, 'utf8');
    hash.update(`V${bytes.length}:`);
    hash.update(bytes);
  }
  hash.update('\n');
}

/** The order both sides read a table in: its primary key in PostgreSQL (else every copied column), bytewise for text. */
async function digestOrder(
  client: pg.Client,
  table: string,
  cols: string[],
  types: Map<string, string>,
): Promise<{ pg: string; sqlite: string }> {
  const { rows } = await client.query<{ c: string }>(
    `SELECT a.attname AS c FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [quote(table)],
  );
  const key = rows.map((r) => r.c);
  const by = key.length > 0 && key.every((c) => cols.includes(c)) ? key : cols;
  const text = (c: string) => types.get(c) === 'text' || types.get(c) === 'json';
  return {
    // SQLite's BINARY collation compares UTF-8 bytes, as PostgreSQL's "C" does; NULLs first on both.
    pg: by.map((c) => `${quote(c)}${text(c) ? '::text COLLATE "C"' : ''} ASC NULLS FIRST`).join(', '),
    sqlite: by.map((c) => `${quote(c)}${text(c) ? ' COLLATE BINARY' : ''} ASC`).join(', '),
  };
}

export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefused';
  }
}

/** A table whose copy does not hold what SQLite holds (its digests differ): nothing is committed. */
export class CopyMismatch extends Error {
  constructor(
    readonly table: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${table}: the copy's checksum ${found.slice(0, 16)}… differs from SQLite's ${expected.slice(0, 16)}…: nothing was copied`);
    this.name = 'CopyMismatch';
  }
}

/** The tables in an order where every foreign key's table comes before the tables that refer to it. */
async function parentsFirst(client: pg.Client, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
     JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
     WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace`,
  );
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const r of rows) if (r.child !== r.parent) parents.get(r.child)?.add(r.parent);
  const order: string[] = [];
  const placed = new Set<string>();
  const place = (t: string, path: Set<string>) => {
    if (placed.has(t)) return;
    if (path.has(t)) throw new Error(`foreign keys go round through ${t}`);
    path.add(t);
    for (const p of [...(parents.get(t) ?? [])].sort()) place(p, path);
    path.delete(t);
    placed.add(t);
    order.push(t);
  };
  for (const t of [...tables].sort()) place(t, new Set());
  return order;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * `jiedai hub migrate --from sqlite` (issue 14): copies a SQLite hub's store into an empty PostgreSQL
 * database in one transaction: the PostgreSQL schema is made, every table's rows are copied (the rowids
 * and the change feed's seqs as they are, so every desk's cursor stays valid and nothing needs a new
 * bootstrap), the feed head and identity counters are set past what was copied, and each table's row
 * count is compared before the commit. Anything wrong (a count, a constraint) rolls the whole
 * transaction back: the database is left as empty as it was. The SQLite file is opened read-only and
 * must be at this build's schema (run the hub once with this build first). A database with any table
 * of its own is refused.
 */
export async function copySqliteToPg(options: {
  sqliteFile: string;
  url: string;
  onProgress?: (p: CopyProgress) => void;
}): Promise<CopyReport> {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(options.sqliteFile, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CopyRefused(`cannot open ${options.sqliteFile}: ${(error as Error).message}`);
  }
  const client = new pg.Client({ connectionString: options.url });
  try {
    const version = sqlite.pragma('user_version', { simple: true }) as number;
    if (version !== SCHEMA_VERSION)
      throw new CopyRefused(
        `the SQLite store is at schema ${version}, this build's is ${SCHEMA_VERSION}: start the hub once with this build, stop it, then migrate`,
      );
    await client.connect();
    const existing = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    if (Number(existing.rows[0]!.n) > 0) throw new CopyRefused('the PostgreSQL database is not empty: give a new, empty database');
    // One read snapshot of the SQLite file for the whole copy (a hub still running on it could write meanwhile).
    sqlite.exec('BEGIN');
    await client.query('BEGIN');
    try {
      await client.query('CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      for (const m of PG_MIGRATIONS) {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
      }
      // The feed's seqs are copied as they are: the trigger that gives out new ones waits till after.
      await client.query('ALTER TABLE changes DISABLE TRIGGER changes_seq');
      await client.query('ALTER TABLE customer_groups DISABLE TRIGGER customer_groups_limit');
      const pgColumns = await client.query<{ t: string; c: string; identity: string; type: string }>(
        `SELECT table_name AS t, column_name AS c, is_identity AS identity, data_type AS type FROM information_schema.columns
         WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
      );
      const tables = new Map<string, { columns: string[]; identity: string[]; types: Map<string, string> }>();
      for (const r of pgColumns.rows) {
        if (PG_ONLY.has(r.t)) continue;
        const t = tables.get(r.t) ?? { columns: [], identity: [], types: new Map<string, string>() };
        t.columns.push(r.c);
        t.types.set(r.c, r.type);
        if (r.identity === 'YES') t.identity.push(r.c);
        tables.set(r.t, t);
      }
      const report: CopyReport['tables'] = [];
      for (const table of await parentsFirst(client, [...tables.keys()])) {
        const { columns, identity, types } = tables.get(table)!;
        const sqliteCols = new Set((sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).map(String));
        // A PostgreSQL `rowid` column is SQLite's implicit rowid.
        const cols = columns.filter((c) => sqliteCols.has(c) || c === 'rowid');
        const select = cols.map((c) => (c === 'rowid' ? 'rowid AS rowid' : quote(c))).join(', ');
        const total = sqlite
          .prepare(`SELECT count(*) FROM ${quote(table)}`)
          .pluck()
          .get() as number;
        const perInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMS / cols.length)));
        const insertHead = `INSERT INTO ${quote(table)} (${cols.map(quote).join(', ')})${identity.length > 0 ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES `;
        let batch: unknown[] = [];
        let rows = 0;
        let copied = 0;
        const flush = async () => {
          if (rows === 0) return;
          const groups: string[] = [];
          for (let r = 0; r < rows; r++) groups.push(`(${cols.map((_, c) => `$${r * cols.length + c + 1}`).join(', ')})`);
          await client.query(insertHead + groups.join(', '), batch);
          copied += rows;
          batch = [];
          rows = 0;
          options.onProgress?.({ table, copied, total, done: false });
        };
        const iterate = sqlite.prepare(`SELECT ${select} FROM ${quote(table)}`).raw(true);
        for (const row of iterate.iterate() as IterableIterator<unknown[]>) {
          for (const v of row) batch.push(typeof v === 'bigint' ? v.toString() : v);
          rows++;
          if (rows === perInsert) await flush();
        }
        await flush();
        for (const column of identity)
          await client.query(
            `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${quote(column)}) FROM ${quote(table)}), 0) + 1, false)`,
            [table, column],
          );
        const counted = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`)).rows[0]!.n);
        if (counted !== total) throw new Error(`${table}: ${total} rows in SQLite, ${counted} in PostgreSQL`);
        // Then what the rows hold: a digest of every copied column of every row, read back in one order on both sides.
        const order = await digestOrder(client, table, cols, types);
        const fromSqlite = crypto.createHash('sha256');
        for (const row of sqlite
          .prepare(`SELECT ${select} FROM ${quote(table)} ORDER BY ${order.sqlite}`)
          .raw(true)
          .iterate() as IterableIterator<unknown[]>)
          digestRow(fromSqlite, row);
        const fromPg = crypto.createHash('sha256');
        // json as its stored text (pg would parse it); the rest as the driver reads it.
        const pgSelect = cols.map((c) => (types.get(c) === 'json' ? `${quote(c)}::text` : quote(c))).join(', ');
        await client.query(`DECLARE jiedai_digest NO SCROLL CURSOR FOR SELECT ${pgSelect} FROM ${quote(table)} ORDER BY ${order.pg}`);
        for (;;) {
          const page = await client.query<unknown[]>({ text: `FETCH ${DIGEST_FETCH} FROM jiedai_digest`, rowMode: 'array' });
          for (const row of page.rows) digestRow(fromPg, row);
          if (page.rows.length < DIGEST_FETCH) break;
        }
        await client.query('CLOSE jiedai_digest');
        const sha256 = fromSqlite.digest('hex');
        const copiedSha = fromPg.digest('hex');
        if (copiedSha !== sha256) throw new CopyMismatch(table, sha256, copiedSha);
        options.onProgress?.({ table, copied, total, done: true });
        report.push({ table, rows: total, sha256 });
      }
      // The highest seq ever given, not just the highest kept (pruned rows' seqs are never given again).
      const head = Math.max(
        (sqlite.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)").pluck().get() as number) ?? 0,
        (sqlite.prepare('SELECT coalesce(max(seq), 0) FROM changes').pluck().get() as number) ?? 0,
      );
      await client.query('UPDATE feed_head SET seq = $1 WHERE id = 1', [head]);
      await client.query('ALTER TABLE changes ENABLE TRIGGER changes_seq');
      await client.query('ALTER TABLE customer_groups ENABLE TRIGGER customer_groups_limit');
      await client.query('COMMIT');
      return { tables: report, feedHead: head, schemaVersion: PG_MIGRATIONS[PG_MIGRATIONS.length - 1]!.version };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    }
  } finally {
    sqlite.close();
    await client.end().catch(() => undefined);
  }
}
