import type { RedLineService } from '../services/redLines';
import type { Handlers } from './router';

type RedLineMethod = 'redLines.list' | 'redLines.save' | 'redLines.importPreview' | 'redLines.importCommit' | 'redLines.recordCatches';

/** The red-line methods: reading is everyone's (each composer checks), changing is the policy's `keepRedLines`. */
export function createRedLineHandlers(redLines: RedLineService): Pick<Handlers, RedLineMethod> {
  return {
    'redLines.list': () => redLines.list(),
    'redLines.save': (args, ctx) => redLines.save(args, ctx),
    'redLines.importPreview': (args, ctx) => redLines.importFile(args, ctx, false),
    'redLines.importCommit': (args, ctx) => redLines.importFile(args, ctx, true),
    'redLines.recordCatches': (args) => redLines.recordCatches(args),
  };
}
