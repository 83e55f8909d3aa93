import { AppError, type ErrorCode } from '../../shared/contract/errors';
import type { SignedIn } from '../../shared/contract/accounts';
import { HUB_URL_MAX_CHARS, hubRefusalAnswer, hubSignInAnswer, type TeamFailure, type TeamFailureReason } from '../../shared/contract/team';

/**
 * The desk core's own sign-in at its hub (`team.connect`): the core posts `/api/auth/login` itself
 * (Node's fetch), so the password never passes through anything but the contract call and this one
 * request. Every failure is an AppError whose `details.reason` the desk and the CLI put in words.
 */

export type HubHttpOptions = {
  /** The whole request, answer included (default 10 s). */
  timeoutMs?: number;
  /** Answers larger than this are not a hub's (default 64 KB). */
  maxAnswerBytes?: number;
};

const CODES: Record<TeamFailureReason, ErrorCode> = {
  bad_address: 'invalid_argument',
  wrong_password: 'unauthorized',
  unreachable: 'unavailable',
  timeout: 'unavailable',
  certificate: 'unavailable',
  not_a_hub: 'invalid_argument',
  rate_limited: 'limit_exceeded',
  hub_failed: 'unavailable',
  already_member: 'conflict',
  busy: 'conflict',
  pending: 'conflict',
  not_member: 'conflict',
};

/** A refusal of `team.*` with its reason (what the user is told) and a message for the logs. */
export function teamError(failure: TeamFailure, message: string): AppError {
  return new AppError(CODES[failure.reason], message, failure);
}

/**
 * The hub's address as the desk keeps it: `http(s)://host[:port][/prefix]`, no trailing slash, no
 * query or fragment. A user name or password in the address is refused (it would be kept and sent
 * in the clear to whoever the address names), and so is anything but http and https.
 */
export function normalizeHubUrl(input: string): string {
  const text = input.trim();
  const bad = (why: string) => teamError({ reason: 'bad_address' }, why);
  if (text.length === 0 || text.length > HUB_URL_MAX_CHARS) throw bad('a hub address has 1 to 2048 characters');
  // "hub.example:5190" or "192.168.1.5:5190" without a scheme: the shop's network, plain http.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw bad('not an address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw bad(`a hub address starts with http:// or https://, not ${url.protocol}`);
  if (url.username || url.password) throw bad('a hub address carries no user name or password');
  if (!url.hostname) throw bad('a hub address names a host');
  if (url.search || url.hash) throw bad('a hub address has no ?query or #fragment');
  const prefix = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${prefix}`;
}

/** The address of one of the hub's routes. */
function route(hubUrl: string, path: string): string {
  return `${hubUrl}${path}`;
}

/** Node's fetch failures, by the code of their cause. */
function failureOfFetch(error: unknown): AppError {
  const name = (error as { name?: unknown })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return teamError({ reason: 'timeout' }, 'the hub did not answer in time');
  let cause: unknown = error;
  for (let i = 0; i < 4 && cause; i++) {
    const code = String((cause as { code?: unknown }).code ?? '');
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME/.test(code))
      return teamError({ reason: 'certificate' }, `the hub's certificate is not trusted here (${code})`);
    if (/^ERR_SSL_|^EPROTO$|ERR_SSL_WRONG_VERSION_NUMBER/.test(code))
      return teamError({ reason: 'not_a_hub' }, `the address does not speak HTTPS as a hub does (${code})`);
    if (/^UND_ERR_(CONNECT_TIMEOUT|HEADERS_TIMEOUT|BODY_TIMEOUT)$|^ETIMEDOUT$/.test(code))
      return teamError({ reason: 'timeout' }, `the hub did not answer in time (${code})`);
    if (code) return teamError({ reason: 'unreachable' }, `nothing answered at the hub's address (${code})`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return teamError(
    { reason: 'unreachable' },
    `nothing answered at the hub's address (${error instanceof Error ? error.message : String(error)})`,
  );
}

/** The answer's body as text, up to `max` bytes; more than that is not a hub's answer. */
async function boundedText(response: Response, max: number): Promise<string | null> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > max) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Signs in at the hub with an account name and password: the hub's session token, its end, and the
 * account. Redirects are not followed (the password would go wherever they point): an address that
 * redirects is not the hub's own.
 */
export async function hubLogin(hubUrl: string, account: string, password: string, options: HubHttpOptions = {}): Promise<SignedIn> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const max = options.maxAnswerBytes ?? 64 * 1024;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string | null;
  try {
    response = await fetch(route(hubUrl, '/api/auth/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ account, password }),
      redirect: 'manual',
      signal,
    });
    text = await boundedText(response, max);
  } catch (error) {
    throw failureOfFetch(error);
  }
  const body = parseJson(text);
  if (response.status === 200) {
    const answer = hubSignInAnswer.safeParse(body);
    if (!answer.success) throw teamError({ reason: 'not_a_hub' }, 'the address answered, but not as a Jiedai hub signs in');
    return answer.data;
  }
  if (response.status >= 300 && response.status < 400)
    throw teamError({ reason: 'not_a_hub' }, `the address redirects (${response.status}): give the hub's own address`);
  const refusal = hubRefusalAnswer.safeParse(body);
  // Anything that does not answer as the hub does (a web server's 404 page, another API) is not a hub.
  if (!refusal.success) throw teamError({ reason: 'not_a_hub' }, `the address answered ${response.status}, not as a Jiedai hub does`);
  const { code, message } = refusal.data.error;
  if (response.status === 401 || code === 'unauthorized') throw teamError({ reason: 'wrong_password' }, message.slice(0, 300));
  if (response.status === 429 || code === 'limit_exceeded') {
    const seconds = Number(response.headers.get('retry-after'));
    const retryAfterSeconds = Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.ceil(seconds), 24 * 3600) : 60;
    throw teamError({ reason: 'rate_limited', retryAfterSeconds }, `too many sign-in attempts: try again in ${retryAfterSeconds} s`);
  }
  throw teamError({ reason: 'hub_failed' }, `the hub answered ${response.status} ${code}: ${message.slice(0, 300)}`);
}

/** Ends a session at the hub; best effort (a hub out of reach lets the token run out on its own). */
export async function hubLogout(hubUrl: string, token: string, options: HubHttpOptions = {}): Promise<boolean> {
  try {
    const response = await fetch(route(hubUrl, '/api/auth/logout'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    await boundedText(response, options.maxAnswerBytes ?? 64 * 1024);
    return response.ok;
  } catch {
    return false;
  }
}
