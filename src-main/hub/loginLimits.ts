import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type LoginLimits = {
  /** Sign-in attempts per address, and per account name, in each window. */
  max: number;
  windowMs: number;
};

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { max: 10, windowMs: 60_000 };

/**
 * Sign-in attempts are bounded per client address and per account name (so guessing one account's
 * password from many addresses is bounded too). Both counters live in @fastify/rate-limit's LRU
 * store (bounded: the least recently seen keys are forgotten). Over either: 429 with Retry-After.
 * The address is checked before the body is read; the account once it is parsed.
 */
export function loginLimiter(app: FastifyInstance, limits: LoginLimits) {
  const options = { max: limits.max, timeWindow: limits.windowMs };
  const byAddress = app.createRateLimit({ ...options, keyGenerator: (request) => `ip:${request.ip}` });
  const byAccount = app.createRateLimit({
    ...options,
    keyGenerator: (request) =>
      `account:${String((request.body as { account?: unknown } | undefined)?.account ?? '')
        .normalize('NFC')
        .toLowerCase()}`,
  });

  const refuse = (reply: FastifyReply, seconds: number) =>
    reply
      .code(429)
      .header('retry-after', String(Math.max(1, seconds)))
      .send({ ok: false, error: { code: 'limit_exceeded', message: `too many sign-in attempts: try again in ${Math.max(1, seconds)} s` } });

  const check = (limiter: typeof byAddress) => async (request: FastifyRequest, reply: FastifyReply) => {
    const verdict = await limiter(request);
    if (!verdict.isAllowed && verdict.isExceeded) return refuse(reply, verdict.ttlInSeconds);
  };
  return { byAddress: check(byAddress), byAccount: check(byAccount) };
}
