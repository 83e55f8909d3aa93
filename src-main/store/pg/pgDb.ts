import type { Db } from '../connection';
import { isSqliteOnly, shapeOf, translate } from './dialect';
import { PgError, SyncPg, type StartPgWorker } from './syncPg';

/**
 * A better-sqlite3-shaped connection over PostgreSQL (the hub's store, issue 14): `prepare` and its
 * `get/all/run/iterate/pluck/raw`, `exec`, `transaction` (with `.deferred()/.immediate()`, nested
 * ones as savepoints), `inTransaction`, the few pragmas the store reads. Each statement is rewritten
 * for PostgreSQL by dialect.ts and run through the synchronous bridge (syncPg.ts), so the store's
 * modules and the services above them run unchanged. SQLite's connection never comes here.
 *
 * Writers: a write transaction first takes one advisory lock of the database (WRITE_LOCK), as
 * SQLite's BEGIN IMMEDIATE takes the file's write lock, so the services' read-then-write steps keep
 * the meaning they have on SQLite across hub processes; a read group (`store.read`) is one
 * REPEATABLE READ snapshot. The change feed's seq comes from its head row (see dialect.ts, schema.ts).
 */

/** The advisory lock every write transaction holds until it ends (two keys: the app, the store's writes). */
const WRITE_LOCK = [0x4a1e, 1] as const;

/** PostgreSQL's SQLSTATE → the SQLite code the store's callers test for (isUniqueViolation, faults, transient). */
function sqliteCode(pgCode: string | undefined): string {
  switch (pgCode) {
    case '23505':
      return 'SQLITE_CONSTRAINT_UNIQUE';
    case '23503':
      return 'SQLITE_CONSTRAINT_FOREIGNKEY';
    case '23514':
      return 'SQLITE_CONSTRAINT_CHECK';
    case '23502':
      return 'SQLITE_CONSTRAINT_NOTNULL';
    case 'P0001':
      return 'SQLITE_CONSTRAINT_TRIGGER';
    case '40001':
    case '40P01':
    case '55P03':
    case '57014':
      return 'SQLITE_BUSY';
    case '53100':
      return 'SQLITE_FULL';
    case '25006':
      return 'SQLITE_READONLY';
    case '42501':
      return 'SQLITE_PERM';
    default:
      if (pgCode?.startsWith('08') || pgCode === '57P01' || pgCode === '57P02' || pgCode === '57P03') return 'SQLITE_CANTOPEN';
      return 'SQLITE_ERROR';
  }
}

/** The error as the store's callers expect it: a `code` like better-sqlite3's, the server's in `pgCode`. */
function asStoreError(error: unknown, sql: string): Error {
  if (!(error instanceof PgError)) return error as Error;
  const e = new Error(error.message) as Error & { code: string; pgCode?: string; sql?: string };
  e.code = sqliteCode(error.pgCode);
  if (error.pgCode) e.pgCode = error.pgCode;
  e.sql = sql.slice(0, 300);
  if (process.env.JIEDAI_PG_DEBUG) process.stderr.write(`[pg] ${error.pgCode} ${error.message}\n  ${sql}\n`);
  return e;
}

type Args = { positional: unknown[]; named: Record<string, unknown> | null };

function bindArgs(args: unknown[]): Args {
  const positional: unknown[] = [];
  let named: Record<string, unknown> | null = null;
  for (const a of args) {
    if (Array.isArray(a)) positional.push(...a);
    else if (a !== null && typeof a === 'object' && !(a instanceof Uint8Array))
      named = { ...(named ?? {}), ...(a as Record<string, unknown>) };
    else positional.push(a);
  }
  return { positional, named };
}

function valueOf(args: Args, key: number | string): unknown {
  if (typeof key === 'number') return args.positional[key];
  if (!args.named || !(key in args.named)) throw new RangeError(`Missing named parameter "${key}"`);
  return args.named[key];
}

/** A value as SQLite would store it: booleans are integers. */
function param(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

const SELECT_LIST = /^\s*(?:WITH\b[\s\S]*?\)\s*)?SELECT\s+([\s\S]*?)\bFROM\b/i;

class PgStatement {
  private pluckMode = false;
  private rawMode = false;
  private readonly byShape = new Map<string, { text: string; order: (number | string)[] }>();
  private readonly stripRowid: boolean;
  readonly reader: boolean;
  private readonly noop: boolean;
  private readonly pragma: boolean;

  constructor(
    private readonly db: PgDb,
    readonly source: string,
  ) {
    const head = source.trimStart().slice(0, 12).toUpperCase();
    this.reader = head.startsWith('SELECT') || head.startsWith('WITH') || /\bRETURNING\b/i.test(source) || head.startsWith('PRAGMA');
    // `SELECT *` has no rowid in SQLite: the PostgreSQL tables' explicit rowid column is dropped unless asked for.
    this.stripRowid = !/\browid\b/i.test(SELECT_LIST.exec(source)?.[1] ?? '');
    this.noop = isSqliteOnly(source);
    this.pragma = head.startsWith('PRAGMA');
  }

  pluck(toggle = true): this {
    this.pluckMode = toggle;
    if (toggle) this.rawMode = false;
    return this;
  }

  raw(toggle = true): this {
    this.rawMode = toggle;
    if (toggle) this.pluckMode = false;
    return this;
  }

  expand(): this {
    throw new Error('expand() is not supported on PostgreSQL');
  }

  private exec(args: unknown[]) {
    if (this.noop) return { rows: [] as unknown[], rowCount: 0, fields: [] as string[] };
    if (this.pragma) {
      const value = this.db.pragma(this.source.trim().replace(/^PRAGMA\s+/i, ''), { simple: true });
      return { rows: this.pluckMode || this.rawMode ? [[value]] : [{ value }], rowCount: 0, fields: ['value'] };
    }
    const bound = bindArgs(args);
    const sample = (key: number | string) => valueOf(bound, key);
    const keys = bound.named ? Object.keys(bound.named).sort() : [];
    const shape = `${shapeOf(bound.positional)}|${keys.map((k) => `${k}:${shapeOf([bound.named![k]])}`).join(',')}`;
    let t = this.byShape.get(shape);
    if (!t) {
      t = translate(this.source, sample);
      this.byShape.set(shape, t);
    }
    const values = t.order.map((k) => param(sample(k)));
    return this.db.query(t.text, values, this.pluckMode || this.rawMode ? 'array' : undefined);
  }

  private shape(rows: unknown[], fields: string[]): unknown[] {
    if (this.pluckMode) return rows.map((r) => (r as unknown[])[0]);
    if (this.rawMode) return rows;
    if (this.stripRowid && fields.includes('rowid')) for (const r of rows) delete (r as Record<string, unknown>).rowid;
    return rows;
  }

  get(...args: unknown[]): unknown {
    const { rows, fields } = this.exec(args);
    return rows.length === 0 ? undefined : this.shape([rows[0]], fields)[0];
  }

  all(...args: unknown[]): unknown[] {
    const { rows, fields } = this.exec(args);
    return this.shape(rows, fields);
  }

  *iterate(...args: unknown[]): IterableIterator<unknown> {
    yield* this.all(...args);
  }

  run(...args: unknown[]): { changes: number; lastInsertRowid: number } {
    const { rows, rowCount } = this.exec(args);
    const first = rows[0] as Record<string, unknown> | unknown[] | undefined;
    const id = Array.isArray(first) ? first[0] : first?.rowid;
    return { changes: rowCount, lastInsertRowid: typeof id === 'number' ? id : 0 };
  }

  bind(): this {
    throw new Error('bind() is not supported on PostgreSQL');
  }
}

export type PgDbOptions = { url: string; start: StartPgWorker };

export class PgDb {
  readonly dialect = 'postgres' as const;
  readonly name: string;
  readonly memory = false;
  readonly readonly = false;
  private readonly conn: SyncPg;
  private depth = 0;
  private savepoints = 0;

  constructor(options: PgDbOptions) {
    this.conn = new SyncPg(options.url, options.start);
    this.name = options.url.replace(/\/\/[^@/]*@/, '//');
  }

  get open(): boolean {
    return this.conn.open;
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  query(text: string, values: unknown[] = [], rowMode?: 'array') {
    if (process.env.JIEDAI_PG_TRACE)
      process.stderr.write(`[pgq] ${text.replace(/\s+/g, ' ').slice(0, 200)} ${JSON.stringify(values).slice(0, 200)}\n`);
    try {
      return this.conn.query(text, values, rowMode);
    } catch (error) {
      throw asStoreError(error, text);
    }
  }

  prepare(sql: string): PgStatement {
    return new PgStatement(this, sql);
  }

  /** Statements without parameters, several at once (PostgreSQL's simple protocol). */
  exec(sql: string): this {
    if (isSqliteOnly(sql)) return this;
    const trimmed = sql.trim().replace(/;$/, '').toUpperCase();
    if (trimmed === 'BEGIN' || trimmed === 'BEGIN DEFERRED') {
      this.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      this.depth++;
      return this;
    }
    if (trimmed === 'COMMIT' || trimmed === 'ROLLBACK') {
      this.query(trimmed);
      this.depth = Math.max(0, this.depth - 1);
      return this;
    }
    this.query(translate(sql, () => undefined).text);
    return this;
  }

  /** The pragmas the store reads: `user_version` (the PostgreSQL schema's), `data_version` (the feed head); others are SQLite's own. */
  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const name = source
      .trim()
      .split(/[\s=(]/)[0]!
      .toLowerCase();
    let value: unknown;
    if (name === 'data_version') value = this.query('SELECT seq FROM feed_head WHERE id = 1', [], 'array').rows[0];
    else if (name === 'user_version') value = this.query('SELECT coalesce(max(version), 0) FROM schema_migrations', [], 'array').rows[0];
    else return options.simple ? undefined : [];
    const v = (value as unknown[] | undefined)?.[0];
    return options.simple ? v : [{ [name]: v }];
  }

  function(): this {
    // SQLite's user functions serve SQLite-only statements (the search index): nothing to register.
    return this;
  }

  transaction<F extends (...args: never[]) => unknown>(fn: F) {
    const run =
      (mode: 'write' | 'read') =>
      (...args: Parameters<F>): ReturnType<F> =>
        this.inTx(mode, () => fn(...args) as ReturnType<F>);
    const call = run('write') as ((...args: Parameters<F>) => ReturnType<F>) &
      Record<'deferred' | 'immediate' | 'exclusive', (...args: Parameters<F>) => ReturnType<F>>;
    call.deferred = run('read');
    call.immediate = run('write');
    call.exclusive = run('write');
    return call;
  }

  private inTx<T>(mode: 'write' | 'read', fn: () => T): T {
    if (this.depth > 0) {
      const name = `sp${++this.savepoints}`;
      this.query(`SAVEPOINT ${name}`);
      this.depth++;
      try {
        const result = fn();
        this.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        try {
          this.query(`ROLLBACK TO SAVEPOINT ${name}`);
          this.query(`RELEASE SAVEPOINT ${name}`);
        } catch {
          // the outer transaction is gone: its own rollback follows
        }
        throw error;
      } finally {
        this.depth--;
      }
    }
    this.query(mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ' : 'BEGIN');
    this.depth = 1;
    try {
      if (mode === 'write') this.query('SELECT pg_advisory_xact_lock($1, $2)', [...WRITE_LOCK]);
      const result = fn();
      this.query('COMMIT');
      return result;
    } catch (error) {
      try {
        if (this.conn.open) this.query('ROLLBACK');
      } catch {
        // a broken connection has no transaction left to end
      }
      throw error;
    } finally {
      this.depth = 0;
    }
  }

  backup(): Promise<never> {
    return Promise.reject(new Error('a PostgreSQL store is backed up with pg_dump'));
  }

  close(): this {
    this.conn.close();
    return this;
  }
}

/** Whether a store's connection is PostgreSQL's (the hub's), not better-sqlite3's. */
export function isPg(db: Db | PgDb): db is PgDb {
  return (db as { dialect?: unknown }).dialect === 'postgres';
}

/** The adapter where the store's modules take a `Db`: they call only what PgDb has. */
export function asDb(db: PgDb): Db {
  return db as unknown as Db;
}
