import { AppError, type Result } from '../../shared/contract/errors';
import type { ReportSummary } from '../../shared/contract/reports';
import { requireRole } from '../../shared/domain/policy';
import type { Shop } from '../../shared/domain/types';
import type { ExportService } from '../services/logExport/exportService';
import { writeReportFile } from '../services/reports/exportReport';
import type { ReportService } from '../services/reports/reportService';
import type { Store } from '../store';
import type { Handlers } from './router';

type ReportMethod =
  'reports.summary' | 'reports.heatmap' | 'reports.questions' | 'reports.phrases' | 'reports.export' | 'reports.setWorkingHours';

/**
 * Reports are for the roles the policy names (`viewReports`: supervisors and the owner); an agent is
 * refused whatever they ask. In team mode the queries go to the hub first (core/teamCalls.ts); the
 * export writes its file here, on this machine, from the hub's table when the hub answers (`remote`),
 * else from this desk's own.
 */
export function createReportHandlers(deps: {
  store: Store;
  reports: ReportService;
  logExport: ExportService;
  now: () => number;
  /** Team mode: asks the hub (null: a standalone desk, or the hub is this core). */
  remote?: (method: string, args: unknown) => Promise<Result<unknown>> | null;
}): Pick<Handlers, ReportMethod> {
  const { reports } = deps;
  return {
    'reports.summary': (args, ctx) => {
      requireRole(ctx, 'viewReports');
      return reports.summary(args);
    },
    'reports.heatmap': (args, ctx) => {
      requireRole(ctx, 'viewReports');
      return reports.heatmap(args);
    },
    'reports.questions': (args, ctx) => {
      requireRole(ctx, 'viewReports');
      return reports.questions(args);
    },
    'reports.phrases': (args, ctx) => {
      requireRole(ctx, 'viewReports');
      return reports.phrases(args);
    },
    'reports.export': async ({ period, format, locale }, ctx) => {
      requireRole(ctx, 'viewReports');
      let summary: ReportSummary | null = null;
      const asked = deps.remote?.('reports.summary', period);
      if (asked) {
        const r = await asked;
        if (r.ok) summary = r.value as ReportSummary;
        else if (r.error.code !== 'unavailable') throw new AppError(r.error.code, r.error.message);
      }
      summary ??= reports.summary(period);
      const written = await writeReportFile({
        summary,
        format,
        locale,
        shop: deps.store.settings.get<Shop | null>('shop', null),
        exportsFolder: deps.logExport.exportsFolder,
        destination: ctx.shell?.exportDestination,
        now: deps.now(),
      });
      const fileName = written.path.split(/[\\/]/).pop() ?? written.path;
      return { path: written.path, fileName, bytes: written.bytes, download: deps.logExport.offerFile(written.path) };
    },
    'reports.setWorkingHours': ({ workingHours }, ctx) => {
      requireRole(ctx, 'viewReports');
      return reports.setWorkingHours(workingHours);
    },
  };
}
