import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type OpenOptions } from './connection';
import { createStore, type Store } from './index';

/**
 * Creates the data file whole or not at all: the new database is built (migrated, and filled by
 * `fill`, e.g. the demo shop) under a temporary name, closed, then linked into place, which fails if
 * the name exists. So the data file is never seen at 0 bytes or half-seeded, and of two processes
 * started together on an empty folder one's file wins and the other opens it (returns false).
 */
export function createDataFile(file: string, options: Pick<OpenOptions, 'nativeBinding'>, fill?: (store: Store) => void): boolean {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.new-${process.pid}-${Date.now()}`);
  try {
    // A rollback journal while building: one file to link, no -wal to carry along.
    const store = createStore(openDatabase(tmp, { ...options, journal: 'delete' }));
    try {
      fill?.(store);
    } finally {
      store.close();
    }
    try {
      fs.linkSync(tmp, file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(`${tmp}-journal`, { force: true });
  }
}

/**
 * Whether another connection (a running desk, a CLI import) has the file open. Leaving WAL mode
 * needs the only connection; with busy_timeout 0 SQLite answers at once instead of waiting.
 */
export function isDataFileInUse(file: string, nativeBinding?: string): boolean {
  if (!fs.existsSync(file)) return false;
  const db = new Database(file, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    db.pragma('busy_timeout = 0');
    const mode = db.pragma('journal_mode = DELETE', { simple: true });
    return mode !== 'delete';
  } catch (error) {
    if (/^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code))) return true;
    throw error;
  } finally {
    db.close();
  }
}

/** Checks that the data folder can be written, so a read-only or foreign folder is named before SQLite gives a vaguer error. */
export function probeWritable(dir: string): void {
  const probe = path.join(dir, `.jiedai-write-check-${process.pid}`);
  fs.writeFileSync(probe, '');
  fs.rmSync(probe, { force: true });
}
