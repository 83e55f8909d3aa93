import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';

/**
 * Dexie's liveQuery (4.4) merges the keys of every write it hears into a set of its own and empties
 * that set only when its query runs again. A live query the day's writes never touch (tags, groups,
 * phrases, red lines) would keep the keys of every message and outbox entry written since the desk
 * opened: a slow, all-day growth of the renderer's heap. So a live query that has not run for
 * `RENEW_MS` subscribes anew (its deps change): the old subscription and its set are let go. The
 * last answer stays on screen meanwhile (useLiveQuery keeps it while the new query runs).
 */
let renewMs = 60_000;

/** Tests shorten the wait; the desk never calls this. */
export function setLiveQueryRenewalMs(ms: number): void {
  renewMs = ms;
}

/** useLiveQuery, renewed when it has not run for a while (see above). */
export function useRenewedLiveQuery<T>(querier: () => Promise<T> | T, deps: unknown[]): T | undefined;
export function useRenewedLiveQuery<T, D>(querier: () => Promise<T> | T, deps: unknown[], defaultResult: D): T | D;
export function useRenewedLiveQuery<T, D>(querier: () => Promise<T> | T, deps: unknown[], defaultResult?: D): T | D | undefined {
  const [renewal, setRenewal] = useState(0);
  const lastRun = useRef(Date.now());
  useEffect(() => {
    const every = renewMs;
    const timer = setInterval(() => {
      if (Date.now() - lastRun.current >= every) setRenewal((n) => n + 1);
    }, every);
    return () => clearInterval(timer);
  }, []);
  return useLiveQuery(
    () => {
      lastRun.current = Date.now();
      return querier();
    },
    [...deps, renewal],
    defaultResult,
  );
}
