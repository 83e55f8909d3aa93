import type { Db } from './connection';

export type ChangeOp = 'upsert' | 'delete';
export type ChangeRow = { seq: number; entity: string; entity_id: string; op: ChangeOp; row: string | null; at: number };

/** The change feed. Callers append inside the same transaction as the write it records. */
export function changeQueries(db: Db) {
  const insert = db.prepare('INSERT INTO changes (entity, entity_id, op, row, at) VALUES (?, ?, ?, ?, ?)');
  const head = db.prepare('SELECT coalesce(max(seq), 0) AS head FROM changes').pluck();
  const after = db.prepare('SELECT seq, entity, entity_id, op, row, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?');
  return {
    append(entity: string, entityId: string, op: ChangeOp, row: unknown, at: number): number {
      return Number(insert.run(entity, entityId, op, row === undefined ? null : JSON.stringify(row), at).lastInsertRowid);
    },
    head(): number {
      return head.get() as number;
    },
    after(cursor: number, limit: number): ChangeRow[] {
      return after.all(cursor, limit) as ChangeRow[];
    },
  };
}

export type ChangeQueries = ReturnType<typeof changeQueries>;
