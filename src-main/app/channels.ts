import type { MethodName } from '../../shared/contract/methods';

/**
 * IPC channel names, shared by the preload and the main process. One channel per contract method
 * (so a handler exists only for a declared method) and one channel for every core event.
 */
export const EVENT_CHANNEL = 'jiedai:event';

export function methodChannel(name: MethodName): string {
  return `jiedai:${name}`;
}
