import fs from 'node:fs';
import path from 'node:path';
import type { ImportReport } from '../../../shared/contract/methods';
import { LANGS, type Lang } from '../../../shared/domain/lang';
import { MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FILE_MB } from '../../../shared/domain/phraseRules';
import { translator } from '../../../shared/i18n';
import { withCliSession } from '../caller';
import { UsageError, type Command } from '../command';

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
}

export const importPhrasesCommand: Command = {
  name: 'import-phrases',
  aliases: ['import-replies'],
  summary: 'import phrases from .xlsx/.csv/.tsv/.txt/.json (a dry run unless --commit)',
  usage:
    'jiedai import-phrases FILE [--commit] [--mode merge|replace] [--skip-invalid] [--scope team|personal] [--encoding E] [--sheet S] [--lang zh-CN|en] [--as NICK] [--json] [--data-dir DIR]',
  positionals: { min: 1, max: 1 },
  options: {
    commit: { type: 'boolean', default: false },
    mode: { type: 'string' },
    'skip-invalid': { type: 'boolean', default: false },
    scope: { type: 'string' },
    encoding: { type: 'string' },
    sheet: { type: 'string' },
    lang: { type: 'string' },
    as: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ values, positionals, dataDir }, io) {
    const mode = oneOf(values.mode, ['merge', 'replace'] as const, 'mode') ?? 'merge';
    const scope = oneOf(values.scope, ['team', 'personal'] as const, 'scope') ?? 'team';
    const lang = oneOf(values.lang, LANGS, 'lang') ?? 'zh-CN';
    const file = positionals[0]!;
    let data: Buffer;
    try {
      // The contract's own limit, said before the whole file is read and sent.
      if (fs.statSync(file).size > MAX_IMPORT_FILE_BYTES) {
        io.err(`jiedai: ${file} is over ${MAX_IMPORT_FILE_MB} MB, the largest file an import takes`);
        return 2;
      }
      data = fs.readFileSync(file);
    } catch (error) {
      io.err(`jiedai: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
    return withCliSession(dataDir, values.as, async (cli) => {
      if (scope === 'personal' && !cli.caller.agentId) throw new UsageError('--scope personal needs --as NICK: whose personal phrases?');
      const args = {
        fileName: path.basename(file),
        dataBase64: data.toString('base64'),
        mode,
        scope,
        lang,
        skipInvalid: values['skip-invalid'] === true,
        ...(typeof values.encoding === 'string' ? { encoding: values.encoding } : {}),
        ...(typeof values.sheet === 'string' ? { sheet: values.sheet } : {}),
      };
      const report = await cli.call(values.commit === true ? 'phrases.importCommit' : 'phrases.importPreview', args);
      if (values.json) io.out(JSON.stringify(report));
      else printReport(report, lang, io.out);
      if (report.outcome === 'refused') {
        io.err(`jiedai: ${report.error}`);
        return 2;
      }
      return report.counts.invalid > 0 && !report.skipInvalid ? 1 : 0;
    });
  },
};

/** The dry run's or the import's report, in the words the desk's import dialog uses (shared/i18n). */
function printReport(r: ImportReport, lang: Lang, out: (s: string) => void): void {
  if (r.outcome === 'refused') return;
  const t = translator(lang);
  const items = r.unit === 'item';
  const where = [r.format, r.sheet, r.encoding].filter(Boolean).join(', ');
  const c = r.counts;
  out(`${r.fileName} (${where}): ${t(items ? 'cli.import.items' : 'cli.import.rows', { n: r.rows })}`);
  out(
    `  ${[t('import.new', { n: c.new }), t('import.updated', { n: c.updated }), t('import.unchanged', { n: c.unchanged }), t('import.invalid', { n: c.invalid }), t('import.deleted', { n: c.deleted })].join(' · ')}`,
  );
  for (const p of r.problems) out(`  ${t(items ? 'cli.import.item' : 'cli.import.row', { n: p.row })} · ${p.message}`);
  if (r.unknownColumns.length > 0) out(`  ${t('import.ignored', { columns: r.unknownColumns.join(lang === 'zh-CN' ? '、' : ', ') })}`);
  out(t(r.outcome === 'dry_run' ? 'cli.import.dryRun' : r.outcome === 'stopped' ? 'cli.import.stopped' : 'cli.import.committed'));
}

export const exportPhrasesCommand: Command = {
  name: 'export-phrases',
  aliases: ['export-replies'],
  summary: 'export the phrase library to FILE (.xlsx, .csv or .json), in the import columns',
  usage: 'jiedai export-phrases FILE [--as NICK] [--data-dir DIR]',
  positionals: { min: 1, max: 1 },
  options: { as: { type: 'string' } },
  async run({ values, positionals, dataDir }, io) {
    const file = positionals[0]!;
    const ext = path.extname(file).slice(1).toLowerCase();
    if (!['xlsx', 'csv', 'json'].includes(ext))
      throw new UsageError(`FILE must end in .xlsx, .csv or .json (got "${path.basename(file)}")`);
    return withCliSession(dataDir, values.as, async (cli) => {
      const exported = await cli.call('phrases.export', { format: ext as 'xlsx' | 'csv' | 'json' });
      const data = Buffer.from(exported.dataBase64, 'base64');
      try {
        const temp = `${file}.part`;
        fs.writeFileSync(temp, data);
        fs.renameSync(temp, file);
      } catch (error) {
        io.err(`jiedai: cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
        return 2;
      }
      io.out(`${file}: ${data.length} bytes`);
      return 0;
    });
  },
};
