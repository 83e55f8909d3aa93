import { AppError } from '../../shared/contract/errors';
import { requireOwner } from '../../shared/domain/policy';
import type { AccountService } from '../services/accounts';
import type { Handlers } from './router';

type AccountMethod =
  'auth.login' | 'auth.resume' | 'auth.logout' | 'accounts.list' | 'accounts.create' | 'accounts.disable' | 'accounts.setPassword';

export type AccountDeps = {
  accounts: AccountService;
  /** Binds a connection to a sign-in session, as its agent. */
  bind: (connection: string, agentId: string, session: string) => void;
  /** The sign-in session a connection is bound to. */
  sessionOf: (connection: string) => string | undefined;
  /** These sessions ended: sign their connections out and tell the shell to close them. */
  endSessions: (sessions: readonly string[]) => void;
};

/**
 * Sign-in and the owner's keeping of accounts. The role checked is the caller's stored one
 * (ctx.role, read from the agent row at this call), never one the client names.
 */
export function createAccountHandlers(deps: AccountDeps): Pick<Handlers, AccountMethod> {
  return {
    'auth.login': async ({ account, password }, ctx) => {
      const signed = await deps.accounts.login(account, password);
      deps.bind(ctx.connection, signed.agent.id, signed.sessionId);
      return { token: signed.token, expiresAt: signed.expiresAt, agent: signed.agent };
    },
    'auth.resume': ({ token }, ctx) => {
      const found = deps.accounts.resume(token);
      deps.bind(ctx.connection, found.agentId, found.sessionId);
      return { agent: found.agent, expiresAt: found.expiresAt };
    },
    'auth.logout': (_args, ctx) => {
      const session = deps.sessionOf(ctx.connection);
      if (!session) throw new AppError('unauthorized', 'this connection is not signed in');
      deps.accounts.logout(session);
      deps.endSessions([session]);
      return null;
    },
    'accounts.list': (_args, ctx) => {
      requireOwner(ctx);
      return deps.accounts.list();
    },
    'accounts.create': (args, ctx) => {
      requireOwner(ctx);
      return deps.accounts.create(args);
    },
    'accounts.disable': ({ agentId }, ctx) => {
      requireOwner(ctx);
      if (agentId === ctx.agentId) throw new AppError('conflict', 'the shop owner cannot disable their own account');
      const { account, ended } = deps.accounts.disable(agentId);
      deps.endSessions(ended);
      return account;
    },
    'accounts.setPassword': async ({ agentId, password }, ctx) => {
      requireOwner(ctx);
      deps.endSessions(await deps.accounts.setPassword(agentId, password, deps.sessionOf(ctx.connection)));
      return null;
    },
  };
}
