import fs from 'node:fs';
import path from 'node:path';
import type { ImportReport } from '../../../shared/contract/methods';
import { Core } from '../../core/core';
import { importReplies } from '../../services/replyImport';
import { exportReplies, type ExportFormat } from '../../services/replyImport/exportReplies';
import { cliCaller } from '../caller';
import { UsageError, type Command } from '../command';

const WORDS = {
  'zh-CN': {
    rows: (n: number, unit: string) => `${n} ${unit === 'item' ? '条' : '行'}`,
    counts: (c: ImportReport['counts']) => `新增 ${c.new} · 更新 ${c.updated} · 未变 ${c.unchanged} · 无效 ${c.invalid} · 删除 ${c.deleted}`,
    row: (n: number, unit: string) => (unit === 'item' ? `第 ${n} 条` : `第 ${n} 行`),
    unknown: (cols: string[]) => `已忽略的列：${cols.join('、')}`,
    dry: '试运行，未写入。加 --commit 导入。',
    stopped: '有无效行，未写入任何内容。修正后重试，或加 --skip-invalid 只导入有效行。',
    committed: '已导入。',
  },
  en: {
    rows: (n: number, unit: string) => `${n} ${unit === 'item' ? 'items' : 'rows'}`,
    counts: (c: ImportReport['counts']) => `new ${c.new} · updated ${c.updated} · unchanged ${c.unchanged} · invalid ${c.invalid} · deleted ${c.deleted}`,
    row: (n: number, unit: string) => (unit === 'item' ? `item ${n}` : `row ${n}`),
    unknown: (cols: string[]) => `columns ignored: ${cols.join(', ')}`,
    dry: 'Dry run: nothing written. Add --commit to import.',
    stopped: 'Invalid rows: nothing was written. Fix them, or add --skip-invalid to import the valid rows only.',
    committed: 'Imported.',
  },
};

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
}

export const importRepliesCommand: Command = {
  name: 'import-replies',
  summary: 'import reply scripts from .xlsx/.csv/.tsv/.txt/.json (a dry run unless --commit)',
  usage:
    'jiedai import-replies FILE [--commit] [--mode merge|replace] [--skip-invalid] [--scope team|personal] [--encoding E] [--sheet S] [--lang zh-CN|en] [--as NICK] [--json] [--data-dir DIR]',
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
    const lang = oneOf(values.lang, ['zh-CN', 'en'] as const, 'lang') ?? 'zh-CN';
    const file = positionals[0]!;
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch (error) {
      io.err(`jiedai: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
    const core = new Core({ dataDir, seedDemo: false, demoBuyers: { enabled: false } });
    try {
      const { agentId } = cliCaller(core, values.as);
      if (scope === 'personal' && !agentId) throw new UsageError('--scope personal needs --as NICK: whose personal phrases?');
      const report = await importReplies(core.store, path.basename(file), data, {
        mode,
        scope,
        lang,
        skipInvalid: values['skip-invalid'] === true,
        encoding: typeof values.encoding === 'string' ? values.encoding : undefined,
        sheet: typeof values.sheet === 'string' ? values.sheet : undefined,
        agentId,
        commit: values.commit === true,
      });
      if (values.json) io.out(JSON.stringify(report));
      else printReport(report, lang, io.out);
      if (report.outcome === 'refused') {
        io.err(`jiedai: ${report.error}`);
        return 2;
      }
      return report.counts.invalid > 0 && !report.skipInvalid ? 1 : 0;
    } finally {
      core.close();
    }
  },
};

function printReport(r: ImportReport, lang: 'zh-CN' | 'en', out: (s: string) => void): void {
  if (r.outcome === 'refused') return;
  const w = WORDS[lang];
  const where = [r.format, r.sheet, r.encoding].filter(Boolean).join(', ');
  out(`${r.fileName} (${where}): ${w.rows(r.rows, r.unit)}`);
  out(`  ${w.counts(r.counts)}`);
  for (const p of r.problems) out(`  ${w.row(p.row, r.unit)} · ${p.message}`);
  if (r.unknownColumns.length > 0) out(`  ${w.unknown(r.unknownColumns)}`);
  out(r.outcome === 'dry_run' ? w.dry : r.outcome === 'stopped' ? w.stopped : w.committed);
}

export const exportRepliesCommand: Command = {
  name: 'export-replies',
  summary: 'export the phrase library to FILE (.xlsx, .csv or .json), in the import columns',
  usage: 'jiedai export-replies FILE [--as NICK] [--data-dir DIR]',
  positionals: { min: 1, max: 1 },
  options: { as: { type: 'string' } },
  async run({ values, positionals, dataDir }, io) {
    const file = positionals[0]!;
    const ext = path.extname(file).slice(1).toLowerCase();
    if (!['xlsx', 'csv', 'json'].includes(ext)) throw new UsageError(`FILE must end in .xlsx, .csv or .json (got "${path.basename(file)}")`);
    const core = new Core({ dataDir, seedDemo: false, demoBuyers: { enabled: false } });
    try {
      const { agentId } = cliCaller(core, values.as);
      const data = await exportReplies(core.store, agentId, ext as ExportFormat);
      const temp = `${file}.part`;
      fs.writeFileSync(temp, data);
      fs.renameSync(temp, file);
      io.out(`${file}: ${data.length} bytes`);
      return 0;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      io.err(`jiedai: cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    } finally {
      core.close();
    }
  },
};
