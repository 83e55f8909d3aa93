import { AppError } from '../../shared/contract/errors';
import { LEADS } from '../../shared/domain/roles';
import type { AgentRole } from '../../shared/domain/types';
import type { Store } from '../store';
import type { CallContext } from './router';

export function roleOf(store: Store, ctx: CallContext): AgentRole {
  return store.agents.get(ctx.agentId)?.role ?? 'agent';
}

export function requireLead(store: Store, ctx: CallContext, what: string): void {
  if (!LEADS.includes(roleOf(store, ctx))) throw new AppError('unauthorized', `${what} is for supervisors and the shop owner`);
}
