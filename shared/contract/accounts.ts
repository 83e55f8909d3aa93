import { z } from 'zod';
import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from '../domain/policy';
import type { Agent, AgentRole, AgentState } from '../domain/types';
import { define } from './define';
import { id } from './schemas';

/**
 * Accounts and sign-in (issue 12, the team hub). A desk signs in with `auth.login` (over the hub's
 * HTTP route, which rate-limits it) and gets a session token, shown once; every socket it opens then
 * carries that token and the hub binds the socket's connection to the session (`auth.resume`). On a
 * hub, a connection that has not signed in may call nothing but `auth.*`. Keeping accounts is for
 * the shop owner.
 */

/** An account as the owner sees it (never its password hash). */
export type Account = {
  id: string;
  nick: string;
  role: AgentRole;
  state: AgentState;
  createdAt: number;
  /** A disabled account cannot sign in, and its sessions ended when it was disabled. */
  disabled: boolean;
  /** Whether the account can sign in with a password at all (demo accounts have none). */
  hasPassword: boolean;
};

export type SignedIn = {
  /** The session token: 32 random bytes, base64url. Shown once; the hub keeps only its sha256. */
  token: string;
  /** When the session ends (ms): a fixed lifetime from sign-in, not extended by use. */
  expiresAt: number;
  agent: Agent;
};

/** An account name (what a desk signs in with). */
export const accountNick = z
  .string()
  .max(64)
  .refine(
    (s) => s.trim() === s && Array.from(s).length >= 1 && Array.from(s).length <= 32,
    'an account name has 1 to 32 characters, without spaces around it',
  );
/** A shop's name as its owner gives it on a hub's first start (trimmed, 1 to 40 characters). */
export const SHOP_NAME_MAX_CHARS = 40;
export const shopName = z
  .string()
  .max(SHOP_NAME_MAX_CHARS * 4)
  .transform((s) => s.trim())
  .refine(
    (s) => Array.from(s).length >= 1 && Array.from(s).length <= SHOP_NAME_MAX_CHARS,
    `a shop's name has 1 to ${SHOP_NAME_MAX_CHARS} characters`,
  );
export const accountPassword = z
  .string()
  .max(PASSWORD_MAX_CHARS * 4)
  .refine((s) => Array.from(s).length >= PASSWORD_MIN_CHARS, `a password has at least ${PASSWORD_MIN_CHARS} characters`)
  .refine((s) => Array.from(s).length <= PASSWORD_MAX_CHARS, `a password has at most ${PASSWORD_MAX_CHARS} characters`);
const token = z.string().min(1).max(200);

export const accountMethods = {
  /**
   * Signs in with an account name and password; binds this connection to the new session. A wrong
   * password, an unknown or disabled account are one and the same `unauthorized`.
   */
  'auth.login': define<SignedIn>()(
    z
      .object({
        account: z.string().min(1).max(64),
        password: z
          .string()
          .min(1)
          .max(PASSWORD_MAX_CHARS * 4),
      })
      .strict(),
  ),
  /** Binds this connection to the session a token stands for (expired, revoked or unknown: `unauthorized`). */
  'auth.resume': define<{ agent: Agent; expiresAt: number }>()(z.object({ token }).strict()),
  /** Ends the session this connection is bound to (every connection on it stops at once). */
  'auth.logout': define<null>()(z.object({}).strict()),
  /** Every account of the shop (owner only). */
  'accounts.list': define<Account[]>()(z.object({}).strict()),
  /** Creates an agent's or a supervisor's account (owner only; the id made by the caller). */
  'accounts.create': define<Account>()(
    z.object({ id, nick: accountNick, role: z.enum(['agent', 'supervisor']), password: accountPassword }).strict(),
  ),
  /** Disables an account (owner only): it cannot sign in, and its sessions end at once. */
  'accounts.disable': define<Account>()(z.object({ agentId: id }).strict()),
  /** Sets an account's password (owner only); the account's other sessions end. */
  'accounts.setPassword': define<null>()(z.object({ agentId: id, password: accountPassword }).strict()),
};
