import fs from 'node:fs';
import path from 'node:path';
import { DATA_FILE } from '../../core/core';
import { clearRecoveryMark } from '../../core/openShop';
import { DAMAGED_DIR } from '../../core/recovery';
import { classifyStoreError, isBackupName, isDataFileInUse, listBackups, restoreBackupFile } from '../../core/dataFolder';
import { withCliSession } from '../caller';
import { UsageError, type Command } from '../command';

const USAGE = 'jiedai backups list [--json] | backups create | backups restore <name>|--newest [--data-dir DIR]';

const when = (at: number) => new Date(at).toLocaleString('sv-SE').slice(0, 19);
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

function inUse(file: string): boolean {
  try {
    return isDataFileInUse(file);
  } catch (error) {
    if (classifyStoreError(error) === 'damaged') return false; // nobody serves a damaged file
    throw error;
  }
}

/**
 * The automatic backups in the data folder's backups/ (daily, and before every migration): list
 * them, take one now, or put one in place of the data file (the current file is kept in damaged/).
 *
 * `create` is a contract call (`backups.create`, the owner's, an online backup while desks work).
 * `list` and `restore` work on the folder with no core open, on purpose: they are what is left to do
 * when the data file is damaged and no core can open it, and `restore` must be the file's only user
 * (leaving WAL mode and renaming the file under a live connection would lose its writes).
 */
export const backupsCommand: Command = {
  name: 'backups',
  summary: 'list the automatic backups, take one now, or restore one (the app must be closed)',
  usage: USAGE,
  options: { json: { type: 'boolean', default: false }, newest: { type: 'boolean', default: false } },
  positionals: { min: 1, max: 2 },
  async run({ values, positionals, dataDir }, io) {
    const [action, name] = positionals;
    const file = path.join(dataDir, DATA_FILE);
    if (action === 'list') {
      if (name !== undefined) throw new UsageError(`unexpected argument "${name}"`);
      const all = listBackups(dataDir);
      if (values.json) io.out(JSON.stringify(all.map(({ name: n, at, bytes, reason }) => ({ name: n, at, bytes, reason }))));
      else if (all.length === 0) io.out(`no backups in ${path.join(dataDir, 'backups')}`);
      else for (const b of all) io.out(`${b.name}  ${when(b.at)}  ${size(b.bytes).padStart(9)}  ${b.reason}`);
      return 0;
    }
    if (action === 'create') {
      if (name !== undefined) throw new UsageError(`unexpected argument "${name}"`);
      if (!fs.existsSync(file)) {
        io.err(`jiedai: there is no shop in ${dataDir} to back up`);
        return 1;
      }
      const made = await withCliSession(dataDir, undefined, (cli) => cli.call('backups.create', {}));
      io.out(`backed up to ${path.join(dataDir, 'backups', made.name)}`);
      return 0;
    }
    if (action !== 'restore') throw new UsageError(`unknown action "${action}": list, create or restore`);
    if (Boolean(name) === Boolean(values.newest)) throw new UsageError('restore takes a backup name or --newest');
    if (name && !isBackupName(name)) throw new UsageError(`"${name}" is not the name of a backup (see jiedai backups list)`);
    const all = listBackups(dataDir);
    const chosen = name ? all.find((b) => b.name === name) : all[0];
    if (!chosen) {
      io.err(`jiedai: ${name ? `no backup named ${name}` : 'there is no backup'} in ${path.join(dataDir, 'backups')}`);
      return 1;
    }
    if (inUse(file)) {
      io.err('jiedai: the shop is open in Jiedai (or another jiedai command): close it, then restore');
      return 1;
    }
    const { setAside } = restoreBackupFile(file, chosen, path.join(dataDir, DAMAGED_DIR));
    clearRecoveryMark(dataDir);
    io.out(`restored ${chosen.name} (taken ${when(chosen.at)})${setAside ? `; the previous file is kept as ${setAside}` : ''}`);
    return 0;
  },
};
