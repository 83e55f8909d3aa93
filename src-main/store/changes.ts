import type { Change, ChangeOp } from '../../shared/sync/protocol';
import type { Db } from './connection';

export type ChangeRow = { seq: number; entity: string; entity_id: string; op: ChangeOp; row: string | null; at: number };

/** The change feed. Callers append inside the same transaction as the write it records. */
export function changeQueries(db: Db) {
  const insert = db.prepare('INSERT INTO changes (entity, entity_id, op, row, at) VALUES (?, ?, ?, ?, ?)');
  const head = db.prepare('SELECT coalesce(max(seq), 0) AS head FROM changes').pluck();
  // AUTOINCREMENT keeps the highest seq ever given out here even after the feed is pruned empty.
  const headEver = db.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)").pluck();
  const after = db.prepare('SELECT seq, entity, entity_id, op, row, at FROM changes WHERE seq > ? ORDER BY seq LIMIT ?');
  const count = db.prepare('SELECT count(*) FROM changes').pluck();
  const prune = db.prepare('DELETE FROM changes WHERE seq <= ?');
  const floor = db.prepare("SELECT value FROM settings WHERE key = 'feedFloor'").pluck();
  const setFloor = db.prepare(
    "INSERT INTO settings (key, value) VALUES ('feedFloor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  );
  return {
    append(entity: string, entityId: string, op: ChangeOp, row: unknown, at: number): number {
      return Number(insert.run(entity, entityId, op, row === undefined ? null : JSON.stringify(row), at).lastInsertRowid);
    },
    /** The newest seq (0 for an empty feed). */
    head(): number {
      return Math.max(head.get() as number, headEver.get() as number);
    },
    after(cursor: number, limit: number): ChangeRow[] {
      return after.all(cursor, limit) as ChangeRow[];
    },
    /** Changes after the cursor as they travel (rows parsed). */
    page(cursor: number, limit: number): Change[] {
      return (after.all(cursor, limit) as ChangeRow[]).map(
        (c) =>
          ({ seq: c.seq, entity: c.entity, id: c.entity_id, op: c.op, row: c.row === null ? null : JSON.parse(c.row), at: c.at }) as Change,
      );
    },
    count(): number {
      return count.get() as number;
    },
    /** The highest seq pruned away: a replica whose cursor is below it cannot catch up by pulling. */
    floor(): number {
      const raw = floor.get() as string | undefined;
      return raw === undefined ? 0 : Number(JSON.parse(raw));
    },
    /** Forgets changes up to and including `seq` (call inside a transaction). */
    prune(seq: number): number {
      const removed = prune.run(seq).changes;
      setFloor.run(JSON.stringify(Math.max(seq, this.floor())));
      return removed;
    },
  };
}

export type ChangeQueries = ReturnType<typeof changeQueries>;
