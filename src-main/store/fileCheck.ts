import fs from 'node:fs';
import Database from 'better-sqlite3';
import { classifyStoreError } from './faults';

export type DamageReason =
  /** 0 bytes: nothing of the shop is left in it (and it is never taken for a first start). */
  | 'empty'
  /** Not a SQLite file at all (its first bytes are something else). */
  | 'not_sqlite'
  /** A SQLite file whose pages fail `PRAGMA quick_check`, or that SQLite reports corrupt. */
  | 'corrupt';

export type FileState = { state: 'missing' } | { state: 'ok' } | { state: 'damaged'; reason: DamageReason; detail: string };

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(HEADER.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Runs SQLite's quick check (page and b-tree structure, without comparing indexes to their tables
 * row by row: seconds rather than minutes on a large shop). Null when clean, else what it found.
 */
export function quickCheck(file: string, nativeBinding?: string): string | null {
  const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db.pragma('quick_check(20)', { simple: false }) as { quick_check: string }[];
    const found = rows.map((r) => r.quick_check);
    return found.length === 1 && found[0] === 'ok' ? null : found.join('\n').slice(0, 2000);
  } catch (error) {
    // Damage bad enough that the check itself cannot read the file is a finding too.
    if (classifyStoreError(error) === 'damaged') return (error as Error).message;
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Written beside the data file when the store closed cleanly (its last connection gone, the
 * write-ahead log folded in): the file's size and modified time as it was left. A start that finds
 * the file exactly so, with no log beside it, skips the quick check (seconds on a big shop: ~8 s at
 * 1M messages), since nothing has written the file since a clean close; the mark is removed before
 * the file is opened for writing, so a crash afterwards leaves none and the next start checks.
 */
export const CLEAN_CLOSE_MARK = 'clean-close.json';

/** The data file's size and modified time (whole milliseconds) at a clean close. */
type CleanClose = { size: number; mtimeMs: number };

/** The file's size and modified time in whole milliseconds (from the nanoseconds: no float rounding). */
function stamp(file: string): CleanClose {
  const { size, mtimeNs } = fs.statSync(file, { bigint: true });
  return { size: Number(size), mtimeMs: Number(mtimeNs / 1_000_000n) };
}

/** The mark's own modified time in whole milliseconds. */
function markTime(mark: string): number {
  return Number(fs.statSync(mark, { bigint: true }).mtimeNs / 1_000_000n);
}

/**
 * Notes that the data file was closed cleanly (after its store closed). Never throws: the mark only saves time.
 * The kernel's file times move in ticks (a few milliseconds), so a write in the same tick as the close
 * would leave the data file's time as recorded: the mark is only written once its own time is later
 * than the file's (a wait of a tick at most), and a start trusts it only so. Any write after the mark
 * then gives the file a later time than the one recorded.
 */
export function markCleanClose(file: string, mark: string): void {
  try {
    if ((fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) return; // another connection still has it open
    const left = stamp(file);
    const wait = new Int32Array(new SharedArrayBuffer(4));
    for (let tries = 0; tries < 50; tries++) {
      fs.writeFileSync(`${mark}.tmp`, JSON.stringify(left satisfies CleanClose));
      if (markTime(`${mark}.tmp`) > left.mtimeMs) {
        fs.renameSync(`${mark}.tmp`, mark);
        return;
      }
      Atomics.wait(wait, 0, 0, 1); // the next tick
    }
    fs.rmSync(`${mark}.tmp`, { force: true });
  } catch {
    // no mark: the next start runs the quick check
  }
}

/** Whether the data file is exactly as its clean close left it (and takes the mark away, before any write). */
export function takeCleanClose(file: string, mark: string): boolean {
  let left: CleanClose;
  let markedAt: number;
  try {
    left = JSON.parse(fs.readFileSync(mark, 'utf8')) as CleanClose;
    markedAt = markTime(mark);
  } catch {
    return false;
  }
  fs.rmSync(mark, { force: true });
  try {
    const now = stamp(file);
    const wal = fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    const later = markedAt > left.mtimeMs; // else a write in the close's own tick could hide under its time
    return later && wal === 0 && now.size > 0 && now.size === left.size && now.mtimeMs === left.mtimeMs;
  } catch {
    return false;
  }
}

/**
 * What the data file is before anything opens it for writing: missing (a first start), sound, or
 * damaged and why. A write-ahead log beside a 0-byte file may still hold the whole database (SQLite
 * writes pages there first), so that case goes on to the quick check rather than being called empty.
 * Errors that are not damage (permission, a read-only folder) are thrown as they are.
 */
export function inspectDataFile(file: string, nativeBinding?: string, options: { closedCleanly?: boolean } = {}): FileState {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  const walSize = fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  if (size === 0 && walSize === 0) return { state: 'damaged', reason: 'empty', detail: 'the file is 0 bytes' };
  if (size > 0 && !readHead(file).equals(HEADER))
    return { state: 'damaged', reason: 'not_sqlite', detail: 'the file does not start with a SQLite header' };
  if (options.closedCleanly) return { state: 'ok' };
  try {
    const found = quickCheck(file, nativeBinding);
    return found === null ? { state: 'ok' } : { state: 'damaged', reason: 'corrupt', detail: found };
  } catch (error) {
    if (classifyStoreError(error) !== 'damaged') throw error;
    const code = (error as { code?: string }).code ?? '';
    return { state: 'damaged', reason: code.startsWith('SQLITE_NOTADB') ? 'not_sqlite' : 'corrupt', detail: (error as Error).message };
  }
}
