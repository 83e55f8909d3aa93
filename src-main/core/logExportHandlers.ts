import { requireRole } from '../../shared/domain/policy';
import type { ExportService } from '../services/logExport/exportService';
import type { HubExport } from '../teamSync/hubExport';
import type { CallContext, Handlers } from './router';
import { revealFolder } from '../services/logExport/revealFolder';

type ExportMethod =
  'logExport.preview' | 'logExport.start' | 'logExport.cancel' | 'logExport.list' | 'logExport.reveal' | 'logExport.download';

/**
 * Log export is for the roles the policy names (a whole shop's chats leave the app with it). The CLI
 * (someone at the machine with the data folder) calls the service directly.
 *
 * On a hub each account sees, cancels and fetches only the jobs it started (`ownJobs`). On a desk of a
 * team (`hubExport()` answers) the count and the export run on the hub, over the whole shop: the desk
 * keeps the job, relays its progress and writes the file it fetches where its shell asked.
 */
export function createLogExportHandlers(deps: {
  logExport: ExportService;
  reveal?: ((folder: string) => Promise<boolean>) | undefined;
  ownJobs?: boolean;
  hubExport?: () => HubExport | null;
}): Pick<Handlers, ExportMethod> {
  const reveal = deps.reveal ?? revealFolder;
  const by = (ctx: CallContext) => (deps.ownJobs ? ctx.agentId : undefined);
  return {
    'logExport.preview': (filters, ctx) => {
      requireRole(ctx, 'exportLogs');
      const team = deps.hubExport?.();
      return team ? team.preview(filters) : deps.logExport.preview(filters);
    },
    'logExport.start': (args, ctx) => {
      requireRole(ctx, 'exportLogs');
      // The destination comes only from the shell's save dialog (ctx.shell), never from the args.
      const team = deps.hubExport?.();
      return team ? team.start(args, ctx.shell?.exportDestination) : deps.logExport.start(args, ctx.shell?.exportDestination, by(ctx));
    },
    'logExport.cancel': ({ jobId }, ctx) => {
      requireRole(ctx, 'exportLogs');
      return deps.logExport.cancel(jobId, by(ctx));
    },
    'logExport.list': (_args, ctx) => {
      requireRole(ctx, 'exportLogs');
      return deps.logExport.list(by(ctx));
    },
    'logExport.reveal': async ({ jobId }, ctx) => {
      requireRole(ctx, 'exportLogs');
      const folder = deps.logExport.folderOf(jobId);
      return { folder, opened: await reveal(folder) };
    },
    'logExport.download': ({ jobId }, ctx) => {
      requireRole(ctx, 'exportLogs');
      return deps.logExport.download(jobId, by(ctx));
    },
  };
}
