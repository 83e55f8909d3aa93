import type { Message } from '../domain/types';
import type { ExportFinished, ExportProgress } from './logExport';

/** Every event the core pushes to the desks, with its payload. */
export type Events = {
  /** Conversations whose summary changed (new message, read, ended). */
  'conversations.changed': { conversationIds: string[] };
  /** A message was stored (by a buyer, an agent, or the system). */
  'messages.added': { message: Message };
  /** Customers whose tags, group or remark changed. */
  'customers.changed': { customerIds: string[] };
  /** Orders whose flag or memo changed. */
  'orders.changed': { orderIds: string[] };
  /** The phrase library changed (a phrase or group written, moved or deleted, or an import). */
  'phrases.changed': Record<string, never>;
  /** The change feed has a new head; replicas pull after their cursor. */
  'sync.poked': { head: number };
  /** A running export moved on (a few times a second at most). */
  'logExport.progress': ExportProgress;
  /** An export ended: done (the file is at `path`), cancelled or failed (no file left behind). */
  'logExport.finished': ExportFinished;
};

export type EventName = keyof Events;

const names: { [K in EventName]: true } = {
  'conversations.changed': true,
  'messages.added': true,
  'customers.changed': true,
  'orders.changed': true,
  'phrases.changed': true,
  'sync.poked': true,
  'logExport.progress': true,
  'logExport.finished': true,
};

export const EVENT_NAMES = Object.keys(names) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(names, name);
}
