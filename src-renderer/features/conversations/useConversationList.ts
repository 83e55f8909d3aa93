import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { ConversationSummary } from '../../../shared/domain/types';
import { useClient, useConnection, useCoreEvent } from '../../ipc/ClientContext';

/** Longest-waiting buyer first; conversations nobody waits in follow, most recent first. */
export function byLongestWaiting(a: ConversationSummary, b: ConversationSummary): number {
  if (a.waitingSince !== null && b.waitingSince !== null) return a.waitingSince - b.waitingSince;
  if (a.waitingSince !== null) return -1;
  if (b.waitingSince !== null) return 1;
  return b.lastMessageAt - a.lastMessageAt;
}

/**
 * The open conversations, kept current: reloaded when the core says some changed (coalesced, so a
 * burst of buyer messages costs one read) and when the connection comes back.
 */
export function useConversationList(): {
  conversations: ConversationSummary[] | null;
  error: ContractError | null;
} {
  const client = useClient();
  const { epoch } = useConnection();
  const [conversations, setConversations] = useState<ConversationSummary[] | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    const result = await client.call('conversations.list', { status: 'open' });
    if (mine !== generation.current) return; // a newer load is on its way
    if (result.ok) {
      setConversations([...result.value].sort(byLongestWaiting));
      setError(null);
    } else {
      setError(result.error);
    }
  }, [client]);

  useEffect(() => {
    void load();
  }, [load, epoch]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  useCoreEvent('conversations.changed', () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void load();
    }, 50);
  });

  return { conversations, error };
}
