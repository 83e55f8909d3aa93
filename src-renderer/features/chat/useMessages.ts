import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
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

/**
 * What the desk holds of one conversation besides the replica's window: confirmed messages seen while
 * it is open (the replica may trim its window under the agent's eyes) and older pages from the core.
 * Always named by its conversation: held rows of another conversation are never read.
 */
type Held = {
  conversationId: string | null;
  /** Confirmed messages of this conversation, in time order. */
  messages: ReplicaMessage[];
  /** What the core said about older pages; null until it was asked. */
  hasMore: boolean | null;
  /** The first message shown when the conversation opened: whatever sorts before it was prepended. */
  anchor: string | null;
};

const empty = (conversationId: string | null): Held => ({ conversationId, messages: [], hasMore: null, anchor: null });

const confirmedOf = (conversationId: string | null, rows: ReplicaMessage[]) =>
  rows.filter((m) => !m.local && m.conversationId === conversationId);

/**
 * One conversation's messages: the replica's newest ones (this desk's unconfirmed replies among them,
 * marked) over what is held for that conversation, older pages from the core on demand. Never the
 * whole history at once, and never a row of another conversation: the live query answers for its own
 * key only, and an older page that comes back after a switch is dropped.
 */
export function useMessages(conversationId: string | null) {
  const client = useClient();
  const live = useReplicaMessages(conversationId);
  const [heldState, setHeld] = useState<Held>(() => empty(conversationId));
  const [error, setError] = useState<{ conversationId: string | null; error: ContractError } | null>(null);
  const [olderLoading, setOlderLoading] = useState<string | null>(null);
  const inFlight = useRef<string | null>(null);

  const held = heldState.conversationId === conversationId ? heldState : empty(conversationId);

  // Confirmed rows of the replica's window are kept once seen (messages never change).
  useEffect(() => {
    if (!live) return;
    setHeld((prev) => {
      const base = prev.conversationId === conversationId ? prev : empty(conversationId);
      const messages = mergeMessages(base.messages, confirmedOf(conversationId, live));
      const anchor = base.anchor ?? live[0]?.id ?? null;
      return base === prev && messages === base.messages && anchor === base.anchor ? prev : { ...base, messages, anchor };
    });
  }, [live, conversationId]);

  const messages = useMemo(() => {
    if (!live) return held.messages;
    // Unconfirmed rows mirror the replica exactly (a refused reply retried, a local one confirmed).
    return mergeMessages(
      held.messages,
      live.filter((m) => m.conversationId === conversationId),
    );
  }, [live, held.messages, conversationId]);

  const anchor = held.anchor ?? messages[0]?.id ?? null;
  const firstItemIndex = FIRST_INDEX - Math.max(0, anchor ? messages.findIndex((m) => m.id === anchor) : 0);
  // Until the core has been asked, a full window suggests there is more before it.
  const hasMore = held.hasMore ?? (live !== undefined && live.length >= PAGE_SIZE);

  const loadOlder = useCallback(async () => {
    const oldest = messages.find((m) => !m.local);
    if (!conversationId || !hasMore || !oldest || inFlight.current === conversationId) return;
    inFlight.current = conversationId;
    setOlderLoading(conversationId);
    try {
      const result = await client.call('messages.page', {
        conversationId,
        before: { createdAt: oldest.createdAt, id: oldest.id },
        limit: PAGE_SIZE,
      });
      if (!result.ok) {
        setError({ conversationId, error: result.error });
        return;
      }
      setError(null);
      // The agent may have switched meanwhile: a page is only ever added to its own conversation.
      setHeld((prev) =>
        prev.conversationId !== conversationId
          ? prev
          : {
              ...prev,
              messages: mergeMessages(prev.messages, confirmedOf(conversationId, result.value.messages)),
              hasMore: result.value.hasMore,
            },
      );
    } finally {
      if (inFlight.current === conversationId) inFlight.current = null;
      setOlderLoading((id) => (id === conversationId ? null : id));
    }
  }, [client, conversationId, hasMore, messages]);

  return {
    messages,
    hasMore,
    loaded: live !== undefined,
    firstItemIndex,
    olderLoading: olderLoading === conversationId,
    error: error?.conversationId === conversationId ? error.error : null,
    loadOlder,
  };
}
