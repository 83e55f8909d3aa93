import { z } from 'zod';
import { PASSWORD_MAX_CHARS } from '../domain/policy';
import type { AgentRole } from '../domain/types';
import { define } from './define';
import type { ContractError } from './errors';
import { id } from './schemas';

/**
 * The desk's membership of a team hub (issue 12, the desk side). A standalone desk works on its demo
 * shop as before; `team.connect` signs in at a hub (the desk core itself posts the hub's
 * `/api/auth/login`) and makes the desk a replica of the hub's shop; `team.leave` makes it
 * standalone again. How the link to the hub stands is said by `team.status` and, when it changes,
 * by the one `team.status` event (shared/contract/events.ts).
 */

/** How the desk reaches its hub: online, trying for the first time, cut off, or refused (its sign-in ended). */
export type TeamLink = 'online' | 'connecting' | 'offline' | 'signed-out';

export type TeamStatus = {
  mode: 'standalone' | 'team';
  /** The hub's address as the desk keeps it (`http(s)://host:port[/prefix]`); null standalone. */
  hubUrl: string | null;
  /** The hub account signed in at this desk; null standalone. */
  account: { id: string; nick: string; role: AgentRole } | null;
  /** null standalone. */
  link: TeamLink | null;
  /** The desk's actions the hub has not taken in yet (its outbox); they survive a restart. */
  pending: number;
  /** The hub's snapshot: `ready` once the shop is on this desk; `loading` while a first download (or a rebuild) runs. */
  bootstrap: { ready: boolean; loading: boolean; partsDone: number; partsTotal: number; rows: number };
  /** The last time the desk heard the hub's feed or had its actions answered (ms); null: never. */
  lastSyncedAt: number | null;
  /** Whether this process talks to the hub (the app and browser mode do; a CLI run does not). */
  syncing: boolean;
};

/** Why a `team.*` call was refused, in `error.details.reason`: the desk and the CLI say each in the user's language. */
export const TEAM_FAILURES = [
  /** Not an http(s) address, or one carrying a user name or password. */
  'bad_address',
  /** The hub does not know this account and password (or the account is disabled). */
  'wrong_password',
  /** Nothing answered at that address (refused, no such host, network down). */
  'unreachable',
  /** The address answered too slowly. */
  'timeout',
  /** The hub's HTTPS certificate is not one this computer trusts. */
  'certificate',
  /** Something answered, but not a Jiedai hub. */
  'not_a_hub',
  /** Too many sign-in attempts: `retryAfterSeconds` says when to try again. */
  'rate_limited',
  /** The hub answered with a failure of its own. */
  'hub_failed',
  /** This desk is a member of a team already (another hub or another account: leave first). */
  'already_member',
  /** A sign-in or a leave is under way. */
  'busy',
  /** Leaving would drop actions the hub has not taken in: `pending` says how many. */
  'pending',
  /** `team.leave` on a standalone desk. */
  'not_member',
] as const;
export type TeamFailureReason = (typeof TEAM_FAILURES)[number];
export type TeamFailure = { reason: TeamFailureReason; retryAfterSeconds?: number; pending?: number };

/** The reason a `team.*` refusal carries, or null for any other error. */
export function teamFailure(error: ContractError): TeamFailure | null {
  const d = error.details as { reason?: unknown; retryAfterSeconds?: unknown; pending?: unknown } | null | undefined;
  if (!d || typeof d !== 'object' || !(TEAM_FAILURES as readonly unknown[]).includes(d.reason)) return null;
  return {
    reason: d.reason as TeamFailureReason,
    ...(typeof d.retryAfterSeconds === 'number' ? { retryAfterSeconds: d.retryAfterSeconds } : {}),
    ...(typeof d.pending === 'number' ? { pending: d.pending } : {}),
  };
}

/** The longest hub address a desk takes. */
export const HUB_URL_MAX_CHARS = 2048;

export const teamMethods = {
  /** Whether this desk is standalone or a team's, and how its link to the hub stands. */
  'team.status': define<TeamStatus>()(z.object({}).strict()),
  /**
   * Signs in at a hub and makes this desk a member of its team: the shop's data comes down from the
   * hub (the first snapshot) and replaces the demo shop. A desk whose sign-in ended signs in again
   * here with the same hub and account; its waiting actions are kept. Who may: shared/domain/policy.ts
   * (`teamConnectRefusal`).
   */
  'team.connect': define<TeamStatus>()(
    z
      .object({
        hubUrl: z.string().min(1).max(HUB_URL_MAX_CHARS),
        account: z.string().min(1).max(64),
        password: z
          .string()
          .min(1)
          .max(PASSWORD_MAX_CHARS * 4),
      })
      .strict(),
  ),
  /**
   * Signs out at the hub (best effort) and makes the desk standalone again, on a fresh demo shop:
   * the team's data does not stay on this computer. Refused while actions still wait for the hub,
   * unless `discardPending`.
   */
  'team.leave': define<TeamStatus>()(z.object({ discardPending: z.boolean().optional() }).strict()),
} as const;

/**
 * What a Jiedai hub answers to `POST /api/auth/login` (src-main/hub/hubServer.ts): checked by the desk
 * before it believes a word of it. Extra fields are let through (a newer hub may say more).
 */
export const hubSignInAnswer = z.object({
  token: z
    .string()
    .min(16)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/),
  expiresAt: z.number().int().nonnegative(),
  agent: z.object({
    id,
    nick: z.string().min(1).max(64),
    role: z.enum(['agent', 'supervisor', 'owner']),
    state: z.enum(['online', 'busy', 'offline']),
  }),
});

/** How a hub says no: `{ok:false, error:{code, message}}`. */
export const hubRefusalAnswer = z.object({
  ok: z.literal(false),
  error: z.object({ code: z.string().max(40), message: z.string().max(2000) }),
});
