import { AppError, fail, ok, type Result } from '../../shared/contract/errors';
import { classifyStoreError, faultContractError } from '../store/faults';
import { isMethodName, methods, type ArgsOut, type MethodName, type ResultOf } from '../../shared/contract/methods';
import type { ConnectionCaller } from '../platform/callContext';
import type { ShellContext } from './shellContext';

/** Who is calling (see ConnectionCaller), and what the shell (never the renderer) added to the call. */
export type CallContext = ConnectionCaller & { shell?: ShellContext };

/** One handler per contract method. A method without a handler is a compile error. */
export type Handlers = {
  [M in MethodName]: (args: ArgsOut<M>, ctx: CallContext) => ResultOf<M> | Promise<ResultOf<M>>;
};

export type Dispatch = (method: string, rawArgs: unknown, ctx: CallContext) => Promise<Result<unknown>>;

/**
 * Turns the handler object into the one entry point every transport calls. Arguments come from an
 * untrusted renderer: each is parsed with its contract schema before the handler sees it, and every
 * outcome, a thrown error included, leaves as a Result with a typed code.
 */
export function createRouter(handlers: Handlers, onInternalError: (method: string, error: unknown) => void): Dispatch {
  return async (method, rawArgs, ctx) => {
    if (!isMethodName(method)) return fail('unknown_method', `unknown method ${String(method).slice(0, 80)}`);
    const parsed = methods[method].args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      return fail(
        'invalid_argument',
        `invalid arguments for ${method}`,
        parsed.error.issues.map((i) => ({
          path: i.path.map(String).join('.'),
          message: i.message,
        })),
      );
    }
    try {
      const handler = handlers[method] as (args: unknown, ctx: CallContext) => unknown;
      return ok(await handler(parsed.data, ctx));
    } catch (error) {
      if (error instanceof AppError) return fail(error.code, error.message, error.details);
      onInternalError(method, error);
      // A full disk or a read-only folder is said as such, not as "something went wrong".
      const fault = classifyStoreError(error);
      if (fault) return fail(...faultContractError(fault));
      return fail('internal', `${method} failed`);
    }
  };
}
