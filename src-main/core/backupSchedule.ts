import type { Db } from '../store';
import { backupOnline, DEFAULT_BACKUPS_KEPT, listBackups } from '../store/backups';

export const DAY_MS = 24 * 60 * 60 * 1000;

export type BackupScheduleOptions = {
  db: Db;
  dataDir: string;
  /** Backups kept (default 5). */
  keep?: number | undefined;
  /** A new backup once the newest is this old (default a day). */
  everyMs?: number | undefined;
  /** How often the age is looked at while running (default an hour, at most everyMs). */
  checkMs?: number | undefined;
  nativeBinding?: string | undefined;
  now?: () => number;
  log: (message: string, error?: unknown) => void;
};

/**
 * The daily backup: one at start when the newest is older than a day (or there is none), then
 * whenever the newest grows that old while the core runs. Each is an online backup, so the desk goes
 * on working while it is copied. The timer does not keep a process alive.
 */
export function startDailyBackups(options: BackupScheduleOptions) {
  const everyMs = options.everyMs ?? DAY_MS;
  const now = options.now ?? Date.now;
  let running: Promise<void> | null = null;
  let stopped = false;

  const due = () => {
    const newest = listBackups(options.dataDir)[0];
    return !newest || now() - newest.at >= everyMs;
  };
  const tick = (): Promise<void> => {
    if (running || stopped || !due()) return running ?? Promise.resolve();
    running = backupOnline(options.db, options.dataDir, {
      reason: 'daily',
      keep: options.keep ?? DEFAULT_BACKUPS_KEPT,
      now: now(),
      nativeBinding: options.nativeBinding,
    })
      .then(
        () => undefined,
        (error: unknown) => {
          if (!stopped) options.log('the daily backup failed', error);
        },
      )
      .finally(() => {
        running = null;
      });
    return running;
  };

  const first = tick();
  const timer = setInterval(() => void tick(), Math.min(options.checkMs ?? 60 * 60 * 1000, everyMs));
  timer.unref();
  return {
    /** The backup taken at start, if one was due (tests wait for it). */
    first,
    stop(): void {
      stopped = true;
      clearInterval(timer);
    },
  };
}

export type DailyBackups = ReturnType<typeof startDailyBackups>;
