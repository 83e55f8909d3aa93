import type { PickerPhrase, ReplyGroup, ReplyScope } from '../../shared/domain/types';
import type { ChangeQueries } from './changes';
import type { Db } from './connection';

export type ReplyGroupRow = { id: string; scope: ReplyScope; owner: string; name: string; sort: number; created_at: number };
export type ReplyRow = {
  id: string;
  scope: ReplyScope;
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
};

/** Quick phrases (快捷短语): team (owner '') and personal (owner = agent id), each with groups. */
export function replyQueries(db: Db, changes: ChangeQueries) {
  const insertGroup = db.prepare(
    `INSERT INTO reply_groups (id, scope, owner, name, sort, created_at) VALUES (@id, @scope, @owner, @name, @sort, @created_at)
     ON CONFLICT(id) DO NOTHING`,
  );
  const insertReply = db.prepare(
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
  const replyById = db.prepare('SELECT * FROM replies WHERE id = ?');

  return {
    /** The team's phrases and this agent's own, with their precomputed search keys: what the picker matches. */
    forPicker(agentId: string): { groups: ReplyGroup[]; phrases: PickerPhrase[] } {
      return {
        groups: pickerGroups.all(agentId) as ReplyGroup[],
        phrases: (pickerPhrases.all(agentId) as ReplyRow[]).map(toPickerPhrase),
      };
    },
    /** Counts a use (the picker ranks often and recently used phrases higher). */
    markUsed(id: string, at: number): PickerPhrase | undefined {
      if (markUsed.run(at, id).changes === 0) return undefined;
      const phrase = toPickerPhrase(replyById.get(id) as ReplyRow);
      changes.append('reply', id, 'upsert', phrase, at);
      return phrase;
    },
    insertGroup(row: ReplyGroupRow): void {
      insertGroup.run(row);
      changes.append('reply_group', row.id, 'upsert', { id: row.id, scope: row.scope, name: row.name, sort: row.sort }, row.created_at);
    },
    insert(row: ReplyRow): void {
      insertReply.run(row);
      changes.append(
        'reply',
        row.id,
        'upsert',
        { id: row.id, scope: row.scope, groupId: row.group_id, code: row.code, title: row.title, content: row.content, useCount: row.use_count },
        row.updated_at,
      );
    },
  };
}

function toPickerPhrase(r: ReplyRow): PickerPhrase {
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
  };
}
