import type { Result } from '../../shared/contract/errors';

/** What group commits need of the store: a write transaction that nests (inner ones are savepoints). */
export type GroupStore = { tx<T>(fn: () => T): T };

/** The most calls one commit carries (a burst beyond it takes the next turn). */
export const GROUP_COMMIT_MAX = 256;

/** Thrown inside a call's savepoint so a refused call leaves nothing of itself in the group's transaction. */
class Refused {
  constructor(readonly result: Result<unknown>) {}
}

/**
 * Group commits for the hub's buyer channels (issue 12): the calls that arrive in one turn of the
 * event loop (a burst of widget sends and bridge posts) run in one transaction, so they share one
 * commit and its fsync instead of paying one each. Each call runs in its own savepoint: one that is
 * refused leaves nothing behind and the others still land. Every call's answer is given only after
 * the group's commit, so nothing is acknowledged that a crash could lose. If the commit itself
 * fails, each call is run again alone (its own transaction, its own answer, refusal or fault).
 *
 * `call` must answer with a Result and never throw (the channel seam does: it turns every error
 * into a typed refusal).
 */
export function groupCommits(
  store: GroupStore,
  call: (op: string, args: unknown) => Result<unknown>,
  options: { max?: number; schedule?: (run: () => void) => void } = {},
) {
  const max = options.max ?? GROUP_COMMIT_MAX;
  const schedule = options.schedule ?? ((run: () => void) => void setImmediate(run));
  let waiting: { op: string; args: unknown; resolve: (result: Result<unknown>) => void }[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const group = waiting.slice(0, max);
    waiting = waiting.slice(group.length);
    if (waiting.length > 0) {
      scheduled = true;
      schedule(flush);
    }
    const results: Result<unknown>[] = [];
    try {
      store.tx(() => {
        results.length = 0;
        for (const item of group) {
          try {
            results.push(
              store.tx(() => {
                const result = call(item.op, item.args);
                if (!result.ok) throw new Refused(result);
                return result;
              }),
            );
          } catch (error) {
            if (!(error instanceof Refused)) throw error;
            results.push(error.result);
          }
        }
      });
    } catch {
      // The group's commit failed (the disk full, the file gone): nothing of it is stored, so each
      // call is made alone and answers for itself.
      results.length = 0;
      for (const item of group) results.push(call(item.op, item.args));
    }
    group.forEach((item, i) => item.resolve(results[i]!));
  }

  return (op: string, args: unknown): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      waiting.push({ op, args, resolve });
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    });
}
