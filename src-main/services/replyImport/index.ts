import type { ImportReport } from '../../../shared/contract/methods';
import type { Store } from '../../store';
import { exportReplies, type ExportFormat } from './exportReplies';
import { importReplies, type ImportOptions } from './importReplies';

export { exportReplies, exportRows } from './exportReplies';
export { importReplies } from './importReplies';

/** The import and export the contract offers; a committed import's commit pokes the replicas like any write. */
export function replyImportService(store: Store) {
  return {
    async importFile(args: { fileName: string; dataBase64: string } & Omit<ImportOptions, 'agentId'>, agentId: string, commit: boolean): Promise<ImportReport> {
      const data = Buffer.from(args.dataBase64, 'base64');
      return importReplies(store, args.fileName, data, { ...args, agentId, commit });
    },
    async exportFile(format: ExportFormat, agentId: string): Promise<{ fileName: string; dataBase64: string }> {
      const data = await exportReplies(store, agentId, format);
      const day = new Date().toISOString().slice(0, 10);
      return { fileName: `快捷短语-${day}.${format}`, dataBase64: data.toString('base64') };
    },
  };
}
