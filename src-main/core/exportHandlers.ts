import { AppError } from '../../shared/contract/errors';
import type { ExportService } from '../services/logExport/exportService';
import type { Store } from '../store';
import type { CallContext, Handlers } from './router';
import { revealFolder } from '../services/logExport/revealFolder';

type ExportMethod = 'exports.preview' | 'exports.start' | 'exports.cancel' | 'exports.list' | 'exports.reveal' | 'exports.download';

/**
 * Log export is for the shop's owner and supervisors: a whole shop's chats leave the app with it.
 * The CLI (someone at the machine with the data folder) calls the service directly.
 */
function requireExporter(store: Store, ctx: CallContext): void {
  const role = store.agents.get(ctx.agentId)?.role;
  if (role !== 'owner' && role !== 'supervisor') {
    throw new AppError('unauthorized', 'exporting chat logs is for the shop owner and supervisors');
  }
}

export function createExportHandlers(deps: { store: Store; exports: ExportService; reveal?: (folder: string) => Promise<boolean> }): Pick<Handlers, ExportMethod> {
  const reveal = deps.reveal ?? revealFolder;
  return {
    'exports.preview': (filters, ctx) => {
      requireExporter(deps.store, ctx);
      return deps.exports.preview(filters);
    },
    'exports.start': (args, ctx) => {
      requireExporter(deps.store, ctx);
      // The destination comes only from the shell's save dialog (ctx.shell), never from the args.
      return deps.exports.start(args, ctx.shell?.exportDestination);
    },
    'exports.cancel': ({ jobId }, ctx) => {
      requireExporter(deps.store, ctx);
      return deps.exports.cancel(jobId);
    },
    'exports.list': (_args, ctx) => {
      requireExporter(deps.store, ctx);
      return deps.exports.list();
    },
    'exports.reveal': async ({ jobId }, ctx) => {
      requireExporter(deps.store, ctx);
      const folder = deps.exports.folderOf(jobId);
      return { folder, opened: await reveal(folder) };
    },
    'exports.download': ({ jobId }, ctx) => {
      requireExporter(deps.store, ctx);
      return deps.exports.download(jobId);
    },
  };
}
