import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountNick, accountPassword, shopName } from '../../shared/contract/accounts';
import { AppError, type ErrorCode } from '../../shared/contract/errors';
import { isLang, type Lang } from '../../shared/domain/lang';
import { PASSWORD_MAX_CHARS } from '../../shared/domain/policy';
import { ASSET_PATHS, firstRunPage, HUB_CSS, noSetupPage, PAGE_CSP, SETUP_SCRIPT, statusPage } from './setupPage';

/** Whether the shop has its owner yet, and its name (read from the store at every request). */
export type HubSetupState = { hasOwner: boolean; shopName: string };

/** What the first-run page needs of the hub's core: the shell-side calls `jiedai hub init` uses. */
export type SetupCore = {
  hubSetup(): HubSetupState | Promise<HubSetupState>;
  /** Names the shop and creates its owner; throws AppError `conflict` once the shop has an owner. */
  initShop(shopName: string, ownerNick: string, password: string): Promise<unknown>;
};

export type SetupLimits = {
  /** Setup attempts per client address in each window; all addresses together get three times as many. */
  max: number;
  windowMs: number;
};

export const DEFAULT_SETUP_LIMITS: SetupLimits = { max: 10, windowMs: 60_000 };

export type SetupOptions = {
  core: SetupCore;
  /** The one-time setup code printed in the hub's terminal; without one the page only points to `jiedai hub init`. */
  code?: string | undefined;
  /** The pages' language unless `?lang=` says otherwise. */
  lang: Lang;
  version: string;
  /** The hub's data folder, shown in the commands the page gives after setup. */
  dataDir?: string | undefined;
  limits: SetupLimits;
  /** The shop was created from the page (the hub's terminal says so). */
  onSetup?: ((shop: string, owner: string) => void) | undefined;
};

/** Letters and digits nobody misreads (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_CHARS = 12;

/** A new setup code, `XXXX-XXXX-XXXX` (about 59 bits from crypto.randomInt). */
export function newSetupCode(): string {
  const chars = Array.from({ length: CODE_CHARS }, () => CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)]!);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** Case, spaces and dashes do not matter when the code is typed. */
const normalize = (code: string) => code.toUpperCase().replace(/[\s-]+/g, '');

/** Compared as digests of equal length with timingSafeEqual: the time taken says nothing about the code. */
export function sameCode(given: string, expected: string): boolean {
  const digest = (s: string) => crypto.createHash('sha256').update(normalize(s), 'utf8').digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

/** Why a setup was refused, for the page to say in its language (`hubPage.error.*`). */
type Reason = 'code' | 'mismatch' | 'shop' | 'owner' | 'password' | 'taken' | 'tooMany' | 'other';

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_argument: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  limit_exceeded: 429,
};

function refuse(reply: FastifyReply, code: ErrorCode, reason: Reason, message: string) {
  return reply.code(STATUS[code] ?? 500).send({ ok: false, error: { code, message, reason } });
}

const setupBody = {
  type: 'object',
  required: ['code', 'shop', 'owner', 'password', 'confirm'],
  additionalProperties: false,
  properties: {
    code: { type: 'string', maxLength: 64 },
    shop: { type: 'string', maxLength: 160 },
    owner: { type: 'string', maxLength: 64 },
    password: { type: 'string', maxLength: PASSWORD_MAX_CHARS * 4 },
    confirm: { type: 'string', maxLength: PASSWORD_MAX_CHARS * 4 },
  },
} as const;

type SetupBody = { code: string; shop: string; owner: string; password: string; confirm: string };

const PAGE_HEADERS = {
  'content-security-policy': PAGE_CSP,
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * The hub's face for people (issue 12): `GET /` is the first-run page while the shop has no owner
 * (the status page after), and `POST /api/setup` creates the shop and its owner, once, for whoever
 * holds the setup code printed in the hub's terminal (so whoever reaches the port first cannot take
 * the shop). The code is compared in constant time, attempts are rate-limited per address and in
 * total, and once the shop has an owner (from this page or `jiedai hub init`) the route answers 409
 * whatever the code.
 */
export function registerSetupRoutes(app: FastifyInstance, options: SetupOptions): void {
  const { core } = options;
  let code = options.code ?? null;

  const limit = (key: (request: FastifyRequest) => string, max: number) => {
    const limiter = app.createRateLimit({ max, timeWindow: options.limits.windowMs, keyGenerator: key });
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const verdict = await limiter(request);
      if (verdict.isAllowed || !verdict.isExceeded) return;
      const seconds = Math.max(1, verdict.ttlInSeconds);
      return refuse(
        reply.header('retry-after', String(seconds)),
        'limit_exceeded',
        'tooMany',
        `too many setup attempts: try again in ${seconds} s`,
      );
    };
  };
  const byAddress = limit((request) => `setup-ip:${request.ip}`, options.limits.max);
  const overall = limit(() => 'setup:all', options.limits.max * 3);

  const langOf = (request: FastifyRequest): Lang => {
    const asked = (request.query as { lang?: unknown } | undefined)?.lang;
    return isLang(asked) ? asked : options.lang;
  };

  app.get('/', async (request, reply) => {
    const lang = langOf(request);
    const state = await core.hubSetup();
    if (state.hasOwner) code = null;
    const html = state.hasOwner ? statusPage(lang, state.shopName, options.version) : code ? firstRunPage(lang) : noSetupPage(lang);
    return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html);
  });
  app.get(ASSET_PATHS.script, async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(SETUP_SCRIPT));
  // Browsers ask for it on every page: nothing, rather than a 404 in the console.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  app.get(ASSET_PATHS.style, async (_request, reply) => reply.type('text/css; charset=utf-8').send(HUB_CSS));

  app.post('/api/setup', { onRequest: [byAddress, overall], schema: { body: setupBody } }, async (request, reply) => {
    const body = request.body as SetupBody;
    const state = await core.hubSetup();
    if (state.hasOwner) {
      code = null;
      return refuse(reply, 'conflict', 'taken', 'this hub already has its shop and owner');
    }
    if (code === null)
      return refuse(reply, 'not_found', 'other', 'this hub was started without a setup code: set it up with jiedai hub init');
    if (!sameCode(body.code, code)) return refuse(reply, 'unauthorized', 'code', 'the setup code is wrong');
    const shop = shopName.safeParse(body.shop);
    if (!shop.success) return refuse(reply, 'invalid_argument', 'shop', shop.error.issues[0]!.message);
    const owner = accountNick.safeParse(body.owner);
    if (!owner.success) return refuse(reply, 'invalid_argument', 'owner', owner.error.issues[0]!.message);
    const password = accountPassword.safeParse(body.password);
    if (!password.success) return refuse(reply, 'invalid_argument', 'password', password.error.issues[0]!.message);
    if (body.password !== body.confirm) return refuse(reply, 'invalid_argument', 'mismatch', 'the two passwords differ');
    try {
      await core.initShop(shop.data, owner.data, password.data);
    } catch (error) {
      if (error instanceof AppError && error.code === 'conflict') {
        code = null;
        return refuse(reply, 'conflict', 'taken', error.message);
      }
      throw error;
    }
    // The code has done its one job.
    code = null;
    options.onSetup?.(shop.data, owner.data);
    return reply.send({ ok: true, shop: shop.data, owner: owner.data, ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  });
}
