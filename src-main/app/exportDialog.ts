import path from 'node:path';
import { ok, type Result } from '../../shared/contract/errors';
import { EXPORT_EXTENSIONS, exportStartSchema, type ExportFormat } from '../../shared/contract/logExport';
import { methods } from '../../shared/contract/methods';
import { REPORT_EXTENSIONS } from '../../shared/contract/reports';
import { translator } from '../../shared/i18n';
import type { ShellContext } from '../core/shellContext';

/** The part of Electron's `dialog.showSaveDialog` used here (bound to the desk window in main.ts; a fake in tests). */
export type ShowSaveDialog = (options: {
  title: string;
  defaultPath: string;
  buttonLabel: string;
  filters: { name: string; extensions: string[] }[];
  properties: ('showOverwriteConfirmation' | 'createDirectory')[];
}) => Promise<{ canceled: boolean; filePath?: string | undefined }>;

/**
 * What the shell does before a call reaches the core: either the call goes on with the shell's own
 * additions, or the shell answers it itself (the owner closed the dialog).
 */
export type ShellStep = (args: unknown) => Promise<{ shell: ShellContext } | { answer: Result<unknown> }>;

const FORMAT_NAMES: Record<ExportFormat, string> = { csv: 'CSV', xlsx: 'Excel', jsonl: 'JSON Lines', html: 'HTML', 'html-zip': 'ZIP' };

/**
 * `logExport.start` in the desktop app: the owner picks the file in the system's save dialog (which
 * itself asks before replacing a file), and the core is told that choice beside the args, where the
 * renderer cannot reach. The renderer's args are untrusted: args the contract would refuse go on
 * without a dialog and without a destination, and the core refuses them with its typed error.
 */
export function exportSaveStep(deps: {
  showSaveDialog: ShowSaveDialog;
  defaultFolder: () => string;
  exists: (file: string) => boolean;
}): ShellStep {
  let lastFolder: string | null = null;
  return async (args) => {
    const parsed = exportStartSchema.safeParse(args ?? {});
    if (!parsed.success) return { shell: {} };
    const { format, locale, filters } = parsed.data;
    // The renderer's locale (in the args) picks the dialog's language, like the file's labels.
    const t = translator(locale);
    const ext = EXPORT_EXTENSIONS[format];
    const days = `-${filters.from}_${filters.to}`;
    const chosen = await deps.showSaveDialog({
      title: t('exports.title'),
      defaultPath: path.join(lastFolder ?? deps.defaultFolder(), `${t('exports.fileName')}${days}${ext}`),
      buttonLabel: t('exports.dialogButton'),
      filters: [{ name: FORMAT_NAMES[format], extensions: [ext.slice(1)] }],
      properties: ['showOverwriteConfirmation', 'createDirectory'],
    });
    if (chosen.canceled || !chosen.filePath) return { answer: ok(null) };
    let file = chosen.filePath;
    // The dialog confirmed replacing exactly the file it returned; a name we complete was never shown.
    let overwrite = deps.exists(file);
    if (path.extname(file).toLowerCase() !== ext) {
      file += ext;
      overwrite = false;
    }
    lastFolder = path.dirname(file);
    return { shell: { exportDestination: { path: file, overwrite } } };
  };
}

/**
 * `reports.export` in the desktop app: the same save dialog, for the report's table (报表-<from>_<to>.csv
 * or .xlsx), with the same rules (a closed dialog answers null; a completed name never overwrites).
 */
export function reportSaveStep(deps: {
  showSaveDialog: ShowSaveDialog;
  defaultFolder: () => string;
  exists: (file: string) => boolean;
}): ShellStep {
  let lastFolder: string | null = null;
  return async (args) => {
    const parsed = methods['reports.export'].args.safeParse(args ?? {});
    if (!parsed.success) return { shell: {} };
    const { format, locale, period } = parsed.data;
    const t = translator(locale);
    const ext = REPORT_EXTENSIONS[format];
    const chosen = await deps.showSaveDialog({
      title: t('reports.export'),
      defaultPath: path.join(lastFolder ?? deps.defaultFolder(), `${t('reports.fileName')}-${period.from}_${period.to}${ext}`),
      buttonLabel: t('exports.dialogButton'),
      filters: [{ name: format === 'csv' ? 'CSV' : 'Excel', extensions: [ext.slice(1)] }],
      properties: ['showOverwriteConfirmation', 'createDirectory'],
    });
    if (chosen.canceled || !chosen.filePath) return { answer: ok(null) };
    let file = chosen.filePath;
    let overwrite = deps.exists(file);
    if (path.extname(file).toLowerCase() !== ext) {
      file += ext;
      overwrite = false;
    }
    lastFolder = path.dirname(file);
    return { shell: { exportDestination: { path: file, overwrite } } };
  };
}
