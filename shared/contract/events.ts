import type { ExportFinished, ExportProgress } from './logExport';
import type { TeamStatus } from './team';

/**
 * Every event the core pushes to the desks, with its payload. Data has one notification: the change
 * feed's poke (`sync.poked`), sent after every commit, this process's or another's (the CLI beside
 * a running app); a desk pulls what changed. The other events are for jobs (log exports) and for the
 * link to the team hub (`team.status`: a connection's state, never data).
 */
export type Events = {
  /** The change feed has a new head; replicas pull after their cursor. */
  'sync.poked': { head: number };
  /** A running export moved on (a few times a second at most). */
  'logExport.progress': ExportProgress;
  /** An export ended: done (the file is at `path`), cancelled or failed (no file left behind). */
  'logExport.finished': ExportFinished;
  /**
   * The desk's link to its team hub changed (online, offline, signed out; actions waiting; the first
   * snapshot's progress): sent on change, at most a few times a second. Data still comes by `sync.poked`.
   */
  'team.status': TeamStatus;
};

export type EventName = keyof Events;

const names: { [K in EventName]: true } = {
  'sync.poked': true,
  'logExport.progress': true,
  'logExport.finished': true,
  'team.status': true,
};

export const EVENT_NAMES = Object.keys(names) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(names, name);
}
