import { requireRole } from '../../shared/domain/policy';
import type { ExportService } from '../services/logExport/exportService';
import type { Handlers } from './router';
import { revealFolder } from '../services/logExport/revealFolder';

type ExportMethod = 'exports.preview' | 'exports.start' | 'exports.cancel' | 'exports.list' | 'exports.reveal' | 'exports.download';

/**
 * Log export is for the roles the policy names (a whole shop's chats leave the app with it). The CLI
 * (someone at the machine with the data folder) calls the service directly.
 */
export function createExportHandlers(deps: { exports: ExportService; reveal?: (folder: string) => Promise<boolean> }): Pick<Handlers, ExportMethod> {
  const reveal = deps.reveal ?? revealFolder;
  return {
    'exports.preview': (filters, ctx) => {
      requireRole(ctx, 'exportLogs');
      return deps.exports.preview(filters);
    },
    'exports.start': (args, ctx) => {
      requireRole(ctx, 'exportLogs');
      // The destination comes only from the shell's save dialog (ctx.shell), never from the args.
      return deps.exports.start(args, ctx.shell?.exportDestination);
    },
    'exports.cancel': ({ jobId }, ctx) => {
      requireRole(ctx, 'exportLogs');
      return deps.exports.cancel(jobId);
    },
    'exports.list': (_args, ctx) => {
      requireRole(ctx, 'exportLogs');
      return deps.exports.list();
    },
    'exports.reveal': async ({ jobId }, ctx) => {
      requireRole(ctx, 'exportLogs');
      const folder = deps.exports.folderOf(jobId);
      return { folder, opened: await reveal(folder) };
    },
    'exports.download': ({ jobId }, ctx) => {
      requireRole(ctx, 'exportLogs');
      return deps.exports.download(jobId);
    },
  };
}
