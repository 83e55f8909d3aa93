import path from 'node:path';
import { fail, ok, type Result } from '../../shared/contract/errors';
import { methods } from '../../shared/contract/methods';
import type { RecoveryStatus } from '../../shared/contract/recovery';
import { listBackups, restoreBackupFile, setDataFileAside, type BackupEntry } from '../store/backups';
import type { DownloadFile } from '../services/logExport/downloadTickets';
import type { ChannelEvent } from '../services/channels';
import type { ShellContext } from './shellContext';
import { classifyStoreError, faultContractError, StoreFaultError, type Damage } from '../store/faults';
import { startDailyBackups, type DailyBackups } from './backupSchedule';
import type { Lang } from '../../shared/domain/lang';
import { Core, DATA_FILE, type CoreOptions } from './core';
import type { EventListener } from '../platform/eventBus';
import { clearRecoveryMark, readRecoveryMark, writeRecoveryMark } from './openShop';

export const DAMAGED_DIR = 'damaged';

export type StartCoreOptions = CoreOptions & {
  /** Daily online backups while the core runs (default on, every 24 h). */
  dailyBackups?: { enabled?: boolean; everyMs?: number; checkMs?: number };
  /** Language of the sentence a start-up fault is said in (default: the system's locale). */
  lang?: Lang;
};

/**
 * Moves a damaged data file aside (recording first that it is being moved, so a crash or a quit at
 * the recovery screen never turns into a fresh demo shop on the next start) and returns what to show.
 */
function setAside(dataDir: string, error: StoreFaultError): Damage {
  const found = error.damage!;
  if (found.keptAs !== null) return found; // already aside: the mark was read back
  writeRecoveryMark(dataDir, found);
  const keptAs = setDataFileAside(error.path, path.join(dataDir, DAMAGED_DIR), 'damaged', found.at);
  const damage = { ...found, keptAs: keptAs ?? readRecoveryMark(dataDir)?.keptAs ?? null };
  writeRecoveryMark(dataDir, damage);
  return damage;
}

/**
 * The core as the worker runs it: the Core when the store opens, otherwise (a damaged data file) a
 * recovery state that answers `recovery.*` and `store_damaged` to everything else, until the user
 * restores a backup or starts empty; then the Core opens and serves. Events of whichever Core runs
 * reach the listeners; the daily backups follow the open store.
 */
export function startCore(options: StartCoreOptions, log: (message: string, error?: unknown) => void) {
  const listeners = new Set<EventListener>();
  const endedListeners = new Set<(connections: string[]) => void>();
  const channelListeners = new Set<(events: ChannelEvent[]) => void>();
  const file = path.join(options.dataDir, DATA_FILE);
  let core: Core | null = null;
  let backups: DailyBackups | null = null;
  let damage: Damage | null = null;

  const open = (extra: Partial<CoreOptions> = {}) => {
    const next = new Core({ ...options, log, ...extra });
    next.on((name, payload) => {
      for (const l of listeners) l(name, payload);
    });
    next.onConnectionsEnded((connections) => {
      for (const l of endedListeners) l(connections);
    });
    next.onChannelEvents((events) => {
      for (const l of channelListeners) l(events);
    });
    core = next;
    damage = null;
    // A hub on PostgreSQL is backed up with PostgreSQL's own tools (pg_dump), not into the folder.
    if ((options.dailyBackups?.enabled ?? true) && next.database === 'sqlite') {
      backups = startDailyBackups({
        db: next.store.db,
        dataDir: options.dataDir,
        keep: options.keepBackups,
        everyMs: options.dailyBackups?.everyMs,
        checkMs: options.dailyBackups?.checkMs,
        nativeBinding: options.nativeBinding,
        log,
      });
    }
  };

  try {
    open();
  } catch (error) {
    if (!(error instanceof StoreFaultError) || error.kind !== 'damaged') throw error;
    damage = setAside(options.dataDir, error);
    log(`the data file is damaged (${damage.reason}); kept as ${damage.keptAs ?? '?'}; waiting for a choice`);
  }

  /** Opens the Core in place of the recovery state; if that fails the choice is still pending. */
  const reopen = (extra: Partial<CoreOptions> = {}) => {
    const pending = damage!;
    clearRecoveryMark(options.dataDir);
    try {
      open(extra);
    } catch (error) {
      writeRecoveryMark(options.dataDir, pending);
      throw error;
    }
  };

  const status = (): RecoveryStatus =>
    damage
      ? {
          state: 'damaged',
          reason: damage.reason,
          keptAs: damage.keptAs,
          at: damage.at,
          backups: listBackups(options.dataDir).map(({ name, at, bytes, reason }) => ({ name, at, bytes, reason })),
        }
      : { state: 'ready' };

  const recover = (method: string, rawArgs: unknown): Result<unknown> => {
    if (method === 'recovery.status') return ok(status());
    if (method === 'recovery.restoreBackup') {
      const parsed = methods['recovery.restoreBackup'].args.safeParse(rawArgs ?? {});
      if (!parsed.success) return fail('invalid_argument', 'not the name of a backup');
      const all = listBackups(options.dataDir);
      const chosen: BackupEntry | undefined = parsed.data.name ? all.find((b) => b.name === parsed.data.name) : all[0];
      if (!chosen) return fail('not_found', parsed.data.name ? `no backup ${parsed.data.name}` : 'there is no backup');
      restoreBackupFile(file, chosen, path.join(options.dataDir, DAMAGED_DIR), { nativeBinding: options.nativeBinding });
      reopen();
      log(`restored ${chosen.name}`);
      return ok({ state: 'ready' });
    }
    if (method === 'recovery.startEmpty') {
      reopen({ seedDemo: false });
      log('started with an empty store');
      return ok({ state: 'ready' });
    }
    return fail('store_damaged', 'the data file is damaged: restore a backup or start empty');
  };

  return {
    /** The running Core, or null while the store waits for recovery. */
    core: () => core,
    /** The backup taken at start, if one was due. */
    firstBackup: () => backups?.first ?? Promise.resolve(),
    call(method: string, args: unknown, connection: string, shell?: ShellContext): Promise<Result<unknown>> {
      if (core) return core.call(method, args, connection, shell);
      try {
        return Promise.resolve(recover(method, args));
      } catch (error) {
        log(`${method} failed`, error);
        const known = classifyStoreError(error);
        return Promise.resolve(known ? fail(...faultContractError(known)) : fail('internal', `${method} failed`));
      }
    },
    disconnect(connection: string): void {
      core?.disconnect(connection);
    },
    redeemDownload(ticket: string): DownloadFile | null {
      return core?.redeemDownload(ticket) ?? null;
    },
    /** The hub shell's channel operation (see Core.channel). */
    channel(op: string, args: unknown): Promise<Result<unknown>> {
      return core ? core.channel(op, args) : Promise.resolve(fail('unavailable', 'the shop is not open'));
    },
    onChannelEvents(listener: (events: ChannelEvent[]) => void): () => void {
      channelListeners.add(listener);
      return () => channelListeners.delete(listener);
    },
    on(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Connections whose sign-in session ended (see Core.onConnectionsEnded). */
    onConnectionsEnded(listener: (connections: string[]) => void): () => void {
      endedListeners.add(listener);
      return () => endedListeners.delete(listener);
    },
    close(): void {
      backups?.stop();
      core?.close();
    },
  };
}

export type CoreHandle = ReturnType<typeof startCore>;
