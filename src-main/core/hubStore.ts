import { AppError } from '../../shared/contract/errors';
import { HubDatabaseLink, hubDatabase, isPostgresUrl, readHubDatabase } from '../store/pg';

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
