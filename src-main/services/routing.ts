import { AppError } from '../../shared/contract/errors';
import { chooseAgent, transferLine } from '../../shared/domain/routing';
import { requireRole, requireTransfer, type Caller } from '../../shared/domain/policy';
import type { TeamAgent } from '../../shared/domain/types';
import type { Store } from '../store';
import type { Clock } from './conversations';

/** Where the round robin stands: the agent routing gave the last buyer to (a setting, so a restart goes on from there). */
const LAST_ASSIGNED = 'routing.lastAssigned';

export type TransferArgs = { id: string; conversationId: string; toAgentId: string | null; expectedAgentId: string | null; note: string };

/**
 * Assignment and routing (issue 12). `present` names the agents signed in at a connected desk right
 * now (the core's live sessions, not the debounced `present` column the replicas read), so a desk
 * that has just gone away gets no new buyer.
 *
 * - `route()` picks the agent for a new buyer: round robin over the roster, only agents 在线, present
 *   and below their maximum of open conversations; null leaves the buyer in the queue (未分配).
 * - `take` (接入): anyone takes a conversation nobody owns; one somebody owns is a `conflict`.
 * - `transfer` (转接): to a colleague or back to the queue, with a note, as a system line in the
 *   history. Only if the owner is still the one the caller saw (`conflict` otherwise); its owner may,
 *   and a supervisor or the owner may reassign any.
 * - `setMaxOpen`: each agent's maximum (supervisors and the owner).
 */
export function routingService(store: Store, now: Clock, present: () => ReadonlySet<string>) {
  function openConversation(conversationId: string) {
    const c = store.conversations.get(conversationId);
    if (!c) throw new AppError('not_found', `no conversation ${conversationId}`);
    if (c.status !== 'open') throw new AppError('conflict', 'the conversation has ended');
    return c;
  }

  return {
    /** The agent a new buyer goes to (null: the queue), moving the round robin on. Call inside the buyer's transaction. */
    route(): string | null {
      const here = present();
      // Each agent's load is counted only when the walk reaches someone 在线 and present (a getter,
      // read after the cheap checks): a new buyer costs a count or two, not a GROUP BY over every open conversation.
      const roster = store.agents.routingRoster().map((a) => ({
        id: a.id,
        state: a.state,
        present: here.has(a.id),
        disabled: a.disabled,
        maxOpen: a.maxOpen,
        get open() {
          return store.agents.openCountOf(a.id);
        },
      }));
      const chosen = chooseAgent(roster, store.settings.get<string | null>(LAST_ASSIGNED, null));
      if (chosen !== null) store.settings.set(LAST_ASSIGNED, chosen);
      return chosen;
    },

    take(conversationId: string, caller: Caller): null {
      store.tx(() => {
        const c = openConversation(conversationId);
        if (c.agentId === caller.agentId) return;
        if (c.agentId !== null) throw new AppError('conflict', 'a colleague took this conversation first', { agentId: c.agentId });
        if (!store.agents.get(caller.agentId)) throw new AppError('unauthorized', 'sign in as an agent to take a conversation');
        store.conversations.assign(conversationId, caller.agentId, now());
      });
      return null;
    },

    transfer(args: TransferArgs, caller: Caller): null {
      store.tx(() => {
        // The system line's id is the caller's: a repeat of the same transfer is done already.
        const done = store.messages.get(args.id);
        if (done) {
          if (done.conversationId !== args.conversationId || done.sender !== 'system')
            throw new AppError('conflict', `message id ${args.id} is taken`);
          return;
        }
        const c = openConversation(args.conversationId);
        if (c.agentId !== args.expectedAgentId) {
          throw new AppError('conflict', 'the conversation changed hands since it was shown', { agentId: c.agentId });
        }
        requireTransfer(caller, c.agentId);
        if (args.toAgentId === c.agentId) throw new AppError('invalid_argument', 'the conversation is there already');
        const to = args.toAgentId === null ? null : store.agents.get(args.toAgentId);
        if (args.toAgentId !== null && (!to || to.disabled)) throw new AppError('not_found', `no colleague ${args.toAgentId}`);
        const by = store.agents.get(caller.agentId);
        const from = c.agentId === null ? null : (store.agents.get(c.agentId) ?? null);
        const at = now();
        const text = transferLine({ by: by?.nick ?? '', from: from?.nick ?? null, to: to?.nick ?? null, note: args.note });
        store.conversations.assign(args.conversationId, args.toAgentId, at, false);
        store.messages.insert({
          id: args.id,
          conversation_id: args.conversationId,
          sender: 'system',
          agent_id: null,
          kind: 'text',
          text,
          order_id: null,
          created_at: at,
        });
        store.conversations.applyMessage(args.conversationId, 'system', at, text);
      });
      return null;
    },

    setMaxOpen(agentIds: readonly string[], maxOpen: number, caller: Caller): TeamAgent[] {
      requireRole(caller, 'superviseTeam');
      return store.tx(() => {
        for (const id of agentIds) if (!store.agents.get(id)) throw new AppError('not_found', `no agent ${id}`);
        store.agents.setMaxOpen(agentIds, maxOpen, now());
        return store.agents.list();
      });
    },
  };
}

export type RoutingService = ReturnType<typeof routingService>;
