import type { Result } from '../../shared/contract/errors';
import type { EventName } from '../../shared/contract/events';
import type { StoreFaultKind } from '../store/faults';
import type { StartCoreOptions } from './recovery';

/** What the shell hands the core worker at start (plain data: it crosses a thread boundary). */
export type CoreWorkerData = Omit<StartCoreOptions, 'now' | 'log'>;

export type ToCore = { type: 'call'; id: number; method: string; args: unknown } | { type: 'close' };

export type FromCore =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; name: EventName; payload: unknown }
  /** The core could not start. `message` is a sentence for the user when `fault` names a data-folder fault. */
  | { type: 'fatal'; message: string; fault?: StoreFaultKind; path?: string }
  | { type: 'closed' };
