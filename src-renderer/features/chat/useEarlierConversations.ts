import { useCallback, useEffect, useState } from 'react';
import type { HistoryItem } from '../../../shared/contract/conversations';
import type { Message } from '../../../shared/domain/types';
import { useClient } from '../../ipc/ClientContext';

/** How many messages of an earlier conversation are shown above the current one (the rest is in 历史). */
export const EARLIER_MESSAGES = 200;

/** One earlier conversation shown above the current one, newest page of it. */
export type EarlierPart = { conversation: HistoryItem; messages: Message[]; truncated: boolean };

type State = {
  /** The conversation these belong to: a state of another is never shown. */
  key: string;
  /** Loaded earlier conversations, the most recent first. */
  parts: EarlierPart[];
  /** The next earlier conversation to offer (null: none left; undefined: not asked yet). */
  pending: HistoryItem | null | undefined;
  loading: boolean;
};

/**
 * A returning buyer's earlier conversations (issue 15), for the chat to put above the current one:
 * the most recent ended conversation is offered first; each one loaded offers the one before it.
 * Asked of the core (in team mode the hub, which has the whole history).
 */
export function useEarlierConversations(customerId: string, conversationId: string) {
  const client = useClient();
  const [state, setState] = useState<State>({ key: conversationId, parts: [], pending: undefined, loading: false });
  const current = state.key === conversationId ? state : { key: conversationId, parts: [], pending: undefined, loading: false };

  const peek = useCallback(
    async (before: HistoryItem | null): Promise<HistoryItem | null> => {
      const r = await client.call('conversations.history', {
        customerId,
        limit: 1,
        ...(before ? { before: { lastMessageAt: before.lastMessageAt, id: before.id } } : {}),
      });
      return r.ok ? (r.value.items[0] ?? null) : null;
    },
    [client, customerId],
  );

  useEffect(() => {
    let live = true;
    void peek(null).then((pending) => {
      if (live)
        setState((s) =>
          s.key === conversationId && s.pending === undefined
            ? { ...s, pending }
            : s.key === conversationId
              ? s
              : { key: conversationId, parts: [], pending, loading: false },
        );
    });
    return () => {
      live = false;
    };
  }, [peek, conversationId]);

  const loadEarlier = useCallback(async () => {
    const pending = current.pending;
    if (!pending || current.loading) return;
    setState((s) => (s.key === conversationId ? { ...s, loading: true } : s));
    const page = await client.call('messages.page', { conversationId: pending.id, limit: EARLIER_MESSAGES });
    const after = await peek(pending);
    setState((s) => {
      if (s.key !== conversationId || s.pending?.id !== pending.id) return s;
      if (!page.ok) return { ...s, loading: false };
      const part: EarlierPart = { conversation: pending, messages: page.value.messages, truncated: page.value.hasMore };
      return { ...s, parts: [...s.parts, part], pending: after, loading: false };
    });
  }, [client, conversationId, current.pending, current.loading, peek]);

  return { parts: current.parts, pending: current.pending ?? null, loading: current.loading, loadEarlier };
}
