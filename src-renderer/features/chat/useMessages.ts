import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { Message } from '../../../shared/domain/types';
import { useClient, useConnection, useCoreEvent } from '../../ipc/ClientContext';

export const PAGE_SIZE = 50;
/** Virtuoso counts prepended items down from here, so older pages keep the scroll position. */
const FIRST_INDEX = 1_000_000_000;

function byTime(a: Message, b: Message): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Adds messages not already held (by id), keeping time order. */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const known = new Set(current.map((m) => m.id));
  const fresh = incoming.filter((m) => !known.has(m.id));
  if (fresh.length === 0) return current;
  const last = current[current.length - 1];
  const appendOnly = !last || fresh.every((m) => byTime(last, m) < 0);
  return appendOnly ? [...current, ...[...fresh].sort(byTime)] : [...current, ...fresh].sort(byTime);
}

type State = {
  conversationId: string | null;
  messages: Message[];
  hasMore: boolean;
  firstItemIndex: number;
  loaded: boolean;
};

const empty = (conversationId: string | null): State => ({
  conversationId,
  messages: [],
  hasMore: false,
  firstItemIndex: FIRST_INDEX,
  loaded: false,
});

/**
 * One conversation's messages: the newest page first, older pages on demand, new ones live.
 * Never the whole history at once.
 */
export function useMessages(conversationId: string | null) {
  const client = useClient();
  const { epoch } = useConnection();
  const [state, setState] = useState<State>(() => empty(conversationId));
  const [error, setError] = useState<ContractError | null>(null);
  const loadingOlder = useRef(false);
  const [olderLoading, setOlderLoading] = useState(false);

  // Switching conversations starts from an empty page at once (no flash of the previous one).
  const current = state.conversationId === conversationId ? state : empty(conversationId);

  useEffect(() => {
    if (!conversationId) return;
    let live = true;
    void client.call('messages.page', { conversationId, limit: PAGE_SIZE }).then((result) => {
      if (!live) return;
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setState((prev) => {
        const base = prev.conversationId === conversationId ? prev : empty(conversationId);
        const messages = mergeMessages(base.messages, result.value.messages);
        return {
          ...base,
          messages,
          hasMore: base.loaded ? base.hasMore : result.value.hasMore,
          firstItemIndex: base.firstItemIndex - (messages.length - base.messages.length - countAfter(base.messages, result.value.messages)),
          loaded: true,
        };
      });
    });
    return () => {
      live = false;
    };
  }, [client, conversationId, epoch]);

  useCoreEvent('messages.added', ({ message }) => {
    if (message.conversationId !== conversationId) return;
    setState((prev) => (prev.conversationId === conversationId && prev.loaded ? { ...prev, messages: mergeMessages(prev.messages, [message]) } : prev));
  });

  const loadOlder = useCallback(async () => {
    const oldest = current.messages[0];
    if (!conversationId || !current.hasMore || !oldest || loadingOlder.current) return;
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
      setState((prev) => {
        if (prev.conversationId !== conversationId) return prev;
        const merged = mergeMessages(prev.messages, result.value.messages);
        return {
          ...prev,
          messages: merged,
          hasMore: result.value.hasMore,
          firstItemIndex: prev.firstItemIndex - (merged.length - prev.messages.length),
        };
      });
    } finally {
      loadingOlder.current = false;
      setOlderLoading(false);
    }
  }, [client, conversationId, current.hasMore, current.messages]);

  /** Puts a message the core just confirmed in place without waiting for its event. */
  const receive = useCallback(
    (message: Message) =>
      setState((prev) => (prev.conversationId === message.conversationId ? { ...prev, messages: mergeMessages(prev.messages, [message]) } : prev)),
    [],
  );

  return {
    messages: current.messages,
    hasMore: current.hasMore,
    loaded: current.loaded,
    firstItemIndex: current.firstItemIndex,
    olderLoading,
    error,
    loadOlder,
    receive,
  };
}

/** How many of `incoming` sort after everything in `current` (appended, not prepended). */
function countAfter(current: Message[], incoming: Message[]): number {
  const last = current[current.length - 1];
  const known = new Set(current.map((m) => m.id));
  if (!last) return 0;
  return incoming.filter((m) => !known.has(m.id) && byTime(last, m) < 0).length;
}
