import fs from 'node:fs';
import path from 'node:path';
import {
  EXPORT_DIRECTIONS,
  EXPORT_EXTENSIONS,
  EXPORT_FORMATS,
  EXPORT_LOCALES,
  exportStartSchema,
  isCalendarDay,
  type ExportFinished,
  type ExportFormat,
  type ExportProgress,
} from '../../../shared/contract/logExport';
import { formatCount, translator, type Translate } from '../../../shared/i18n';
import { DATA_FILE } from '../../core/core';
import { withCliSession } from '../caller';
import { progressLine, UsageError, type Command } from '../command';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

function day(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new UsageError(`missing --${name} YYYY-MM-DD`);
  if (!isCalendarDay(v)) throw new UsageError(`--${name} "${v}" is not a day written YYYY-MM-DD`);
  return v;
}

function formatOf(format: unknown, out: string): ExportFormat {
  if (typeof format === 'string') {
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`unknown --format "${format}" (one of ${EXPORT_FORMATS.join(', ')})`);
    }
    return format as ExportFormat;
  }
  const inferred = EXPORT_FORMATS.find((f) => path.extname(out).toLowerCase() === EXPORT_EXTENSIONS[f]);
  if (!inferred) throw new UsageError(`missing --format ${EXPORT_FORMATS.join('|')}`);
  return inferred;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The progress line, in the export's language (shared/i18n `cli.export.*`). */
function progressText(t: Translate, p: ExportProgress): string {
  const vars = {
    done: formatCount(p.done),
    total: formatCount(p.total),
    percent: p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100,
    rate: formatCount(p.rate),
  };
  return p.etaMs === null ? t('cli.export.progress', vars) : t('cli.export.progressEta', { ...vars, seconds: Math.ceil(p.etaMs / 1000) });
}

export const exportLogsCommand: Command = {
  name: 'export-logs',
  summary: 'export conversation logs (CSV, Excel, JSON Lines, printable HTML, or HTML per conversation in a .zip) for a range of days',
  usage:
    'jiedai export-logs --from YYYY-MM-DD --to YYYY-MM-DD --format csv|xlsx|jsonl|html|html-zip --out PATH\n' +
    '      [--agent A]… [--customer NICK]… [--tag T]… [--group G]… [--keyword K] [--direction buyer|agent|system]…\n' +
    '      [--locale zh-CN|en] [--data-dir DIR] [--json]\n' +
    "      (--locale: the language of the file's labels and of these lines; Chinese by default)\n" +
    "      (days are inclusive, in the shop's time zone; repeat a filter to allow several values; --out is replaced if it exists)",
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    agent: { type: 'string', multiple: true },
    customer: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    group: { type: 'string', multiple: true },
    keyword: { type: 'string' },
    direction: { type: 'string', multiple: true },
    locale: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ values, dataDir }, io) {
    const from = day('from', values.from);
    const to = day('to', values.to);
    if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
    if (typeof values.out !== 'string' || values.out.trim() === '') throw new UsageError('missing --out PATH');
    const out = path.resolve(values.out);
    const format = formatOf(values.format, out);
    if (path.extname(out).toLowerCase() !== EXPORT_EXTENSIONS[format]) {
      throw new UsageError(`--out must end with ${EXPORT_EXTENSIONS[format]} for --format ${format}`);
    }
    if (!fs.existsSync(path.dirname(out)) || !fs.statSync(path.dirname(out)).isDirectory()) {
      throw new UsageError(`--out: no folder ${path.dirname(out)}`);
    }
    if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a folder`);
    const directions = list(values.direction);
    const unknown = directions.find((d) => !(EXPORT_DIRECTIONS as readonly string[]).includes(d));
    if (unknown !== undefined) throw new UsageError(`unknown --direction "${unknown}" (one of ${EXPORT_DIRECTIONS.join(', ')})`);
    const locale = values.locale ?? 'zh-CN';
    if (!(EXPORT_LOCALES as readonly unknown[]).includes(locale))
      throw new UsageError(`unknown --locale "${String(locale)}" (zh-CN or en)`);

    const parsed = exportStartSchema.safeParse({
      filters: {
        from,
        to,
        agents: list(values.agent),
        customers: list(values.customer),
        tags: list(values.tag),
        groups: list(values.group),
        ...(typeof values.keyword === 'string' ? { keyword: values.keyword } : {}),
        directions,
      },
      format,
      locale,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UsageError(`${issue?.path.slice(1).join('.') ?? 'arguments'}: ${issue?.message ?? 'invalid'}`);
    }
    if (!fs.existsSync(path.join(dataDir, DATA_FILE))) {
      throw new UsageError(`no shop data in ${dataDir} (start the app once, or run jiedai seed-demo)`);
    }

    return withCliSession(dataDir, undefined, async (cli) => {
      const t = translator(parsed.data.locale);
      const progress = progressLine(io);
      let jobId: string | undefined;
      // Heard from the start: the job's events name its id, which the start's answer tells.
      const finished = new Map<string, ExportFinished>();
      let onFinished: ((f: ExportFinished) => void) | undefined;
      const offFinished = cli.on('logExport.finished', (f) => {
        finished.set(f.jobId, f);
        if (f.jobId === jobId) onFinished?.(f);
      });
      const offProgress = cli.on('logExport.progress', (p) => {
        if (p.jobId === jobId) progress(progressText(t, p));
      });
      const onInterrupt = () => {
        if (jobId) void cli.call('logExport.cancel', { jobId }).catch(() => undefined);
      };
      process.once('SIGINT', onInterrupt);
      try {
        // The operator named --out on the command line: the CLI is its own shell, as the desktop's save dialog is.
        const started = await cli.call('logExport.start', parsed.data, { exportDestination: { path: out, overwrite: true } });
        if (!started) throw new Error('the export did not start');
        jobId = started.jobId;
        const result = finished.get(jobId) ?? (await new Promise<ExportFinished>((resolve) => (onFinished = resolve)));
        progress(null);
        const job = (await cli.call('logExport.list', {})).find((j) => j.id === jobId);
        if (values.json) {
          io.out(JSON.stringify({ ...result, format, timeZone: job?.timeZone, filters: parsed.data.filters }));
        } else if (result.status === 'done') {
          io.out(
            t('cli.export.done', {
              rows: formatCount(result.rows),
              path: result.path,
              size: megabytes(result.bytes ?? 0),
              seconds: (result.durationMs / 1000).toFixed(1),
            }),
          );
        }
        if (result.status === 'failed') io.err(`jiedai: ${t('exports.finished.failed', { error: result.error ?? t('error.internal') })}`);
        if (result.status === 'cancelled') io.err(`jiedai: ${t('exports.finished.cancelled')}`);
        return result.status === 'done' ? 0 : result.status === 'cancelled' ? 130 : 1;
      } finally {
        process.off('SIGINT', onInterrupt);
        offFinished();
        offProgress();
      }
    });
  },
};
