import { AppError } from '../../shared/contract/errors';
import type { ExportService } from '../services/logExport/exportService';
import type { Store } from '../store';
import type { CallContext, Handlers } from './router';

type ExportMethod = 'exports.preview' | 'exports.start' | 'exports.cancel' | 'exports.list';

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

export function createExportHandlers(deps: { store: Store; exports: ExportService }): Pick<Handlers, ExportMethod> {
  return {
    'exports.preview': (filters, ctx) => {
      requireExporter(deps.store, ctx);
      return deps.exports.preview(filters);
    },
    'exports.start': (args, ctx) => {
      requireExporter(deps.store, ctx);
      return deps.exports.start(args);
    },
    'exports.cancel': ({ jobId }, ctx) => {
      requireExporter(deps.store, ctx);
      return deps.exports.cancel(jobId);
    },
    'exports.list': (_args, ctx) => {
      requireExporter(deps.store, ctx);
      return deps.exports.list();
    },
  };
}
