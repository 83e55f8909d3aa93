/**
 * What a shell may do to a data folder while no core has it open: its backups, whether another
 * process holds the file, and how a fault of the folder is named. The CLI's `backups` command and its
 * start-up use these; everything else goes through the contract.
 */
export { backupOnline, isBackupName, listBackups, restoreBackupFile } from '../store/backups';
export { isDataFileInUse } from '../store/dataFile';
export { classifyStoreError, StoreFaultError } from '../store/faults';
