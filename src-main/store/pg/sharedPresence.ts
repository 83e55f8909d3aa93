import type { Store } from '../index';

/** A process that has not said who is at its desks for this long is taken as gone (killed, cut off). */
export const SHARED_PRESENCE_TTL_MS = 15_000;
/** How often a hub process says who is at its desks (well inside the TTL). */
export const SHARED_PRESENCE_HEARTBEAT_MS = 5_000;

export type SharedPresence = {
  /** This process's agents at a desk now (replacing what it said before), with the time. */
  publish(live: ReadonlySet<string>, now: number): void;
  /** The agents at a desk of another live hub process. */
  others(now: number): Set<string>;
  /** This process stops: its desks are no one's. */
  leave(): void;
  heartbeatMs: number;
};

/**
 * Who is at a desk across several hub processes on one PostgreSQL database (issue 14): each process
 * keeps its own rows of `hub_presence` (schema version 7) and renews them every heartbeat; an agent is
 * at a desk when any live process says so. Routing and the roster's `present` column read the union
 * (core/presence.ts), so a buyer who writes through one process may go to an agent whose desk is on
 * another, and one process's flush no longer says another's agents left.
 */
export function sharedPresence(store: Store, process: string): SharedPresence {
  const db = store.db;
  const remove = db.prepare('DELETE FROM hub_presence WHERE process = ?');
  const insert = db.prepare('INSERT INTO hub_presence (process, agent_id, seen_at) VALUES (?, ?, ?)');
  const others = db.prepare('SELECT DISTINCT agent_id FROM hub_presence WHERE process <> ? AND seen_at > ?').pluck();
  const expire = db.prepare('DELETE FROM hub_presence WHERE seen_at <= ?');
  return {
    publish(live, now) {
      store.tx(() => {
        remove.run(process);
        for (const id of [...live].sort()) insert.run(process, id, now);
        expire.run(now - 4 * SHARED_PRESENCE_TTL_MS);
      });
    },
    others(now) {
      return new Set(others.all(process, now - SHARED_PRESENCE_TTL_MS) as string[]);
    },
    leave() {
      store.tx(() => remove.run(process));
    },
    heartbeatMs: SHARED_PRESENCE_HEARTBEAT_MS,
  };
}
