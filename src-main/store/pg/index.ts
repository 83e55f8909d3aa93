import { createStore, type LogReader, type Store } from '../index';
import { logExportQueries } from '../logExport';
import { asDb, PgDb } from './pgDb';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './schema';
import type { StartPgWorker } from './syncPg';

export { isPg, PgDb } from './pgDb';
export { PG_SCHEMA_VERSION } from './schema';

export { isPostgresUrl } from './url';
export { hubDatabase, readHubDatabase, writeHubDatabase, HUB_DATABASE_FILE } from './hubDatabase';

/**
 * Brings the database to this build's schema: each PostgreSQL migration once, in a transaction that
 * holds the store's write lock (so hub processes starting together do not apply one twice). A database
 * from a newer build is refused, as a newer SQLite file is.
 */
export function migratePg(db: PgDb, now = Date.now()): number {
  db.transaction(() => {
    db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
  })();
  for (const migration of PG_MIGRATIONS) {
    db.transaction(() => {
      const done = db.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]).rows.length > 0;
      if (done) return;
      db.query(migration.sql);
      db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, now]);
    })();
  }
  const version = db.query('SELECT coalesce(max(version), 0) AS v FROM schema_migrations').rows[0] as { v: number };
  if (version.v > PG_SCHEMA_VERSION)
    throw Object.assign(new Error(`the database's schema (${version.v}) is newer than this build's (${PG_SCHEMA_VERSION})`), {
      code: 'SQLITE_ERROR',
    });
  return version.v;
}

/** The shop's store on PostgreSQL: the same `Store` as SQLite's, its connection a PgDb (migrated on open). */
export function openPgStore(url: string, start: StartPgWorker): Store {
  const db = new PgDb({ url, start });
  try {
    migratePg(db);
    return createStore(asDb(db));
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The log export's own connection (its thread), on PostgreSQL: the same queries as on SQLite's read-only file. */
export function openPgLogReader(url: string, start: StartPgWorker): LogReader {
  const db = new PgDb({ url, start });
  return {
    queries: logExportQueries(asDb(db)),
    close(): void {
      if (db.open) db.close();
    },
  };
}

export { PgNotifier, FEED_CHANNEL, LEADER_LOCK } from './notifier';
export { HubDatabaseLink, type RateLimitStoreClass } from './sharedLimits';
export { copySqliteToPg, CopyMismatch, CopyRefused, type CopyProgress, type CopyReport } from './fromSqlite';
export { sharedPresence, type SharedPresence, SHARED_PRESENCE_TTL_MS } from './sharedPresence';
