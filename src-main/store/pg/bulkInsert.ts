import type { Db } from '../connection';

/** Rows per multi-row statement: one bridge round trip each (the parameters are a few arrays). */
export const PG_BULK_ROWS = 5_000;

type Column = { name: string; type: 'text' | 'bigint' };

/** Whether the store's connection is PostgreSQL's (PgDb), without importing it into SQLite's modules. */
export function onPostgres(db: Db): boolean {
  return (db as { dialect?: unknown }).dialect === 'postgres';
}

/**
 * A bulk insert on PostgreSQL as one statement per `PG_BULK_ROWS` rows instead of one per row (the
 * hub's bulk ingest: each statement is a synchronous round trip through the bridge, issue 14):
 * `INSERT INTO t (cols) SELECT * FROM unnest($1::text[], $2::bigint[], …) ON CONFLICT (key) DO NOTHING
 * RETURNING key`. unnest yields the rows in the given order, so the identity `rowid`s (and the change
 * rows a caller writes after them, in rowid order) come in the order of the one-by-one inserts. A
 * key already stored, or repeated in the batch, is skipped as `ON CONFLICT DO NOTHING` skips it one
 * by one (the first one stays); any other failure (a foreign key, a check) fails the statement, and
 * the caller's transaction with it. Returns, for each row, whether it was stored; with no key (a
 * table keyed by several columns) any conflicting row is skipped and nothing is returned.
 */
export function pgInsertMany(db: Db, table: string, columns: readonly Column[], key: string | null, rows: readonly unknown[][]): boolean[] {
  const pg = db as unknown as { query(text: string, values: unknown[], rowMode?: 'array'): { rows: unknown[] } };
  const keyAt = key === null ? -1 : columns.findIndex((c) => c.name === key);
  if (key !== null && keyAt < 0) throw new Error(`${key} is not one of the columns`);
  const text =
    `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) ` +
    `SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')}) ` +
    (key === null ? 'ON CONFLICT DO NOTHING' : `ON CONFLICT (${key}) DO NOTHING RETURNING ${key}`);
  const stored: boolean[] = [];
  for (let from = 0; from < rows.length; from += PG_BULK_ROWS) {
    const chunk = rows.slice(from, from + PG_BULK_ROWS);
    const arrays = columns.map((c, i) => chunk.map((r) => param(r[i], c.type)));
    if (key === null) {
      pg.query(text, arrays, 'array');
      continue;
    }
    const fresh = new Set((pg.query(text, arrays, 'array').rows as unknown[][]).map((r) => r[0]));
    for (const r of chunk) {
      const k = r[keyAt];
      // A key repeated in the batch: only its first row was stored.
      stored.push(fresh.delete(k));
    }
  }
  return stored;
}

function param(value: unknown, type: Column['type']): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (type === 'text') return String(value);
  return typeof value === 'bigint' ? value.toString() : value;
}

/** A bulk write's settings on PostgreSQL, for this session: (setting, value while the bulk write runs). */
const PG_BULK_SETTINGS = [
  // A batch's commit does not wait for the WAL's flush (SQLite's `synchronous = NORMAL` in a bulk
  // write): a crash can only lose the last batches of a seed, never damage the database.
  ['synchronous_commit', 'off'],
  // The text's GIN indexes (pg_trgm's and the characters') gather new entries in their pending list
  // and merge them in far fewer, larger steps (4 MB by default: a merge every few hundred messages).
  ['gin_pending_list_limit', '64MB'],
  // The memory a pending list's merge sorts in.
  ['work_mem', '64MB'],
] as const;

/**
 * `withBulkSettings` on PostgreSQL: the settings above on this connection's session, then what puts
 * them back and merges the GIN indexes' pending lists into the indexes (so searches right after
 * the seed do not walk 64 MB of pending entries).
 */
export function applyPgBulkSettings(db: Db): () => void {
  const pg = db as unknown as { query(text: string, values: unknown[], rowMode?: 'array'): { rows: unknown[][] } };
  const names = PG_BULK_SETTINGS.map(([name]) => name);
  const before = pg.query(`SELECT ${names.map((_, i) => `current_setting($${i + 1})`).join(', ')}`, names, 'array').rows[0] ?? [];
  const set = (values: readonly unknown[]) =>
    pg.query(
      `SELECT ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, false)`).join(', ')}`,
      names.flatMap((n, i) => [n, values[i]]),
      'array',
    );
  set(PG_BULK_SETTINGS.map(([, value]) => value));
  return () => {
    set(before);
    pg.query(
      `SELECT gin_clean_pending_list(i.indexrelid::regclass) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'gin' AND i.indrelid = 'messages'::regclass`,
      [],
      'array',
    );
  };
}
