import { useCallback, useMemo } from 'react';
import { newId } from '../../../shared/domain/ids';
import { mayTransfer } from '../../../shared/domain/policy';
import type { ConversationSummary, TeamAgent } from '../../../shared/domain/types';
import { useMutate, useReplicaAgents } from '../../db';
import { useAppInfo } from '../../hooks/useAppInfo';

/** The roster from the replica (enabled accounts only), each one's nick by id, and whether it has been read yet. */
export function useRoster(): { agents: TeamAgent[]; nicks: Map<string, string>; loaded: boolean } {
  const rows = useReplicaAgents();
  return useMemo(() => {
    const agents = (rows ?? []).filter((a) => !a.disabled);
    return { agents, nicks: new Map((rows ?? []).map((a) => [a.id, a.nick])), loaded: rows !== undefined };
  }, [rows]);
}

/**
 * 接入 and 转接 as this desk's agent: queued mutations (at once in the replica, then the core, which
 * refuses a take someone beat them to, or a transfer whose owner changed since it was shown).
 */
export function useRouting() {
  const mutate = useMutate();
  const { info } = useAppInfo();
  const agentId = info?.agent.id ?? null;
  const role = info?.agent.role;
  const take = useCallback((conversationId: string) => void mutate('conversations.take', { conversationId }), [mutate]);
  const transfer = useCallback(
    (conversation: Pick<ConversationSummary, 'id' | 'agentId'>, toAgentId: string | null, note: string) =>
      void mutate('conversations.transfer', {
        id: newId(),
        conversationId: conversation.id,
        toAgentId,
        expectedAgentId: conversation.agentId,
        note: note.trim(),
      }),
    [mutate],
  );
  /** Whether this agent may hand the conversation on (its owner; a supervisor or the owner any). */
  const canTransfer = useCallback(
    (c: Pick<ConversationSummary, 'agentId'>) => agentId !== null && role !== undefined && mayTransfer({ agentId, role }, c.agentId),
    [agentId, role],
  );
  return { take, transfer, canTransfer, agentId };
}
