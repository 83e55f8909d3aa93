import { describe, expect, test } from 'vitest';
import { openDatabase } from '../connection';
import { PgDb } from './pgDb';
import { migratePg } from './index';
import { freshPgDatabase, pgUnavailable, startPgWorkerForTests } from './testing';

const why = pgUnavailable();
if (why) process.stderr.write(`skipping the PostgreSQL schema tests: ${why}\n`);

/** SQLite's own tables and its search index's (FTS5) have no twin on PostgreSQL. */
const SQLITE_ONLY = /^(sqlite_|messages_fts|messages_uni)/;
/** PostgreSQL's own bookkeeping (schema.ts). */
const PG_ONLY = new Set(['feed_head', 'schema_migrations', 'hub_rate_limits', 'hub_presence']);

type Column = { name: string; notnull: boolean };

function sqliteSchema(): Map<string, Column[]> {
  const db = openDatabase(':memory:');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  const out = new Map<string, Column[]>();
  for (const t of tables.filter((t) => !SQLITE_ONLY.test(t))) {
    const cols = db.prepare(`SELECT name, "notnull", pk FROM pragma_table_info(?) ORDER BY name`).all(t) as {
      name: string;
      notnull: number;
      pk: number;
    }[];
    out.set(
      t,
      cols.map((c) => ({ name: c.name, notnull: c.notnull === 1 || c.pk > 0 })),
    );
  }
  db.close();
  return out;
}

function pgSchema(): Map<string, Column[]> {
  const db = new PgDb({ url: freshPgDatabase('schema'), start: startPgWorkerForTests });
  try {
    migratePg(db);
    const rows = db.query(
      `SELECT table_name AS t, column_name AS c, is_nullable AS n FROM information_schema.columns
       WHERE table_schema = 'public' ORDER BY table_name, column_name`,
    ).rows as { t: string; c: string; n: string }[];
    const out = new Map<string, Column[]>();
    for (const r of rows) {
      if (PG_ONLY.has(r.t) || r.c === 'rowid') continue;
      out.set(r.t, [...(out.get(r.t) ?? []), { name: r.c, notnull: r.n === 'NO' }]);
    }
    return out;
  } finally {
    db.close();
  }
}

describe.skipIf(why !== null)('the PostgreSQL schema is the SQLite schema (issue 14)', () => {
  test('has every SQLite table and column, NOT NULL alike: a new SQLite migration needs its PostgreSQL twin in pg/schema.ts', () => {
    const sqlite = sqliteSchema();
    const pg = pgSchema();
    // SQLite's INTEGER PRIMARY KEY columns may hold NULL by declaration but never do: compare by name first.
    expect([...pg.keys()].sort()).toEqual([...sqlite.keys()].sort());
    for (const [table, columns] of sqlite) {
      expect({
        table,
        columns: pg
          .get(table)
          ?.map((c) => c.name)
          .sort(),
      }).toEqual({ table, columns: columns.map((c) => c.name).sort() });
      const pgCols = new Map(pg.get(table)!.map((c) => [c.name, c.notnull]));
      for (const c of columns)
        expect({ table, column: c.name, notnull: pgCols.get(c.name) }).toEqual({ table, column: c.name, notnull: c.notnull });
    }
  });
});
