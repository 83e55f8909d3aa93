import { newId } from '../../../../shared/domain/ids';
import type { PickerPhrase, PhraseScope } from '../../../../shared/domain/types';
import type { Store } from '../../../store';
import { phraseSearchKeys } from '../searchKeys';
import { ImportError } from './errors';
import { columnName, fileMessage, rowMessage, type Lang, type RowRule } from './messages';
import { readTable, type Format, type Table, type TableRow } from './readTable';
import { unneutralise } from '../../csv/csvText';
import { validateRows, type RowProblem, type ValidRow } from './validate';
import { caughtWords, compileRedLines } from '../../../../shared/domain/redLines/matcher';
import type { Field } from './columns';
import type { ImportReport as ContractImportReport } from '../../../../shared/contract/methods';

export type ImportMode = 'merge' | 'replace';

export type ImportOptions = {
  /** Where rows without a 是否加入团队 column go. */
  scope: PhraseScope;
  mode: ImportMode;
  /** Write the valid rows even when some are invalid (default: all or nothing). */
  skipInvalid: boolean;
  encoding?: string | undefined;
  sheet?: string | undefined;
  lang: Lang;
  /** The importing agent: personal phrases become theirs. */
  agentId: string;
  /** Told as the pipeline moves on (for progress; tests use 'write' to crash mid-commit). */
  onPhase?: (phase: 'read' | 'check' | 'write') => void;
};

export type ImportProblem = { row: number; column: Field; columnName: string; rule: RowRule; message: string };

/**
 * outcome — dry_run: nothing written (a preview); committed: written; stopped: invalid rows stopped an
 * all-or-nothing commit; refused: the file itself could not be imported (`error` says why).
 */
export type ImportReport = Omit<ContractImportReport, 'problems' | 'format'> & { format: Format | null; problems: ImportProblem[] };

/**
 * A delimited file with a UTF-8 BOM may be our own export, whose writer put an apostrophe before
 * formula-looking cells (`'=SUM(A1)`). That apostrophe is taken off again, exactly the one added
 * (Excel itself never writes a leading apostrophe into CSV: it is a display prefix there), so our own
 * file round-trips. Files without a BOM (Qianniu's GBK exports) are taken as written.
 */
function undoNeutralising(table: Table): Table {
  if (table.format === 'xlsx' || table.format === 'json' || table.encoding !== 'utf-8-bom') return table;
  const rows = table.rows.map((r) => ({
    ...r,
    values: Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, v === undefined ? v : unneutralise(v)])) as TableRow['values'],
  }));
  return { ...table, rows };
}

type Planned = { row: ValidRow; existing: PickerPhrase | null; status: 'new' | 'updated' | 'unchanged' };

const key = (scope: PhraseScope, s: string) => `${scope}\u0000${s}`;

/** Compares the valid rows with the library: what is new, what changes, what stays, what a replace deletes. */
function plan(store: Store, valid: ValidRow[], options: ImportOptions) {
  const { groups, phrases } = store.phrases.forPicker(options.agentId);
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  const byCode = new Map<string, PickerPhrase>();
  const byGroupContent = new Map<string, PickerPhrase>();
  for (const p of phrases) {
    if (p.code) byCode.set(key(p.scope, p.code), p);
    byGroupContent.set(key(p.scope, `${groupName.get(p.groupId)}\u0000${p.content}`), p);
  }
  const planned: Planned[] = valid.map((row) => {
    const existing =
      (row.code ? byCode.get(key(row.scope, row.code)) : byGroupContent.get(key(row.scope, `${row.group}\u0000${row.content}`))) ?? null;
    if (!existing) return { row, existing, status: 'new' };
    const same =
      groupName.get(existing.groupId) === row.group &&
      existing.title === row.title &&
      existing.content === row.content &&
      existing.code === row.code;
    return { row, existing, status: same ? 'unchanged' : 'updated' };
  });
  let deleted: PickerPhrase[] = [];
  if (options.mode === 'replace') {
    const inFile = new Set(valid.map((r) => key(r.scope, r.group)));
    const kept = new Set(planned.flatMap((p) => (p.existing ? [p.existing.id] : [])));
    deleted = phrases.filter((p) => inFile.has(key(p.scope, groupName.get(p.groupId) ?? '')) && !kept.has(p.id));
  }
  return { planned, deleted };
}

function write(store: Store, planned: Planned[], deleted: PickerPhrase[], agentId: string, now: number): void {
  store.tx(() => {
    const groupIds = new Map<string, string>();
    const groupFor = (scope: PhraseScope, name: string): string => {
      const k = key(scope, name);
      const known = groupIds.get(k);
      if (known) return known;
      const owner = scope === 'team' ? '' : agentId;
      let group = store.phrases.groupByName(scope, owner, name);
      if (!group) {
        const id = newId();
        store.phrases.insertGroup({ id, scope, owner, name, sort: store.phrases.groupsOf(scope, owner).length, created_at: now });
        group = store.phrases.group(id)!;
      }
      groupIds.set(k, group.id);
      return group.id;
    };
    // The next position in each group, read once per group (not once per phrase).
    const nextSort = new Map<string, number>();
    const takeSort = (groupId: string): number => {
      const n = nextSort.get(groupId) ?? store.phrases.nextSort(groupId);
      nextSort.set(groupId, n + 1);
      return n;
    };
    for (const p of deleted) store.phrases.remove(p.id, now);
    for (const { row, existing, status } of planned) {
      if (status === 'unchanged') continue;
      const groupId = groupFor(row.scope, row.group);
      const searchKeys = phraseSearchKeys(row);
      if (existing) {
        const current = store.phrases.phrase(existing.id)!;
        store.phrases.update({
          ...current,
          group_id: groupId,
          code: row.code,
          title: row.title,
          content: row.content,
          search_keys: searchKeys,
          sort: current.group_id === groupId ? current.sort : takeSort(groupId),
          updated_at: now,
        });
      } else {
        store.phrases.insert({
          id: newId(),
          scope: row.scope,
          owner: row.scope === 'team' ? '' : agentId,
          group_id: groupId,
          code: row.code,
          title: row.title,
          content: row.content,
          search_keys: searchKeys,
          use_count: 0,
          last_used_at: null,
          sort: takeSort(groupId),
          created_at: now,
          updated_at: now,
        });
      }
    }
  });
}

/** Rows whose title or content holds one of the shop's red-line words: reported, still imported. */
function redLineWarnings(store: Store, rows: ValidRow[]): RowProblem[] {
  const matcher = compileRedLines(store.redLines.words(), store.redLines.exceptions());
  const out: RowProblem[] = [];
  for (const r of rows) {
    for (const column of ['title', 'content'] as const) {
      const words = caughtWords(matcher.find(r[column]));
      if (words.length > 0) out.push({ row: r.row, column, rule: 'red_line', params: { words: words.join('、') } });
    }
  }
  return out.sort((a, b) => a.row - b.row);
}

/**
 * The import pipeline: read → validate → compare with the library → (commit). A dry run writes
 * nothing. A commit is one transaction: it lands whole or not at all.
 */
export async function importPhrases(
  store: Store,
  fileName: string,
  data: Buffer,
  options: ImportOptions & { commit: boolean; now?: number },
): Promise<ImportReport> {
  const base: ImportReport = {
    fileName,
    format: null,
    encoding: null,
    delimiter: null,
    sheet: null,
    unit: 'row',
    rows: 0,
    counts: { new: 0, updated: 0, unchanged: 0, invalid: 0, deleted: 0 },
    problems: [],
    unknownColumns: [],
    mode: options.mode,
    skipInvalid: options.skipInvalid,
    outcome: 'refused',
    error: null,
  };
  options.onPhase?.('read');
  let table;
  try {
    table = undoNeutralising(await readTable(fileName, data, { encoding: options.encoding, sheet: options.sheet }));
  } catch (error) {
    if (error instanceof ImportError) return { ...base, error: fileMessage(options.lang, error.code, error.params) };
    throw error;
  }
  options.onPhase?.('check');
  const { valid, problems, invalidRows } = validateRows(table.rows, options.scope);
  problems.push(...redLineWarnings(store, valid));
  const { planned, deleted } = plan(store, valid, options);
  const count = (s: Planned['status']) => planned.filter((p) => p.status === s).length;
  const report: ImportReport = {
    ...base,
    format: table.format,
    encoding: table.encoding ?? null,
    delimiter: table.delimiter ?? null,
    sheet: table.sheet ?? null,
    unit: table.unit,
    rows: table.rows.length,
    counts: { new: count('new'), updated: count('updated'), unchanged: count('unchanged'), invalid: invalidRows, deleted: deleted.length },
    problems: problems.map((p) => ({
      row: p.row,
      column: p.column,
      columnName: columnName(options.lang, p.column),
      rule: p.rule,
      message: rowMessage(options.lang, p.column, p.rule, p.params),
    })),
    unknownColumns: table.header.unknown,
    outcome: 'dry_run',
  };
  if (!options.commit) return report;
  if (invalidRows > 0 && !options.skipInvalid) return { ...report, outcome: 'stopped' };
  options.onPhase?.('write');
  write(store, planned, deleted, options.agentId, options.now ?? Date.now());
  return { ...report, outcome: 'committed' };
}
