import { useCallback, useMemo, useRef, useState } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { Message } from '../../../shared/domain/types';
import { MESSAGES_PER_CONVERSATION } from '../../../shared/sync/protocol';
import { byMessageTime, type ReplicaMessage } from '../../../shared/sync/replica';
import { useReplicaMessages } from '../../db';
import { useClient } from '../../ipc/ClientContext';

export const PAGE_SIZE = MESSAGES_PER_CONVERSATION;
/** Virtuoso counts prepended items down from here, so older pages keep the scroll position. */
const FIRST_INDEX = 1_000_000_000;

/** Adds messages not already held (by id), keeping time order; a held message is replaced by its newer copy. */
export function mergeMessages<T extends Message>(current: T[], incoming: T[]): T[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    if (byId.get(m.id) !== m) {
      byId.set(m.id, m);
      changed = true;
    }
  }
  return changed ? [...byId.values()].sort(byMessageTime) : current;
}

type Older = { conversationId: string | null; messages: ReplicaMessage[]; hasMore: boolean | null };

const none = (conversationId: string | null): Older => ({ conversationId, messages: [], hasMore: null });

/**
 * One conversation's messages: the newest ones from the replica (this desk's unconfirmed replies
 * among them, marked), older pages from the core on demand. Never the whole history at once.
 */
export function useMessages(conversationId: string | null) {
  const client = useClient();
  const live = useReplicaMessages(conversationId);
  const [older, setOlder] = useState<Older>(() => none(conversationId));
  const [error, setError] = useState<ContractError | null>(null);
  const loadingOlder = useRef(false);
  const [olderLoading, setOlderLoading] = useState(false);
  // Messages seen while this conversation is open stay shown even if the replica trims its window.
  const seen = useRef<{ conversationId: string | null; messages: ReplicaMessage[]; anchor: string | null }>({ conversationId, messages: [], anchor: null });

  const current = older.conversationId === conversationId ? older : none(conversationId);
  if (seen.current.conversationId !== conversationId) seen.current = { conversationId, messages: [], anchor: null };

  const messages = useMemo(() => {
    if (!live) return seen.current.messages;
    const liveIds = new Set(live.map((m) => m.id));
    // Unconfirmed rows mirror the replica exactly; confirmed ones are kept once seen (messages never change).
    const kept = seen.current.messages.filter((m) => !m.local || liveIds.has(m.id));
    const merged = mergeMessages(mergeMessages(kept, current.messages), live);
    // The first message shown when the conversation opened: whatever sorts before it was prepended.
    seen.current = { conversationId, messages: merged, anchor: seen.current.anchor ?? merged[0]?.id ?? null };
    return merged;
  }, [live, current.messages, conversationId]);

  const anchor = seen.current.anchor;
  const firstItemIndex = FIRST_INDEX - Math.max(0, anchor ? messages.findIndex((m) => m.id === anchor) : 0);
  // Until the core has been asked, a full window suggests there is more before it.
  const hasMore = current.hasMore ?? (live !== undefined && live.length >= PAGE_SIZE);

  const loadOlder = useCallback(async () => {
    const oldest = messages.find((m) => !m.local);
    if (!conversationId || !hasMore || !oldest || loadingOlder.current) return;
    loadingOlder.current = true;
    setOlderLoading(true);
    try {
      const result = await client.call('messages.page', {
        conversationId,
        before: { createdAt: oldest.createdAt, id: oldest.id },
        limit: PAGE_SIZE,
      });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setOlder((prev) => {
        const base = prev.conversationId === conversationId ? prev : none(conversationId);
        return {
          conversationId,
          messages: mergeMessages(base.messages, result.value.messages),
          hasMore: result.value.hasMore,
        };
      });
    } finally {
      loadingOlder.current = false;
      setOlderLoading(false);
    }
  }, [client, conversationId, hasMore, messages]);

  return {
    messages,
    hasMore,
    loaded: live !== undefined,
    firstItemIndex,
    olderLoading,
    error,
    loadOlder,
  };
}
