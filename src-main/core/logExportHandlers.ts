import { requireRole } from '../../shared/domain/policy';
import type { ExportService } from '../services/logExport/exportService';
import type { Handlers } from './router';
import { revealFolder } from '../services/logExport/revealFolder';

type ExportMethod =
  'logExport.preview' | 'logExport.start' | 'logExport.cancel' | 'logExport.list' | 'logExport.reveal' | 'logExport.download';

/**
 * Log export is for the roles the policy names (a whole shop's chats leave the app with it). The CLI
 * (someone at the machine with the data folder) calls the service directly.
 */
export function createLogExportHandlers(deps: {
  logExport: ExportService;
  reveal?: (folder: string) => Promise<boolean>;
}): Pick<Handlers, ExportMethod> {
  const reveal = deps.reveal ?? revealFolder;
  return {
    'logExport.preview': (filters, ctx) => {
      requireRole(ctx, 'exportLogs');
      return deps.logExport.preview(filters);
    },
    'logExport.start': (args, ctx) => {
      requireRole(ctx, 'exportLogs');
      // The destination comes only from the shell's save dialog (ctx.shell), never from the args.
      return deps.logExport.start(args, ctx.shell?.exportDestination);
    },
    'logExport.cancel': ({ jobId }, ctx) => {
      requireRole(ctx, 'exportLogs');
      return deps.logExport.cancel(jobId);
    },
    'logExport.list': (_args, ctx) => {
      requireRole(ctx, 'exportLogs');
      return deps.logExport.list();
    },
    'logExport.reveal': async ({ jobId }, ctx) => {
      requireRole(ctx, 'exportLogs');
      const folder = deps.logExport.folderOf(jobId);
      return { folder, opened: await reveal(folder) };
    },
    'logExport.download': ({ jobId }, ctx) => {
      requireRole(ctx, 'exportLogs');
      return deps.logExport.download(jobId);
    },
  };
}
