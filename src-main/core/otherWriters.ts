import type { Store } from '../store';

/** How often a running core looks whether another connection committed (the CLI beside the app). */
export const OTHER_WRITERS_INTERVAL_MS = 300;

/**
 * Calls `changed` soon after another connection commits to the data file: `store.onCommit` hears
 * this connection's writes only, so without this a desk would learn of a CLI import at its next
 * 30-second pull. `PRAGMA data_version` is a counter in shared memory, no disk read; the timer does
 * not keep the process alive. Returns the stop.
 */
export function watchOtherWriters(
  store: Store,
  changed: () => void,
  intervalMs = OTHER_WRITERS_INTERVAL_MS,
  log?: (message: string, error?: unknown) => void,
): () => void {
  let seen = store.dataVersion();
  const timer = setInterval(() => {
    if (!store.db.open) return;
    try {
      const now = store.dataVersion();
      if (now === seen) return;
      seen = now;
      changed();
    } catch (error) {
      log?.('could not look for other writers', error);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
