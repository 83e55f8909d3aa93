import { z } from 'zod';
import { define } from './define';

/**
 * The store under faults (issue 10): when the data file is found damaged at start, the core does not
 * serve the desk; it answers these methods (and `store_damaged` to every other one) until the user
 * restores a backup or starts empty. On a sound store `recovery.status` answers `ready`.
 */

export type BackupInfo = {
  /** File name inside the data folder's backups/ (what restoreBackup takes). */
  name: string;
  /** When it was taken (ms). */
  at: number;
  bytes: number;
  reason: 'daily' | 'migration' | 'manual' | 'join';
};

export type RecoveryStatus =
  | { state: 'ready' }
  | {
      state: 'damaged';
      /** 0 bytes, not a SQLite file, or pages that fail SQLite's quick check. */
      reason: 'empty' | 'not_sqlite' | 'corrupt';
      /** Where the damaged file was moved (kept for rescue by hand); null if another process moved it. */
      keptAs: string | null;
      /** When it was found. */
      at: number;
      /** Newest first. */
      backups: BackupInfo[];
    };

const backupName = z
  .string()
  .max(80)
  .regex(/^jiedai-\d{8}T\d{9}Z-(daily|migration|manual|join)\.sqlite$/, 'not the name of a backup');

export const recoveryMethods = {
  /** Whether the store is serving, or damaged and waiting for the user's choice (with the backups to choose from). */
  'recovery.status': define<RecoveryStatus>()(z.object({}).strict()),
  /** Restores the named backup (or the newest when no name is given) in place of the damaged file, then serves the desk. */
  'recovery.restoreBackup': define<{ state: 'ready' }>()(z.object({ name: backupName.optional() }).strict()),
  /** Starts with an empty store (no demo shop) in place of the damaged file, then serves the desk. */
  'recovery.startEmpty': define<{ state: 'ready' }>()(z.object({}).strict()),
};
