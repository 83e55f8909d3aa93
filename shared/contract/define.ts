import type { z } from 'zod';

/** A contract method: the zod schema of its arguments, and (as a phantom) the type of its result. */
export type MethodSpec<A extends z.ZodType, R> = { args: A; /** phantom: carries the result type only */ result?: [R] };

/**
 * `define<Result>()(argsSchema)`: declares a method in a domain's contract file (app.ts, phrases.ts,
 * logExport.ts, …); methods.ts composes them into the one `methods` object.
 */
export function define<R>() {
  return <A extends z.ZodType>(args: A): MethodSpec<A, R> => ({ args });
}
