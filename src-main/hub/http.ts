import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ContractError, Result } from '../../shared/contract/errors';
import type { CoreLink } from '../core/coreLink';

/** The HTTP status of each contract error code the hub's routes answer with. */
const STATUS: Partial<Record<ContractError['code'], number>> = {
  invalid_argument: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  limit_exceeded: 429,
  unavailable: 503,
};

/** A refusal as every hub route sends it: a 4xx (or 5xx) with `{ok:false, error:{code, message}}`. */
export const sendError = (reply: FastifyReply, error: ContractError) =>
  reply.code(STATUS[error.code] ?? 500).send({ ok: false, error: { code: error.code, message: error.message } });

/** `Authorization: Bearer <token>`, or null. */
export function bearer(request: FastifyRequest): string | null {
  const token = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(request.headers.authorization ?? '')?.[1];
  return token ?? null;
}

export const NO_TOKEN: ContractError = { code: 'unauthorized', message: 'send the session token as Authorization: Bearer <token>' };

/**
 * Runs `fn` on a one-call connection of the core, signed in first with the session `token` when
 * given (so the call is authorised as that account, by its stored row), and forgotten once answered.
 */
export async function onceOn<T>(
  core: Pick<CoreLink, 'call' | 'disconnect'>,
  token: string | null,
  fn: (call: (method: string, args: unknown) => Promise<Result<unknown>>) => Promise<T>,
): Promise<T | Result<never>> {
  const connection = `http:${crypto.randomUUID()}`;
  try {
    if (token !== null) {
      const resumed = await core.call('auth.resume', { token }, connection);
      if (!resumed.ok) return resumed;
    }
    return await fn((method, args) => core.call(method, args, connection));
  } finally {
    core.disconnect(connection);
  }
}
