import type { RedLineCategory, RedLineRow } from '../../shared/domain/redLines/defaults';
import type { ChangeQueries } from './changes';
import type { Statement } from 'better-sqlite3';
import type { Db } from './connection';

export type RedLineWordRow = {
  key: string;
  word: string;
  category: RedLineCategory;
  caught_sent: number;
  caught_stopped: number;
  last_caught_at: number | null;
  sort: number;
};

/**
 * The shop's red-line words and exceptions. Every change of the list writes `red_line` rows to the
 * change feed in its own transaction (the desks' replicas carry the list; the composer reads it there).
 * Catch counts are not feed data.
 */
export function redLineQueries(db: Db, changes: ChangeQueries) {
  // Prepared on first use: a store is also made over files migrated only part of the way (older
  // migrations' tests), which have no red-line tables.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each statement binds its own parameters
  const cache = new Map<string, Statement<any[]>>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  const sql = (text: string) => (): Statement<any[]> => {
    let statement = cache.get(text);
    if (!statement) cache.set(text, (statement = db.prepare(text)));
    return statement;
  };
  const words = sql('SELECT * FROM red_line_words ORDER BY sort, key');
  const exceptions = sql('SELECT phrase FROM red_line_exceptions ORDER BY sort, key');
  const exceptionKeys = sql('SELECT key FROM red_line_exceptions');
  const upsertWord = sql(
    'INSERT INTO red_line_words (key, word, category, sort) VALUES (@key, @word, @category, @sort) ON CONFLICT(key) DO UPDATE SET word = excluded.word, category = excluded.category, sort = excluded.sort',
  );
  const addWord = sql(
    'INSERT INTO red_line_words (key, word, category, sort) VALUES (@key, @word, @category, @sort) ON CONFLICT(key) DO NOTHING',
  );
  const addException = sql('INSERT INTO red_line_exceptions (key, phrase, sort) VALUES (@key, @phrase, @sort) ON CONFLICT(key) DO NOTHING');
  const maxSort = sql('SELECT COALESCE(MAX(sort), -1) FROM red_line_words');
  const maxExceptionSort = sql('SELECT COALESCE(MAX(sort), -1) FROM red_line_exceptions');
  const dropMissing = sql('DELETE FROM red_line_words WHERE key NOT IN (SELECT value FROM json_each(?))');
  const clearExceptions = sql('DELETE FROM red_line_exceptions');
  const catchSent = sql('UPDATE red_line_words SET caught_sent = caught_sent + 1, last_caught_at = ? WHERE key = ?');
  const catchStopped = sql('UPDATE red_line_words SET caught_stopped = caught_stopped + 1, last_caught_at = ? WHERE key = ?');
  const entryRows = sql(
    `SELECT 'w:' || key AS id, 'word' AS kind, word AS text, category, sort FROM red_line_words
     UNION ALL SELECT 'x:' || key AS id, 'exception' AS kind, phrase AS text, NULL AS category, sort FROM red_line_exceptions`,
  );
  const entries = () => new Map((entryRows().all() as RedLineRow[]).map((r) => [r.id, r]));
  /** Runs a write and records in the feed each entry it added, changed or removed (same transaction). */
  const logged = <T>(at: number, write: () => T): T =>
    db.transaction(() => {
      const before = entries();
      const result = write();
      const after = entries();
      for (const [id, row] of after) {
        const old = before.get(id);
        if (!old || JSON.stringify(old) !== JSON.stringify(row)) changes.append('red_line', id, 'upsert', row, at);
      }
      for (const id of before.keys()) if (!after.has(id)) changes.append('red_line', id, 'delete', { id }, at);
      return result;
    })();
  return {
    words: () => words().all() as RedLineWordRow[],
    exceptions: () => exceptions().pluck().all() as string[],
    exceptionKeys: () => new Set(exceptionKeys().pluck().all() as string[]),
    /** Makes the list exactly these words (kept keys keep their counts) and these exceptions. */
    replace(
      list: { key: string; word: string; category: RedLineCategory }[],
      exceptionList: { key: string; phrase: string }[],
      at: number,
    ): void {
      logged(at, () => {
        dropMissing().run(JSON.stringify(list.map((w) => w.key)));
        list.forEach((w, sort) => upsertWord().run({ ...w, sort }));
        clearExceptions().run();
        exceptionList.forEach((e, sort) => addException().run({ ...e, sort }));
      });
    },
    /** Adds words not listed yet; returns how many were new. */
    add(list: { key: string; word: string; category: RedLineCategory }[], at: number): number {
      return logged(at, () => {
        let sort = (maxSort().pluck().get() as number) + 1;
        let added = 0;
        for (const w of list) added += addWord().run({ ...w, sort: sort++ }).changes;
        return added;
      });
    },
    addExceptions(list: { key: string; phrase: string }[], at: number): number {
      return logged(at, () => {
        let sort = (maxExceptionSort().pluck().get() as number) + 1;
        let added = 0;
        for (const e of list) added += addException().run({ ...e, sort: sort++ }).changes;
        return added;
      });
    },
    recordCatch(key: string, outcome: 'sent' | 'stopped', at: number): boolean {
      return (outcome === 'sent' ? catchSent : catchStopped)().run(at, key).changes > 0;
    },
  };
}

export type RedLineQueries = ReturnType<typeof redLineQueries>;
