import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { newId } from '../../shared/domain/ids';
import type { Db } from './connection';
import { quickCheck } from './fileCheck';

/** Why a backup was made: the daily one, the one before migrating the file to a newer schema, by hand, or before joining a team. */
export type BackupReason = 'daily' | 'migration' | 'manual' | 'join';

export type BackupEntry = { name: string; file: string; at: number; bytes: number; reason: BackupReason };

export const BACKUP_DIR = 'backups';
export const DEFAULT_BACKUPS_KEPT = 5;

// jiedai-20240618T102030123Z-daily.sqlite: sorts by time as text, names no folder, carries its reason.
const NAME = /^jiedai-(\d{8})T(\d{9})Z-(daily|migration|manual|join)\.sqlite$/;

export function backupDir(dataDir: string): string {
  return path.join(dataDir, BACKUP_DIR);
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:.]/g, '').replace(/Z$/, 'Z');
}

function parseName(name: string): { at: number; reason: BackupReason } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [d, t] = [m[1]!, m[2]!];
  const iso = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}.${t.slice(6)}Z`;
  const at = Date.parse(iso);
  return Number.isFinite(at) ? { at, reason: m[3] as BackupReason } : null;
}

/** True when `name` is the name of a backup (and so can be joined to the backup folder safely). */
export function isBackupName(name: string): boolean {
  return parseName(name) !== null;
}

/** The finished backups, newest first. Temporary files of a backup being written are not listed. */
export function listBackups(dataDir: string): BackupEntry[] {
  const dir = backupDir(dataDir);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: BackupEntry[] = [];
  for (const name of names) {
    const parsed = parseName(name);
    if (!parsed) continue;
    const file = path.join(dir, name);
    const bytes = fs.statSync(file, { throwIfNoEntry: false })?.size;
    if (bytes !== undefined) out.push({ name, file, bytes, ...parsed });
  }
  return out.sort((a, b) => b.at - a.at || b.name.localeCompare(a.name));
}

function place(dataDir: string, reason: BackupReason, at: number): { tmp: string; final: string; name: string } {
  const dir = backupDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  let when = at;
  let name = `jiedai-${stamp(when)}-${reason}.sqlite`;
  while (fs.existsSync(path.join(dir, name))) name = `jiedai-${stamp(++when)}-${reason}.sqlite`;
  return { tmp: path.join(dir, `.${name}.${process.pid}.part`), final: path.join(dir, name), name };
}

/** A written backup counts only once it opens and passes the quick check; then it takes its name. */
function seal(tmp: string, final: string, keep: number, dataDir: string, nativeBinding?: string): string {
  try {
    const found = quickCheck(tmp, nativeBinding);
    if (found !== null) throw new Error(`the backup failed its check: ${found}`);
    fs.renameSync(tmp, final);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  pruneBackups(dataDir, keep);
  return final;
}

export type BackupOptions = { reason: BackupReason; keep?: number; now?: number; nativeBinding?: string | undefined };

/**
 * An online backup through SQLite's backup API, copying pages in steps so the core goes on
 * answering while a large shop is copied; other connections may write meanwhile (the copy restarts
 * its pass and still ends consistent).
 */
export async function backupOnline(db: Db, dataDir: string, options: BackupOptions): Promise<BackupEntry> {
  const { tmp, final, name } = place(dataDir, options.reason, options.now ?? Date.now());
  try {
    await db.backup(tmp);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  seal(tmp, final, options.keep ?? DEFAULT_BACKUPS_KEPT, dataDir, options.nativeBinding);
  return entryOf(final, name);
}

/**
 * The same, synchronously, for the moment before a migration (the file is being opened and nothing
 * may run until it is migrated). VACUUM INTO writes one consistent, compact copy from a read
 * transaction.
 */
export function backupNow(db: Db, dataDir: string, options: BackupOptions): BackupEntry {
  const { tmp, final, name } = place(dataDir, options.reason, options.now ?? Date.now());
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  seal(tmp, final, options.keep ?? DEFAULT_BACKUPS_KEPT, dataDir, options.nativeBinding);
  return entryOf(final, name);
}

function entryOf(file: string, name: string): BackupEntry {
  return { name, file, bytes: fs.statSync(file).size, ...parseName(name)! };
}

/** Keeps the newest `keep` backups; older ones, and parts left by a crash, are removed. */
export function pruneBackups(dataDir: string, keep: number): void {
  for (const old of listBackups(dataDir).slice(Math.max(1, keep))) fs.rmSync(old.file, { force: true });
  const dir = backupDir(dataDir);
  for (const name of fs.readdirSync(dir)) {
    const stale = name.endsWith('.part') && !name.endsWith(`.${process.pid}.part`);
    if (stale) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Puts a backup in place of the data file, which must not be open. The backup is checked first; the
 * current file (with its -wal and -shm) is moved to `asideDir` when there is one; the copy is written
 * under a temporary name and renamed, so the data file is never half a backup. The restored file gets
 * a new feed id: desks whose replicas saw the later history rebuild instead of trusting their cursor.
 */
export function restoreBackupFile(
  dataFile: string,
  backup: BackupEntry,
  asideDir: string,
  options: { now?: number; nativeBinding?: string | undefined } = {},
): { setAside: string | null } {
  const found = quickCheck(backup.file, options.nativeBinding);
  if (found !== null) throw new Error(`the backup ${backup.name} failed its check: ${found}`);
  const tmp = `${dataFile}.restoring-${process.pid}`;
  fs.copyFileSync(backup.file, tmp);
  try {
    const db = new Database(tmp, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    try {
      db.prepare("INSERT INTO settings (key, value) VALUES ('feedId', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(
        JSON.stringify(newId()),
      );
    } finally {
      db.close();
    }
    const setAside = fs.existsSync(dataFile) ? setDataFileAside(dataFile, asideDir, 'replaced', options.now ?? Date.now()) : null;
    fs.renameSync(tmp, dataFile);
    return { setAside };
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Moves the data file and its -wal/-shm into `asideDir` as `jiedai-<time>-<why>.sqlite(-wal|-shm)`,
 * keeping what is left of them for whoever wants to rescue rows by hand. Returns the new path of the
 * main file, or null when it was already gone (another process moved it first).
 */
export function setDataFileAside(dataFile: string, asideDir: string, why: 'damaged' | 'replaced', at: number): string | null {
  fs.mkdirSync(asideDir, { recursive: true });
  let base = `jiedai-${stamp(at)}-${why}.sqlite`;
  for (let n = 2; fs.existsSync(path.join(asideDir, base)); n++) base = `jiedai-${stamp(at)}-${why}-${n}.sqlite`;
  const target = path.join(asideDir, base);
  try {
    fs.renameSync(dataFile, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  for (const suffix of ['-wal', '-shm']) {
    try {
      fs.renameSync(dataFile + suffix, target + suffix);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return target;
}
