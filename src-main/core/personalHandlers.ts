import type { PersonalService } from '../services/personal';
import type { Handlers } from './router';

type PersonalMethod = 'personal.list' | 'personal.setHold' | 'personal.saveDraft' | 'personal.importLocal' | 'personal.sync';

/** The caller's own holds, snoozes and drafts: always `ctx.agentId`, the agent signed in on this connection. */
export function createPersonalHandlers(personal: PersonalService): Pick<Handlers, PersonalMethod> {
  return {
    'personal.list': (_args, ctx) => personal.list(ctx.agentId),
    'personal.setHold': ({ conversationId, hold }, ctx) => personal.setHold(ctx.agentId, conversationId, hold),
    'personal.saveDraft': ({ conversationId, draft }, ctx) => personal.saveDraft(ctx.agentId, conversationId, draft),
    'personal.importLocal': ({ drafts, held }, ctx) => personal.importLocal(ctx.agentId, drafts, held),
    // On a hub, ctx.agentId is the hub session's account: a desk hands over and reads its own agent's rows only.
    'personal.sync': ({ writes, rows }, ctx) => personal.sync(ctx.agentId, writes, rows ?? false),
  };
}
