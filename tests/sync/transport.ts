import type { Result } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import type { CoreLink } from '../../src-main/core/coreLink';
import type { SyncTransport } from '../../src-renderer/db/syncEngine';

/** A direct transport to a core (in-process or its worker client) on one connection, for tests and the bench. */
export function directTransport(
  core: Pick<CoreLink, 'call' | 'on'>,
  connection = 'desk',
): SyncTransport & { calls: { method: MethodName; args: unknown }[] } {
  const calls: { method: MethodName; args: unknown }[] = [];
  return {
    calls,
    call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>> {
      calls.push({ method, args });
      return core.call(method, args, connection) as Promise<Result<ResultOf<M>>>;
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      return core.on((name, payload) => {
        if (name === event) listener(payload as Events[E]);
      });
    },
  };
}
