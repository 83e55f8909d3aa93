import { useMemo } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { ConversationSummary } from '../../../shared/domain/types';
import { useReplicaConversations, useSyncError } from '../../db';

/** Longest-waiting buyer first; conversations nobody waits in follow, most recent first. */
export function byLongestWaiting(a: ConversationSummary, b: ConversationSummary): number {
  if (a.waitingSince !== null && b.waitingSince !== null) return a.waitingSince - b.waitingSince;
  if (a.waitingSince !== null) return -1;
  if (b.waitingSince !== null) return 1;
  return b.lastMessageAt - a.lastMessageAt;
}

/**
 * The open conversations, from the replica: current as soon as a pulled change or one of this desk's
 * own actions lands (null while the replica is first built).
 */
export function useConversationList(): {
  conversations: ConversationSummary[] | null;
  error: ContractError | null;
} {
  const rows = useReplicaConversations();
  const error = useSyncError().sync;
  const conversations = useMemo(() => (rows ? [...rows].sort(byLongestWaiting) : null), [rows]);
  return { conversations, error };
}
