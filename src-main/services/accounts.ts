import { AppError } from '../../shared/contract/errors';
import type { Account } from '../../shared/contract/accounts';
import { newId } from '../../shared/domain/ids';
import type { Agent, AgentRole } from '../../shared/domain/types';
import type { Store } from '../store';
import type { AccountRow } from '../store/accounts';
import type { Clock } from './conversations';
import { hashPassword, newToken, tokenHash, verifyPassword } from './passwords';

/** A session lasts this long from sign-in (fixed, not extended by use): a desk signs in again monthly. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** One sentence for every failed sign-in, so nobody learns which accounts exist or are disabled. */
const LOGIN_REFUSED = 'the account name or the password is wrong';

/** How long a live session's check is kept at most (see `live`), and how many sessions. */
export const LIVE_KEPT_MS = 1_000;
const LIVE_KEPT_MAX = 5_000;

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    nick: r.nick,
    role: r.role,
    state: r.state,
    createdAt: r.created_at,
    disabled: r.disabled_at !== null,
    hasPassword: r.password_hash !== null,
  };
}

function toAgent(r: AccountRow): Agent {
  return { id: r.id, nick: r.nick, role: r.role, state: r.state };
}

/** A session the store says is live: not revoked, not expired, its account not disabled. */
export type LiveSession = { sessionId: string; agentId: string; expiresAt: number };

/**
 * Accounts and sessions: sign-in (scrypt, verified here in the core), tokens stored as their sha256,
 * and the owner's keeping of accounts. Who may call what is checked by the handlers with the policy.
 */
export function accountService(store: Store, now: Clock, options: { sessionTtlMs?: number | undefined } = {}) {
  const ttl = options.sessionTtlMs ?? SESSION_TTL_MS;
  const accounts = store.accounts;

  // Sessions found live, kept while no account or session was written here (`written`) nor anything
  // committed by another connection (the store's `othersStamp`: `jiedai hub accounts` beside the
  // hub), for at most LIVE_KEPT_MS, and never past their expiry. A hub's desks call many times a
  // second (a pull on every poke); each check was a session and an account read.
  const liveKept = new Map<string, { session: LiveSession; stamp: string; until: number }>();
  let writes = 0;
  const write = <T>(fn: () => T): T => {
    try {
      return store.tx(fn);
    } finally {
      writes++;
      liveKept.clear();
    }
  };
  function liveNow(sessionId: string): LiveSession | null {
    const others = store.othersStamp();
    const stamp = others === null ? null : `${writes}:${others}`;
    const at = now();
    const kept = stamp === null ? undefined : liveKept.get(sessionId);
    if (kept && kept.stamp === stamp && at < kept.until && at < kept.session.expiresAt) return kept.session;
    const found = live(sessionId);
    if (stamp === null || !found) {
      liveKept.delete(sessionId);
      return found;
    }
    if (liveKept.size >= LIVE_KEPT_MAX) liveKept.clear();
    liveKept.set(sessionId, { session: found, stamp, until: at + LIVE_KEPT_MS });
    return found;
  }

  function live(sessionId: string | undefined, row = sessionId ? accounts.session(sessionId) : undefined): LiveSession | null {
    if (!row || row.revoked_at !== null || row.expires_at <= now()) return null;
    const agent = accounts.get(row.agent_id);
    if (!agent || agent.disabled_at !== null) return null;
    return { sessionId: row.id, agentId: row.agent_id, expiresAt: row.expires_at };
  }

  function startSession(agent: AccountRow) {
    const { token, hash } = newToken();
    const at = now();
    const sessionId = newId();
    write(() => {
      accounts.pruneSessions(at - ttl);
      accounts.addSession({ id: sessionId, token_hash: hash, agent_id: agent.id, created_at: at, expires_at: at + ttl });
    });
    return { sessionId, token, expiresAt: at + ttl, agent: toAgent(agent) };
  }

  function account(agentId: string): AccountRow {
    const row = accounts.get(agentId);
    if (!row) throw new AppError('not_found', `no account ${agentId}`);
    return row;
  }

  return {
    /** Checks the password; a new session on success. Every refusal is the same `unauthorized`. */
    async login(name: string, password: string) {
      const row = accounts.byNick(name);
      const matches = await verifyPassword(password, row?.password_hash);
      // Read again after the wait: the account may have been disabled meanwhile.
      const current = row ? accounts.get(row.id) : undefined;
      if (!matches || !current || current.disabled_at !== null) throw new AppError('unauthorized', LOGIN_REFUSED);
      return startSession(current);
    },

    /**
     * A new session of the shop's owner without a password: for a shell at the hub's own data folder
     * (the CLI's `jiedai hub accounts`), whose user holds the database anyway. Never a contract method.
     */
    ownerSession() {
      const owner = accounts.list().find((a) => a.role === 'owner' && a.disabled_at === null && a.password_hash !== null);
      if (!owner) throw new AppError('not_found', 'this hub has no owner yet: set it up with jiedai hub init');
      return startSession(owner);
    },

    /** The live session a token stands for, or `unauthorized`. */
    resume(token: string): LiveSession & { agent: Agent } {
      const found = live(undefined, accounts.sessionByTokenHash(tokenHash(token)));
      if (!found) throw new AppError('unauthorized', 'this session has ended: sign in again');
      return { ...found, agent: toAgent(account(found.agentId)) };
    },

    /**
     * Whether a session is still live: read from the store, or kept from a read since which nothing
     * could have ended it (no account or session written here, no commit by another connection,
     * not past its expiry, at most LIVE_KEPT_MS ago). A logout, a disable or a new password here or
     * from the CLI is seen at the very next call.
     */
    live: (sessionId: string) => liveNow(sessionId),

    logout(sessionId: string): void {
      write(() => accounts.revokeSession(sessionId, now()));
    },

    list: (): Account[] => accounts.list().map(toAccount),

    async create(args: { id: string; nick: string; role: AgentRole; password: string }): Promise<Account> {
      const hash = await hashPassword(args.password);
      const row = { id: args.id, nick: args.nick, role: args.role, state: 'offline' as const, created_at: now(), password_hash: hash };
      // The roster is a synced entity: every desk learns of the new colleague.
      const added = write(() => {
        if (!accounts.insert(row)) return false;
        store.agents.record(row.id, row.created_at);
        return true;
      });
      if (!added) {
        // The same create sent twice (a retry) answers the account it made.
        const same = accounts.get(args.id);
        if (same && same.nick === args.nick && same.role === args.role) return toAccount(same);
        throw new AppError(
          'conflict',
          accounts.byNick(args.nick) ? `an account named ${args.nick} exists` : `an account with id ${args.id} exists`,
        );
      }
      return toAccount(account(args.id));
    },

    /** Disables the account and revokes its sessions; returns it and the sessions that ended. */
    disable(agentId: string): { account: Account; ended: string[] } {
      return write(() => {
        account(agentId);
        const at = now();
        accounts.disable(agentId, at);
        store.agents.record(agentId, at);
        return { account: toAccount(account(agentId)), ended: accounts.revokeSessionsOf(agentId, at) };
      });
    },

    /** Sets the password and ends the account's sessions but `keep` (the caller's own); returns those that ended. */
    async setPassword(agentId: string, password: string, keep: string | undefined): Promise<string[]> {
      account(agentId);
      const hash = await hashPassword(password);
      return write(() => {
        accounts.setPassword(agentId, hash);
        return accounts.revokeSessionsOf(agentId, now(), keep);
      });
    },

    /**
     * The hub's first start (`jiedai hub init`): names the shop and creates its owner. Refused once
     * the shop has an owner who can sign in.
     */
    async initShop(shopName: string, ownerNick: string, password: string): Promise<Account> {
      if (accounts.hasOwner()) throw new AppError('conflict', 'this hub already has an owner');
      const hash = await hashPassword(password);
      const id = newId();
      return write(() => {
        if (accounts.hasOwner()) throw new AppError('conflict', 'this hub already has an owner');
        const shop = store.settings.get<{ id: string; name: string }>('shop', { id: '', name: '' });
        store.settings.set('shop', { id: shop.id || newId(), name: shopName });
        const at = now();
        if (!accounts.insert({ id, nick: ownerNick, role: 'owner', state: 'offline', created_at: at, password_hash: hash })) {
          throw new AppError('conflict', `an account named ${ownerNick} exists`);
        }
        store.agents.record(id, at);
        return toAccount(account(id));
      });
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;
