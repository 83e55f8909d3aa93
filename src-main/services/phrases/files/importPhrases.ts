import { newId } from '../../../../shared/domain/ids';
import type { PickerPhrase, PhraseScope } from '../../../../shared/domain/types';
import type { Store } from '../../../store';
import { ImportError } from './errors';
import { columnName, fileMessage, rowMessage, type Lang, type RowRule } from './messages';
import type { Format } from './readTable';
import { parsePhraseFile, type KeyedRow, type ParsePhraseFile } from './parsePhraseFile';
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
  /** Reads, checks and keys the file: on the parse thread in the app (parseOffThread.ts), here by default. */
  parse?: ParsePhraseFile | undefined;
};

export type ImportProblem = { row: number; column: Field; columnName: string; rule: RowRule; message: string };

/**
 * outcome — dry_run: nothing written (a preview); committed: written; stopped: invalid rows stopped an
 * all-or-nothing commit; refused: the file itself could not be imported (`error` says why).
 */
export type ImportReport = Omit<ContractImportReport, 'problems' | 'format'> & { format: Format | null; problems: ImportProblem[] };

type Planned = { row: KeyedRow; existing: PickerPhrase | null; status: 'new' | 'updated' | 'unchanged' };

const key = (scope: PhraseScope, s: string) => `${scope}\u0000${s}`;

/** Compares the valid rows with the library: what is new, what changes, what stays, what a replace deletes. */
function plan(store: Store, valid: KeyedRow[], options: ImportOptions) {
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
      const searchKeys = row.searchKeys;
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
  // The shop's red lines go with the file: rows holding one are reported (and still imported).
  const redLines = {
    words: store.redLines.words().map((w) => ({ word: w.word, category: w.category })),
    exceptions: store.redLines.exceptions(),
  };
  let parsed;
  try {
    parsed = await (options.parse ?? parsePhraseFile)(fileName, data, {
      encoding: options.encoding,
      sheet: options.sheet,
      scope: options.scope,
      redLines,
    });
  } catch (error) {
    if (error instanceof ImportError) return { ...base, error: fileMessage(options.lang, error.code, error.params) };
    throw error;
  }
  options.onPhase?.('check');
  const { valid, problems, invalidRows } = parsed;
  const { planned, deleted } = plan(store, valid, options);
  const count = (s: Planned['status']) => planned.filter((p) => p.status === s).length;
  const report: ImportReport = {
    ...base,
    format: parsed.format,
    encoding: parsed.encoding,
    delimiter: parsed.delimiter,
    sheet: parsed.sheet,
    unit: parsed.unit,
    rows: parsed.rows,
    counts: { new: count('new'), updated: count('updated'), unchanged: count('unchanged'), invalid: invalidRows, deleted: deleted.length },
    problems: problems.map((p) => ({
      row: p.row,
      column: p.column,
      columnName: columnName(options.lang, p.column),
      rule: p.rule,
      message: rowMessage(options.lang, p.column, p.rule, p.params),
    })),
    unknownColumns: parsed.unknownColumns,
    outcome: 'dry_run',
  };
  if (!options.commit) return report;
  if (invalidRows > 0 && !options.skipInvalid) return { ...report, outcome: 'stopped' };
  options.onPhase?.('write');
  write(store, planned, deleted, options.agentId, options.now ?? Date.now());
  return { ...report, outcome: 'committed' };
}
