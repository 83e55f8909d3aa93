import { AppError } from '../../shared/contract/errors';
import type { Handlers } from './router';

/** The recovery methods on a sound store: nothing to recover. */
export function readyRecoveryHandlers(): Pick<Handlers, 'recovery.status' | 'recovery.restoreBackup' | 'recovery.startEmpty'> {
  const nothing = () => {
    throw new AppError('conflict', 'the store is sound: there is nothing to recover');
  };
  return { 'recovery.status': () => ({ state: 'ready' }), 'recovery.restoreBackup': nothing, 'recovery.startEmpty': nothing };
}
