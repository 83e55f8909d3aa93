import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { isPostgresUrl } from './url';

/**
 * Which store a hub's data folder uses (issue 14). A folder set up with `--database postgres://…`
 * remembers it in HUB_DATABASE_FILE (mode 0600: the URL may carry a password), so every later
 * `jiedai hub …` on the folder (the server, `hub accounts`, `hub init`) opens the same database
 * without the flag; a folder without the file keeps its SQLite file (the default).
 */
export const HUB_DATABASE_FILE = 'hub-database.json';

export function readHubDatabase(dataDir: string): string | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(path.join(dataDir, HUB_DATABASE_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(raw) as { database?: unknown };
  if (!isPostgresUrl(typeof parsed.database === 'string' ? parsed.database : undefined))
    throw new AppError('invalid_argument', `${HUB_DATABASE_FILE} in ${dataDir} names no postgres:// database`);
  return parsed.database as string;
}

export function writeHubDatabase(dataDir: string, database: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, HUB_DATABASE_FILE);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify({ database })}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * The database a hub on this folder opens: the one given (remembered for next time), else the one the
 * folder remembers; undefined for SQLite. A folder that names another database than the one given is
 * refused: one folder, one shop.
 */
export function hubDatabase(dataDir: string, given: string | undefined): string | undefined {
  const remembered = readHubDatabase(dataDir);
  if (given === undefined) return remembered;
  if (!isPostgresUrl(given)) throw new AppError('invalid_argument', '--database takes a postgres:// URL');
  if (remembered !== undefined && remembered !== given)
    throw new AppError('conflict', `${dataDir} already belongs to another database (see ${HUB_DATABASE_FILE})`);
  if (remembered === undefined) writeHubDatabase(dataDir, given);
  return given;
}
