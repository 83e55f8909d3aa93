import { AppError, fail, type Result } from '../../shared/contract/errors';
import { methods } from '../../shared/contract/methods';
import { isMutationName, type MutationName } from '../../shared/sync/mutations';
import type { Store } from '../store';
import type { HubOutboxEntry } from '../store/hubOutbox';
import type { PersonalSync } from '../teamSync/personalSync';
import type { TeamSync } from '../teamSync/teamSync';
import type { CallContext } from './router';

/**
 * Asked of the hub when it can be reached (it holds the whole history), answered here otherwise.
 * The reports too: the hub's rollups cover the whole shop. (`reports.export` writes the file here,
 * from the hub's table: see reportHandlers.ts.)
 */
const HUB_FIRST = new Set([
  'messages.page',
  'conversations.history',
  // Returning buyers: the hub holds the ended conversations (a desk bootstraps without the history).
  'conversations.returning',
  'messages.search',
  'messages.around',
  'orders.memoHistory',
  'reports.summary',
  'reports.heatmap',
  'reports.questions',
  'reports.phrases',
  // Automation runs on the hub (the shop's one runner): its settings, queue and log are the hub's.
  'automation.get',
  'automation.pending',
  'automation.log',
  // Whether a buyer takes pictures is the hub's to say; offline the desk queues one and the hub decides at the push.
  'messages.imageSupport',
  // A phrase's picture lives where the phrase was saved: the hub (the desk has it only offline, if ever).
  'phrases.image',
]);

/**
 * Answered here when the desk has it (an agent's own picture, sent from this desk), else asked of the hub.
 */
const LOCAL_FIRST = new Set(['messages.image']);

/**
 * Writes that are not queued actions (the phrase library, imports, the agent's state): the hub
 * takes them and they come back through the feed; offline, the desk says the hub is needed.
 */
const HUB_ONLY = new Set([
  'phrases.save',
  'phrases.delete',
  'phrases.move',
  'phraseGroups.save',
  'phraseGroups.delete',
  'phraseGroups.move',
  'phrases.importCommit',
  'redLines.save',
  'redLines.importCommit',
  'redLines.recordCatches',
  'agents.setState',
  'routing.setMaxOpen',
  'reports.setWorkingHours',
  // The hub's channels (issue 13): they live on the hub, and so do buyers' images.
  'apiTokens.list',
  'apiTokens.create',
  'apiTokens.revoke',
  'webhooks.list',
  'webhooks.add',
  'webhooks.remove',
  'webhooks.test',
  'webhooks.deadLetters',
  'webhooks.retry',
  'widget.get',
  'widget.save',
  'automation.save',
  'automation.remind',
]);

/** Not for a member of a team: the account is the one signed in to the hub (and `personal.sync` is the desk core's own call to it). */
const REFUSED = new Set(['session.switchAgent', 'demo.configureBuyers', 'personal.sync']);

/** The agent's own rows: written here at once (and queued for the hub in the same transaction), then handed over. */
const PERSONAL_WRITES = new Set(['personal.setHold', 'personal.saveDraft', 'personal.importLocal']);

type Dispatch = (method: string, args: unknown, ctx: CallContext) => Promise<Result<unknown>>;

/** How a desk core in team mode answers calls that are not tier-1 mutations, and replays its outbox. */
export function createTeamCalls(deps: {
  store: Store;
  team: () => TeamSync | null;
  run: (name: MutationName, args: unknown, ctx: CallContext) => unknown;
  withClock: <T>(at: number, fn: () => T) => T;
  personal: PersonalSync;
}) {
  return {
    /** The agent's personal rows and the hub (sent on each write, on reconnect, before each list). */
    personal: deps.personal,

    /** The answer of a call that goes to the hub in team mode, or null to answer it here as usual. */
    route(method: string, args: unknown, ctx: CallContext, local: Dispatch): Promise<Result<unknown>> | null {
      const team = deps.team();
      if (!team) return null;
      if (REFUSED.has(method)) return Promise.resolve(fail('conflict', `${method} is not available on a desk of a team`));
      if (method === 'personal.list') {
        // The hub's rows (what the agent did on another PC), merged with this desk's writes not yet sent; offline, this desk's.
        return deps.personal.flush(true).then(() => local(method, args, ctx));
      }
      if (PERSONAL_WRITES.has(method)) {
        return local(method, args, ctx).then((r) => {
          if (r.ok) void deps.personal.flush(false);
          return r;
        });
      }
      if (HUB_FIRST.has(method)) {
        return team.forward(method, args).then((r) => (r.ok || r.error.code !== 'unavailable' ? r : local(method, args, ctx)));
      }
      if (LOCAL_FIRST.has(method)) {
        return local(method, args, ctx).then((r) => (r.ok || r.error.code !== 'not_found' ? r : team.forward(method, args)));
      }
      if (HUB_ONLY.has(method)) {
        return team.forward(method, args).then(async (r) => {
          // The hub's answer is the truth; the desk's own agent row follows at once.
          if (r.ok && method === 'agents.setState') await local(method, args, ctx);
          return r;
        });
      }
      return null;
    },

    /** An outbox entry's mutation, run again here as the agent who did it, at the time they did it. */
    runEntry(entry: HubOutboxEntry): unknown {
      if (!isMutationName(entry.name)) throw new AppError('unknown_method', `${entry.name} is not a mutation`);
      const name = entry.name;
      const parsed = methods[name].args.safeParse(entry.args);
      if (!parsed.success) throw new AppError('invalid_argument', `${name}: stored arguments no longer pass`);
      const ctx: CallContext = {
        connection: 'team-replay',
        agentId: entry.agentId,
        role: deps.store.agents.get(entry.agentId)?.role ?? 'agent',
      };
      return deps.withClock(entry.createdAt, () => deps.run(name, parsed.data, ctx));
    },
  };
}

export type TeamCalls = ReturnType<typeof createTeamCalls>;
