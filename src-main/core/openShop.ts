import fs from 'node:fs';
import path from 'node:path';
import { openStore, type Store } from '../store';
import { backupNow, DEFAULT_BACKUPS_KEPT } from '../store/backups';
import { createDataFile, probeWritable } from '../store/dataFile';
import { classifyStoreError, StoreFaultError, type Damage } from '../store/faults';
import { CLEAN_CLOSE_MARK, inspectDataFile, markCleanClose, takeCleanClose } from '../store/fileCheck';

export type OpenShopOptions = {
  dataDir: string;
  file: string;
  nativeBinding?: string | undefined;
  /** Fills a data file created on a first start (the demo shop); not called for an existing file. */
  fill?: ((store: Store) => void) | undefined;
  keepBackups?: number | undefined;
};

/** Written while a damaged file has been set aside and nobody has chosen what comes instead. */
export const RECOVERY_MARK = 'recovery-pending.json';

export function readRecoveryMark(dataDir: string): Damage | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, RECOVERY_MARK), 'utf8')) as Damage;
  } catch {
    return null;
  }
}

export function writeRecoveryMark(dataDir: string, damage: Damage): void {
  const file = path.join(dataDir, RECOVERY_MARK);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(damage));
  fs.renameSync(`${file}.tmp`, file);
}

export function clearRecoveryMark(dataDir: string): void {
  fs.rmSync(path.join(dataDir, RECOVERY_MARK), { force: true });
}

function asFault(error: unknown, where: string): unknown {
  const kind = classifyStoreError(error);
  return kind && !(error instanceof StoreFaultError) ? new StoreFaultError(kind, where, error) : error;
}

/**
 * Opens the shop's data file, or says precisely why not. Only a missing file (a first start, with no
 * damaged file waiting for the user's choice) is created, filled whole in one go (see
 * createDataFile). A 0-byte, foreign or corrupt file throws a `damaged` StoreFaultError and is left
 * untouched: the caller decides (the desk offers a backup or an empty start; the CLI says so). A
 * file at an older schema is backed up before it is migrated. The quick check is skipped for a file
 * exactly as its last clean close left it (`closeShop`; see CLEAN_CLOSE_MARK).
 */
export function openShop(options: OpenShopOptions): Store {
  const { dataDir, file } = options;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    probeWritable(dataDir);
  } catch (error) {
    throw asFault(error, dataDir);
  }
  try {
    const closedCleanly = takeCleanClose(file, path.join(dataDir, CLEAN_CLOSE_MARK));
    const state = inspectDataFile(file, options.nativeBinding, { closedCleanly });
    const pending = readRecoveryMark(dataDir);
    if (state.state === 'damaged') {
      throw new StoreFaultError('damaged', file, undefined, { reason: state.reason, detail: state.detail, keptAs: null, at: Date.now() });
    }
    if (state.state === 'missing') {
      // The file was set aside as damaged and the user has not chosen yet: never a fresh demo shop instead.
      if (pending) throw new StoreFaultError('damaged', file, undefined, pending);
      createDataFile(file, { nativeBinding: options.nativeBinding }, options.fill);
    } else if (pending) {
      clearRecoveryMark(dataDir); // a sound file is back in place (restored by hand, or by the CLI)
    }
    return openStore(file, {
      nativeBinding: options.nativeBinding,
      beforeMigrate: (db) => {
        backupNow(db, dataDir, {
          reason: 'migration',
          keep: options.keepBackups ?? DEFAULT_BACKUPS_KEPT,
          nativeBinding: options.nativeBinding,
        });
      },
    });
  } catch (error) {
    throw asFault(error, file);
  }
}

/** Closes a store `openShop` opened and marks the file as cleanly closed (the next start skips the quick check). */
export function closeShop(store: Store, dataDir: string, file: string): void {
  store.close();
  markCleanClose(file, path.join(dataDir, CLEAN_CLOSE_MARK));
}
