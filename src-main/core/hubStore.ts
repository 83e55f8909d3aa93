import { AppError } from '../../shared/contract/errors';
import fs from 'node:fs';
import path from 'node:path';
import { copySqliteToPg, CopyRefused, HubDatabaseLink, hubDatabase, isPostgresUrl, readHubDatabase, writeHubDatabase } from '../store/pg';
import type { CopyProgress, CopyReport } from '../store/pg';

/**
 * `jiedai hub … --database postgres://…` (issue 14): checks the URL and has the hub's folder remember
 * it, so every core opened on the folder afterwards (the server's, `hub accounts`) uses PostgreSQL.
 * Refused when the folder already belongs to another database.
 */
export function chooseHubDatabase(dataDir: string, database: string): void {
  if (!isPostgresUrl(database)) throw new AppError('invalid_argument', '--database takes a postgres://user@host:port/name URL');
  hubDatabase(dataDir, database);
}

/** Where a hub folder's shop is kept, for the hub's terminal: "PostgreSQL host/name" or "SQLite". */
export function hubStoreLabel(dataDir: string): string {
  const url = readHubDatabase(dataDir);
  if (!url) return 'SQLite';
  const u = new URL(url);
  return `PostgreSQL ${u.host}${u.pathname}`;
}

/**
 * A hub on PostgreSQL: its main thread's own few connections to the database (store/pg/sharedLimits.ts),
 * for the rate limits every hub process on the database shares and for /api/health. Null on SQLite
 * (one process: its limits stay in memory).
 */
export function openHubDatabaseLink(dataDir: string): HubDatabaseLink | null {
  const url = readHubDatabase(dataDir);
  return url ? new HubDatabaseLink(url) : null;
}

export type { HubDatabaseLink, RateLimitStoreClass } from '../store/pg';

/**
 * `jiedai hub migrate --from sqlite` (issue 14): copies the folder's SQLite hub into an empty PostgreSQL
 * database (store/pg/fromSqlite.ts: one transaction, counts compared), then has the folder remember the
 * database, so the next `jiedai hub` on it serves from PostgreSQL. The SQLite file is left as it was
 * (a way back: remove hub-database.json). Refused: a folder already on PostgreSQL, no SQLite hub in
 * it, a database that is not empty, a SQLite file at another schema.
 */
export async function migrateHubToPg(dataDir: string, database: string, onProgress?: (p: CopyProgress) => void): Promise<CopyReport> {
  if (!isPostgresUrl(database)) throw new AppError('invalid_argument', '--database takes a postgres://user@host:port/name URL');
  if (readHubDatabase(dataDir) !== undefined) throw new AppError('conflict', `${dataDir} is on PostgreSQL already`);
  const file = path.join(dataDir, 'jiedai.sqlite');
  if (!fs.existsSync(file)) throw new AppError('not_found', `no SQLite hub in ${dataDir} (no jiedai.sqlite)`);
  try {
    const report = await copySqliteToPg({ sqliteFile: file, url: database, onProgress });
    writeHubDatabase(dataDir, database);
    return report;
  } catch (error) {
    if (error instanceof CopyRefused) throw new AppError('conflict', error.message);
    throw error;
  }
}
