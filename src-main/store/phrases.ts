import type { PhraseImage, PickerPhrase, PhraseGroup, PhraseScope } from '../../shared/domain/types';
import type { ChangeQueries } from './changes';
import type { Statement } from 'better-sqlite3';
import { uniqueOrConflict, type Db } from './connection';

export type PhraseGroupRow = { id: string; scope: PhraseScope; owner: string; name: string; sort: number; created_at: number };
export type PhraseRow = {
  id: string;
  scope: PhraseScope;
  owner: string;
  group_id: string;
  code: string;
  title: string;
  content: string;
  search_keys: string;
  use_count: number;
  last_used_at: number | null;
  sort: number;
  created_at: number;
  updated_at: number;
  /** The phrase's picture as JSON (`PhraseImage`), NULL: none (migration 0016). Left out of a write: kept as it is. */
  image?: string | null;
};

/** Quick phrases (快捷短语): team (owner '') and personal (owner = agent id), each with groups. */
export function phraseQueries(db: Db, changes: ChangeQueries) {
  const insertGroup = db.prepare(
    `INSERT INTO reply_groups (id, scope, owner, name, sort, created_at) VALUES (@id, @scope, @owner, @name, @sort, @created_at)
     ON CONFLICT(id) DO NOTHING`,
  );
  const insertPhrase = db.prepare(
    `INSERT INTO replies (id, scope, owner, group_id, code, title, content, search_keys, use_count, last_used_at, sort,
       created_at, updated_at)
     VALUES (@id, @scope, @owner, @group_id, @code, @title, @content, @search_keys, @use_count, @last_used_at, @sort,
       @created_at, @updated_at) ON CONFLICT(id) DO NOTHING`,
  );
  const pickerGroups = db.prepare(
    `SELECT id, scope, name, sort FROM reply_groups WHERE scope = 'team' OR (scope = 'personal' AND owner = ?) ORDER BY scope DESC, sort, name`,
  );
  const pickerPhrases = db.prepare(
    `SELECT * FROM replies WHERE scope = 'team' OR (scope = 'personal' AND owner = ?) ORDER BY sort, created_at`,
  );
  const markUsed = db.prepare('UPDATE replies SET use_count = use_count + 1, last_used_at = ? WHERE id = ?');
  // Prepared on first use: a store opened on an older file by a migration's test must not need the table.
  let addUseDayStmt: Statement<unknown[]> | null = null;
  const addUseDay = () =>
    (addUseDayStmt ??= db.prepare<unknown[]>(
      'INSERT INTO phrase_use_days (phrase_id, day, n) VALUES (?, ?, ?) ON CONFLICT(phrase_id, day) DO UPDATE SET n = n + excluded.n',
    ));
  const phraseById = db.prepare('SELECT * FROM replies WHERE id = ?');
  const groupById = db.prepare('SELECT * FROM reply_groups WHERE id = ?');
  const groupByName = db.prepare('SELECT * FROM reply_groups WHERE scope = ? AND owner = ? AND name = ?');
  const codeTaken = db.prepare('SELECT id FROM replies WHERE scope = ? AND owner = ? AND code = ? AND id <> ?').pluck();
  const updatePhrase = db.prepare(
    `UPDATE replies SET group_id = @group_id, code = @code, title = @title, content = @content, search_keys = @search_keys,
       sort = @sort, updated_at = @updated_at WHERE id = @id`,
  );
  // Prepared on first use: a store opened over a schema before 0016 (a migration's test) has no such column.
  let setImageStmt: Statement<unknown[]> | null = null;
  const setImage = {
    run: (image: string | null, id: string) =>
      (setImageStmt ??= db.prepare<unknown[]>('UPDATE replies SET image = ? WHERE id = ?')).run(image, id),
  };
  const deletePhrase = db.prepare('DELETE FROM replies WHERE id = ?');
  const phrasesInGroup = db.prepare('SELECT * FROM replies WHERE group_id = ? ORDER BY sort, created_at');
  const setPhraseSort = db.prepare('UPDATE replies SET group_id = ?, sort = ?, updated_at = ? WHERE id = ?');
  const renameGroup = db.prepare('UPDATE reply_groups SET name = ? WHERE id = ?');
  const deleteGroup = db.prepare('DELETE FROM reply_groups WHERE id = ?');
  const groupsOf = db.prepare('SELECT * FROM reply_groups WHERE scope = ? AND owner = ? ORDER BY sort, name');
  const setGroupSort = db.prepare('UPDATE reply_groups SET sort = ? WHERE id = ?');

  return {
    /** The team's phrases and this agent's own, with their precomputed search keys: what the picker matches. */
    forPicker(agentId: string): { groups: PhraseGroup[]; phrases: PickerPhrase[] } {
      return {
        groups: pickerGroups.all(agentId) as PhraseGroup[],
        phrases: (pickerPhrases.all(agentId) as PhraseRow[]).map(toPickerPhrase),
      };
    },
    /**
     * Counts a use (the picker ranks often and recently used phrases higher), and one for `day` (the
     * shop-local day number of `at`) in the per-day table the reports read for a period.
     */
    markUsed(id: string, at: number, day: number): PickerPhrase | undefined {
      if (markUsed.run(at, id).changes === 0) return undefined;
      addUseDay().run(id, day, 1);
      const phrase = toPickerPhrase(phraseById.get(id) as PhraseRow);
      changes.append('phrase', id, 'upsert', phrase, at);
      return phrase;
    },
    /** Seeding and copying: `n` uses of a phrase on a shop-local day, added to what the day has. */
    addUseDay(id: string, day: number, n: number): void {
      if (n > 0) addUseDay().run(id, day, n);
    },
    phrase(id: string): PhraseRow | undefined {
      return phraseById.get(id) as PhraseRow | undefined;
    },
    group(id: string): PhraseGroupRow | undefined {
      return groupById.get(id) as PhraseGroupRow | undefined;
    },
    groupByName(scope: PhraseScope, owner: string, name: string): PhraseGroupRow | undefined {
      return groupByName.get(scope, owner, name) as PhraseGroupRow | undefined;
    },
    /** Another phrase of the same scope (and owner) already using this shortcut code. */
    codeTakenBy(scope: PhraseScope, owner: string, code: string, exceptId: string): string | undefined {
      return code === '' ? undefined : (codeTaken.get(scope, owner, code, exceptId) as string | undefined);
    },
    update(row: PhraseRow): void {
      const { image, ...fields } = row;
      uniqueOrConflict(() => updatePhrase.run(fields), `the shortcut code ${row.code} is taken`);
      if (image !== undefined) setImage.run(image, row.id);
      changes.append('phrase', row.id, 'upsert', toPickerPhrase(phraseById.get(row.id) as PhraseRow), row.updated_at);
    },
    remove(id: string, at: number): boolean {
      if (deletePhrase.run(id).changes === 0) return false;
      changes.append('phrase', id, 'delete', { id }, at);
      return true;
    },
    /** Moves a phrase into a group at a position, renumbering that group's order. */
    move(id: string, groupId: string, index: number, at: number): void {
      const others = (phrasesInGroup.all(groupId) as PhraseRow[]).filter((r) => r.id !== id);
      const at0 = Math.max(0, Math.min(index, others.length));
      const moving = phraseById.get(id) as PhraseRow;
      const ordered = [...others.slice(0, at0), moving, ...others.slice(at0)];
      ordered.forEach((r, i) => {
        if (r.sort === i && r.group_id === groupId) return;
        setPhraseSort.run(groupId, i, at, r.id);
        changes.append('phrase', r.id, 'upsert', toPickerPhrase({ ...r, group_id: groupId, sort: i, updated_at: at }), at);
      });
    },
    nextSort(groupId: string): number {
      return (phrasesInGroup.all(groupId) as PhraseRow[]).length;
    },
    renameGroup(id: string, name: string, at: number): void {
      uniqueOrConflict(() => renameGroup.run(name, id), `there is already a group ${name}`);
      const g = groupById.get(id) as PhraseGroupRow;
      changes.append('phrase_group', id, 'upsert', { id, scope: g.scope, name: g.name, sort: g.sort }, at);
    },
    /** Deletes a group and, with it, its phrases (the library screen asks first). */
    removeGroup(id: string, at: number): void {
      for (const r of phrasesInGroup.all(id) as PhraseRow[]) changes.append('phrase', r.id, 'delete', { id: r.id }, at);
      deleteGroup.run(id);
      changes.append('phrase_group', id, 'delete', { id }, at);
    },
    groupsOf(scope: PhraseScope, owner: string): PhraseGroupRow[] {
      return groupsOf.all(scope, owner) as PhraseGroupRow[];
    },
    moveGroup(id: string, index: number, at: number): void {
      const g = groupById.get(id) as PhraseGroupRow;
      const others = (groupsOf.all(g.scope, g.owner) as PhraseGroupRow[]).filter((x) => x.id !== id);
      const at0 = Math.max(0, Math.min(index, others.length));
      [...others.slice(0, at0), g, ...others.slice(at0)].forEach((x, i) => {
        if (x.sort === i) return;
        setGroupSort.run(i, x.id);
        changes.append('phrase_group', x.id, 'upsert', { id: x.id, scope: x.scope, name: x.name, sort: i }, at);
      });
    },
    insertGroup(row: PhraseGroupRow): void {
      uniqueOrConflict(() => insertGroup.run(row), `there is already a group ${row.name}`);
      changes.append('phrase_group', row.id, 'upsert', { id: row.id, scope: row.scope, name: row.name, sort: row.sort }, row.created_at);
    },
    insert(row: PhraseRow): void {
      const { image, ...fields } = row;
      uniqueOrConflict(() => insertPhrase.run(fields), `the shortcut code ${row.code} is taken`);
      if (image) setImage.run(image, row.id);
      changes.append('phrase', row.id, 'upsert', toPickerPhrase(phraseById.get(row.id) as PhraseRow), row.updated_at);
    },
  };
}

/** A stored phrase in the shape the picker, the change feed and the replica's bootstrap share. */
export function toPickerPhrase(r: PhraseRow): PickerPhrase {
  return {
    id: r.id,
    scope: r.scope,
    groupId: r.group_id,
    code: r.code,
    title: r.title,
    content: r.content,
    useCount: r.use_count,
    searchKeys: r.search_keys,
    lastUsedAt: r.last_used_at,
    sort: r.sort,
    ...(r.image ? { image: JSON.parse(r.image) as PhraseImage } : {}),
  };
}
