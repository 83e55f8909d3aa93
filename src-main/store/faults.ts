import type { ErrorCode } from '../../shared/contract/errors';

/**
 * What can go wrong with the data folder itself, named so every face (CLI, host, Electron, the
 * desk) can say it in a sentence instead of passing a raw SQLite or errno error along.
 */
export type StoreFaultKind =
  /** The data file is not a readable SQLite database (0 bytes, foreign bytes, failed quick_check). */
  | 'damaged'
  /** The disk (or the file's allowed size) is full. */
  | 'full'
  /** The folder or the file cannot be written: a read-only mount or a read-only file. */
  | 'read_only'
  /** The operating system refuses access (permissions). */
  | 'permission'
  /** The data folder path names something that is not a folder. */
  | 'not_a_folder';

/** For a damaged file: why it was judged damaged, and where it was moved (null while still in place). */
export type Damage = { reason: 'empty' | 'not_sqlite' | 'corrupt'; detail: string; keptAs: string | null; at: number };

/** A store fault with the path it concerns; thrown by openShop, turned into a sentence at the edges. */
export class StoreFaultError extends Error {
  readonly kind: StoreFaultKind;
  readonly path: string;
  readonly damage: Damage | null;
  constructor(kind: StoreFaultKind, path: string, cause?: unknown, damage: Damage | null = null) {
    super(
      `${kind}: ${path}${cause instanceof Error ? ` (${cause.message})` : damage ? ` (${damage.detail.split('\n')[0]})` : ''}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'StoreFaultError';
    this.kind = kind;
    this.path = path;
    this.damage = damage;
  }
}

const BY_CODE: Record<string, StoreFaultKind> = {
  SQLITE_CORRUPT: 'damaged',
  SQLITE_NOTADB: 'damaged',
  SQLITE_FULL: 'full',
  ENOSPC: 'full',
  EDQUOT: 'full',
  SQLITE_READONLY: 'read_only',
  EROFS: 'read_only',
  EACCES: 'permission',
  EPERM: 'permission',
  SQLITE_PERM: 'permission',
  SQLITE_AUTH: 'permission',
  ENOTDIR: 'not_a_folder',
  EEXIST: 'not_a_folder',
};

/**
 * Which fault an error from better-sqlite3 or node:fs is, if any. SQLite's extended codes
 * (SQLITE_READONLY_DBMOVED, SQLITE_CORRUPT_INDEX, SQLITE_IOERR_WRITE…) count as their base code; an
 * I/O error with ENOSPC in its message (what a full disk looks like from inside SQLite on some
 * systems) counts as full.
 */
export function classifyStoreError(error: unknown): StoreFaultKind | null {
  if (error instanceof StoreFaultError) return error.kind;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (BY_CODE[code]) return BY_CODE[code];
  const base = /^(SQLITE_[A-Z]+?)_[A-Z_]+$/.exec(code)?.[1];
  if (base && BY_CODE[base]) return BY_CODE[base];
  if (code.startsWith('SQLITE_IOERR') && /ENOSPC|No space left/i.test(String((error as Error).message))) return 'full';
  return null;
}

/** The contract error a store fault becomes when a call meets it (the desk words it from its dictionary). */
export function faultContractError(kind: StoreFaultKind): [ErrorCode, string] {
  switch (kind) {
    case 'damaged':
      return ['store_damaged', 'the data file is damaged'];
    case 'full':
      return ['storage_full', 'the disk holding the data folder is full'];
    case 'read_only':
    case 'permission':
    case 'not_a_folder':
      return ['storage_read_only', 'the data folder cannot be written'];
  }
}
