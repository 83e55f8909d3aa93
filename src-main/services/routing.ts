import { AppError } from '../../shared/contract/errors';
import { chooseAgent, routable, transferLine } from '../../shared/domain/routing';
import { requireRole, requireTransfer, type Caller } from '../../shared/domain/policy';
import type { TeamAgent } from '../../shared/domain/types';
import type { Store } from '../store';
import type { Clock } from './conversations';

/** Where the round robin stands: the agent routing gave the last buyer to (a setting, so a restart goes on from there). */
const LAST_ASSIGNED = 'routing.lastAssigned';
/** The key of routing's roster and loads kept for one outermost transaction (see `route`). */
const ROUTING_MEMO = {};

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
    /**
     * The agent a new buyer goes to (null: the queue), moving the round robin on. Call inside the
     * buyer's transaction. The roster and the loads the walk reads are kept for the rest of the
     * outermost transaction (`store.perTransaction`: the buyers of one group commit read them once,
     * not once each); the agent the walk picks is read again as it is now (state, maximum, open
     * conversations, in one statement) before the buyer goes to them, so a stale entry can only make
     * the walk pass someone over within that one transaction, never give an agent more than their
     * maximum. After a choice, that agent's kept load counts the buyer just given.
     */
    route(): string | null {
      const here = present();
      const kept = store.perTransaction(ROUTING_MEMO, () => ({ roster: store.agents.routingRoster(), open: new Map<string, number>() }));
      // Each agent's load is counted only when the walk reaches someone 在线 and present (a getter,
      // read after the cheap checks): a new buyer costs a count or two, not a GROUP BY over every open conversation.
      const roster = kept.roster.map((a) => ({
        id: a.id,
        state: a.state,
        present: here.has(a.id),
        disabled: a.disabled,
        maxOpen: a.maxOpen,
        get open() {
          let open = kept.open.get(a.id);
          if (open === undefined) {
            open = store.agents.openCountOf(a.id);
            kept.open.set(a.id, open);
          }
          return open;
        },
      }));
      const last = store.settings.get<string | null>(LAST_ASSIGNED, null);
      // Each pass that finds its choice stale corrects that entry, so at most one pass per agent.
      for (let pass = 0; pass <= roster.length; pass++) {
        const chosen = chooseAgent(roster, last);
        if (chosen === null) return null;
        const now = store.agents.routingCheck(chosen);
        const i = roster.findIndex((a) => a.id === chosen);
        if (now && routable({ id: chosen, ...now, present: here.has(chosen) })) {
          kept.open.set(chosen, now.open + 1);
          store.settings.set(LAST_ASSIGNED, chosen);
          return chosen;
        }
        // Changed within this transaction: keep what is true now (gone: never routable again here).
        const fresh = now
          ? { id: chosen, state: now.state, maxOpen: now.maxOpen, disabled: now.disabled }
          : { ...kept.roster[i]!, disabled: true };
        const open = now?.open ?? Number.POSITIVE_INFINITY;
        kept.roster[i] = fresh;
        kept.open.set(chosen, open);
        roster[i] = { ...fresh, present: here.has(chosen), open };
      }
      return null;
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
