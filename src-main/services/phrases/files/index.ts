import type { ImportReport } from '../../../../shared/contract/methods';
import type { Store } from '../../../store';
import { exportPhrases, type ExportFormat } from './exportPhrases';
import { importPhrases, type ImportOptions } from './importPhrases';
import type { ParsePhraseFile } from './parsePhraseFile';

export { exportPhrases, exportRows } from './exportPhrases';
export { importPhrases } from './importPhrases';

/**
 * The import and export the contract offers; a committed import's commit pokes the replicas like any
 * write. `parse`: where a file is read and checked (the core passes its parse thread).
 */
export function phraseFileService(store: Store, parse?: ParsePhraseFile) {
  return {
    async importFile(
      args: { fileName: string; dataBase64: string } & Omit<ImportOptions, 'agentId'>,
      agentId: string,
      commit: boolean,
    ): Promise<ImportReport> {
      const data = Buffer.from(args.dataBase64, 'base64');
      return importPhrases(store, args.fileName, data, { ...args, agentId, commit, parse });
    },
    async exportFile(format: ExportFormat, agentId: string): Promise<{ fileName: string; dataBase64: string }> {
      const data = await exportPhrases(store, agentId, format);
      const day = new Date().toISOString().slice(0, 10);
      return { fileName: `快捷短语-${day}.${format}`, dataBase64: data.toString('base64') };
    },
  };
}
