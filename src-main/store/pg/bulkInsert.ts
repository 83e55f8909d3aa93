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
 * the caller's transaction with it. Returns, for each row, whether it was stored.
 */
export function pgInsertMany(db: Db, table: string, columns: readonly Column[], key: string, rows: readonly unknown[][]): boolean[] {
  const pg = db as unknown as { query(text: string, values: unknown[], rowMode?: 'array'): { rows: unknown[] } };
  const keyAt = columns.findIndex((c) => c.name === key);
  if (keyAt < 0) throw new Error(`${key} is not one of the columns`);
  const text =
    `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) ` +
    `SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')}) ` +
    `ON CONFLICT (${key}) DO NOTHING RETURNING ${key}`;
  const stored: boolean[] = [];
  for (let from = 0; from < rows.length; from += PG_BULK_ROWS) {
    const chunk = rows.slice(from, from + PG_BULK_ROWS);
    const arrays = columns.map((c, i) => chunk.map((r) => param(r[i], c.type)));
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
