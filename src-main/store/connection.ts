import Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import { migrate, SCHEMA_VERSION } from './migrations';
import { applyPgBulkSettings, onPostgres } from './pg/bulkInsert';

/** The connection type, named here so declarations can refer to it. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Db extends Database.Database {}

export type OpenOptions = {
  /** Path of an addon built for this runtime's ABI (the Electron copy); default: the package's own build. */
  nativeBinding?: string | undefined;
  readonly?: boolean;
  /** 'delete' while a new file is built under a temporary name (see dataFile.ts); default WAL. */
  journal?: 'wal' | 'delete';
  /** Called once, before migrations run on a file at an older schema (the core backs the file up here). */
  beforeMigrate?: (db: Db, from: number, to: number) => void;
};

/**
 * Opens the shop's SQLite file with the settings every connection needs and brings its schema up to
 * date. WAL lets readers go on while the core writes; synchronous=FULL means a message the agent saw as
 * saved survives a power cut.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    ...(options.readonly ? { readonly: true } : {}),
  });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma(options.journal === 'delete' ? 'journal_mode = DELETE' : 'journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  if (!options.readonly) {
    const from = db.pragma('user_version', { simple: true }) as number;
    // A file with tables but schema 0 is not ours; a new one (no tables) has nothing to back up.
    const hasTables = (db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() as number) > 0;
    if (options.beforeMigrate && hasTables && from < SCHEMA_VERSION) options.beforeMigrate(db, from, SCHEMA_VERSION);
    migrate(db);
  }
  return db;
}

/** Page cache of a bulk write, in KiB: a batch's dirty pages and the indexes' hot pages stay in memory. */
const BULK_CACHE_KIB = 65_536;
/** WAL pages before an automatic checkpoint during a bulk write (about 64 MiB instead of 4). */
const BULK_WAL_PAGES = 16_384;

/**
 * In-memory index data (bytes) each search index gathers during a bulk write before writing a
 * segment (FTS5's `hashsize`, 1 MiB by default): a batch of 50,000 messages makes one segment per
 * index instead of dozens, so FTS5 merges far less. Measured on a quiet machine: 1M seeded messages
 * 1.3 s faster of ~23 s (docs/architecture.md, Bench). Put back at the end.
 */
const BULK_FTS_HASH_BYTES = 64 * 1024 * 1024;
/** FTS5's own default `hashsize`, what a table without the setting uses. */
export const FTS_DEFAULT_HASH_BYTES = 1024 * 1024;
/** The search indexes a bulk write fills (migrations 0002 and 0006). */
const FTS_TABLES = ['messages_fts', 'messages_uni'] as const;

/**
 * Runs a long bulk write (demo history, a first import) with settings for it on this connection
 * only, then puts them back: a larger page cache, so a batch of tens of thousands of rows does not
 * spill to the WAL before its commit; rarer checkpoints, so the index pages every batch touches
 * are copied into the database once per 64 MiB of WAL rather than after every commit; and
 * `synchronous = NORMAL`, so a batch's commit does not wait for the disk (the WAL is still synced
 * at every checkpoint, and a power cut can only lose the last batches, never damage the file: a
 * seed is re-run, a live message never goes through here); and a larger in-memory buffer for the
 * search indexes (FTS5's `hashsize`), so a batch writes one index segment rather than one per MiB.
 * The WAL is checkpointed and truncated at the end. On PostgreSQL the like of these for its session
 * (`applyPgBulkSettings`: commits not waiting for the WAL's flush, the GIN indexes' pending lists).
 */
export function withBulkSettings<T>(db: Db, fn: () => T): T {
  const restore = applyBulkSettings(db);
  try {
    return fn();
  } finally {
    restore();
    // A reader still on an old snapshot only makes this return "busy": the next commits checkpoint then.
    if (!db.inTransaction) db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

/** The settings of `withBulkSettings` (also for a benchmark's baseline); returns what puts them back. */
export function applyBulkSettings(db: Db): () => void {
  if (onPostgres(db)) return applyPgBulkSettings(db);
  const cache = db.pragma('cache_size', { simple: true }) as number;
  const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  const synchronous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma(`cache_size = ${-BULK_CACHE_KIB}`);
  db.pragma(`wal_autocheckpoint = ${BULK_WAL_PAGES}`);
  // 1 = NORMAL; never raise a connection that runs with less (a test's OFF).
  if (synchronous > 1) db.pragma('synchronous = NORMAL');
  // Only the indexes this file has (a store at an older schema in the migrations' tests has fewer).
  const fts = FTS_TABLES.filter((t) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t));
  const hashSizes = fts.map((t) => ftsHashSize(db, t));
  for (const t of fts) setFtsHashSize(db, t, BULK_FTS_HASH_BYTES);
  return () => {
    fts.forEach((t, i) => setFtsHashSize(db, t, hashSizes[i] ?? FTS_DEFAULT_HASH_BYTES));
    db.pragma(`cache_size = ${Math.trunc(cache)}`);
    db.pragma(`wal_autocheckpoint = ${Math.trunc(autocheckpoint)}`);
    db.pragma(`synchronous = ${Math.trunc(synchronous)}`);
  };
}

/** An FTS5 table's `hashsize` (bytes of index data kept in memory before a segment is written). */
export function ftsHashSize(db: Db, table: string): number {
  const v = db.prepare(`SELECT v FROM "${table}_config" WHERE k = 'hashsize'`).pluck().get();
  return typeof v === 'number' ? v : FTS_DEFAULT_HASH_BYTES;
}

/**
 * Sets an FTS5 table's `hashsize` (stored in its `_config` table; literal, as FTS5 takes it). Data
 * still pending in memory is written at the end of the transaction whatever the setting.
 */
function setFtsHashSize(db: Db, table: string, bytes: number): void {
  db.exec(`INSERT INTO "${table}"("${table}", rank) VALUES ('hashsize', ${Math.trunc(bytes)})`);
}

/**
 * Whether a store error says "not now" rather than "never": the file is locked by another connection,
 * or the disk is full or failing. A mutation that meets one is retried later, not refused.
 */
export function isTransientStoreError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL)/.test(code);
}

/** Whether a write broke a UNIQUE constraint (a name or code another row already has). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs a write whose uniqueness the service checked first; a row that raced in between (or a check
 * that missed) comes back as the typed `conflict` the caller can show, never as `internal`.
 */
export function uniqueOrConflict<T>(write: () => T, message: string): T {
  try {
    return write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', message);
    throw error;
  }
}
