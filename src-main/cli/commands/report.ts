import fs from 'node:fs';
import path from 'node:path';
import { isCalendarDay } from '../../../shared/contract/logExport';
import { REPORT_EXTENSIONS, REPORT_FORMATS, reportPeriodSchema, type ReportFormat } from '../../../shared/contract/reports';
import { translator } from '../../../shared/i18n';
import { DATA_FILE } from '../../core/core';
import { withCliSession } from '../caller';
import { UsageError, type Command } from '../command';

const FORMATS = [...REPORT_FORMATS, 'json'] as const;
type Format = (typeof FORMATS)[number];

function day(name: string, v: unknown): string {
  if (typeof v !== 'string') throw new UsageError(`missing --${name} YYYY-MM-DD`);
  if (!isCalendarDay(v)) throw new UsageError(`--${name} "${v}" is not a day written YYYY-MM-DD`);
  return v;
}

function formatOf(format: unknown, out: string | null): Format {
  if (typeof format === 'string') {
    if (!(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`unknown --format "${format}" (one of ${FORMATS.join(', ')})`);
    return format as Format;
  }
  if (out === null) return 'json';
  const ext = path.extname(out).toLowerCase();
  const inferred = ext === '.json' ? 'json' : REPORT_FORMATS.find((f) => REPORT_EXTENSIONS[f] === ext);
  if (!inferred) throw new UsageError(`missing --format ${FORMATS.join('|')}`);
  return inferred;
}

/**
 * `jiedai report`: the reports' table for a period, through the contract as the shop owner (or
 * `--as NICK`, who must be a supervisor). JSON is the whole summary (team, agents, the period
 * before, the series); CSV and XLSX are the table the 报表 screen exports, with the same writers.
 */
export const reportCommand: Command = {
  name: 'report',
  summary: 'print or export the reports (buyers received, asking → ordered/paid, response times, sales, 催付) for a range of days',
  usage:
    'jiedai report --from YYYY-MM-DD --to YYYY-MM-DD [--agent NICK]… [--format csv|xlsx|json] [--out FILE]\n' +
    '      [--granularity day|week] [--locale zh-CN|en] [--as NICK] [--data-dir DIR]\n' +
    "      (days are inclusive, in the shop's time zone; json goes to stdout without --out; csv and xlsx go to --out,\n" +
    "       or to the data folder's exports/ without it; --out is replaced if it exists)",
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    agent: { type: 'string', multiple: true },
    format: { type: 'string' },
    out: { type: 'string' },
    granularity: { type: 'string' },
    locale: { type: 'string' },
    as: { type: 'string' },
  },
  async run({ values, dataDir }, io) {
    const from = day('from', values.from);
    const to = day('to', values.to);
    const out = typeof values.out === 'string' && values.out.trim() !== '' ? path.resolve(values.out) : null;
    const format = formatOf(values.format, out);
    if (out && format !== 'json' && path.extname(out).toLowerCase() !== REPORT_EXTENSIONS[format]) {
      throw new UsageError(`--out must end with ${REPORT_EXTENSIONS[format]} for --format ${format}`);
    }
    if (out && (!fs.existsSync(path.dirname(out)) || !fs.statSync(path.dirname(out)).isDirectory())) {
      throw new UsageError(`--out: no folder ${path.dirname(out)}`);
    }
    if (out && fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a folder`);
    const locale = values.locale ?? 'zh-CN';
    if (locale !== 'zh-CN' && locale !== 'en') throw new UsageError(`unknown --locale "${String(locale)}" (zh-CN or en)`);
    const granularity = values.granularity;
    if (granularity !== undefined && granularity !== 'day' && granularity !== 'week') {
      throw new UsageError(`unknown --granularity "${String(granularity)}" (day or week)`);
    }
    if (!fs.existsSync(path.join(dataDir, DATA_FILE))) {
      throw new UsageError(`no shop data in ${dataDir} (start the app once, or run jiedai seed-demo)`);
    }

    return withCliSession(dataDir, values.as, async (cli) => {
      const nicks = Array.isArray(values.agent) ? values.agent.map(String) : [];
      let agentIds: string[] | undefined;
      if (nicks.length > 0) {
        const agents = await cli.call('agents.list', {});
        agentIds = nicks.map((nick) => {
          const agent = agents.find((a) => a.nick === nick);
          if (!agent) throw new UsageError(`--agent: no agent named ${nick} (agents: ${agents.map((a) => a.nick).join(', ')})`);
          return agent.id;
        });
      }
      const parsed = reportPeriodSchema.safeParse({ from, to, ...(granularity ? { granularity } : {}), ...(agentIds ? { agentIds } : {}) });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(`${issue?.path.join('.') || 'arguments'}: ${issue?.message ?? 'invalid'}`);
      }
      const period = parsed.data;
      if (format === 'json') {
        const summary = await cli.call('reports.summary', period);
        const text = JSON.stringify(summary, null, 2);
        if (out) {
          fs.writeFileSync(out, `${text}\n`);
          io.out(translator(locale)('reports.exported', { path: out }));
        } else io.out(text);
        return 0;
      }
      const written = await cli.call(
        'reports.export',
        { period, format: format as ReportFormat, locale },
        out ? { exportDestination: { path: out, overwrite: true } } : undefined,
      );
      io.out(translator(locale)('reports.exported', { path: written?.path ?? '' }));
      return 0;
    });
  },
};
