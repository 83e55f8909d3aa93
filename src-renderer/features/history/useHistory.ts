import { useCallback, useEffect, useRef, useState } from 'react';
import type { HistoryItem, HistoryPage } from '../../../shared/contract/conversations';
import type { ContractError } from '../../../shared/contract/errors';
import { useConversationMovesKey } from '../../db';
import { useClient } from '../../ipc/ClientContext';

const PAGE = 50;

/**
 * Ended conversations from the core (in team mode, the hub's whole history), a page at a time, for a
 * nick query and the agent's own or the shop's. A new query starts over after a short pause in typing;
 * an answer to an older query is dropped. It reads again when this desk's own 结束 / 重新打开 reach the
 * core (an end pushed a moment after the view opened is in the list once the core has it).
 */
export function useHistory(query: string, mine: boolean) {
  const client = useClient();
  const [items, setItems] = useState<HistoryItem[] | null>(null);
  const [next, setNext] = useState<HistoryPage['next']>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [loading, setLoading] = useState(false);
  const asked = useRef(0);
  const moves = useConversationMovesKey();

  const load = useCallback(
    (before: HistoryPage['next'], append: boolean) => {
      const n = ++asked.current;
      setLoading(true);
      void client
        .call('conversations.history', {
          ...(query.trim() ? { query: query.trim() } : {}),
          mine,
          limit: PAGE,
          ...(before ? { before } : {}),
        })
        .then((r) => {
          if (n !== asked.current) return;
          setLoading(false);
          if (!r.ok) return setError(r.error);
          setError(null);
          setItems((old) => (append && old ? [...old, ...r.value.items] : r.value.items));
          setNext(r.value.next);
        });
    },
    [client, query, mine],
  );

  useEffect(() => {
    const timer = setTimeout(() => load(null, false), query ? 250 : 0);
    return () => clearTimeout(timer);
  }, [load, query, moves]);

  const more = useCallback(() => {
    if (next && !loading) load(next, true);
  }, [next, loading, load]);

  /** Takes a reopened conversation out of the list at once (the core's answer follows on the next load). */
  const drop = useCallback((id: string) => setItems((old) => old?.filter((c) => c.id !== id) ?? old), []);
  return { items, error, loading, more, hasMore: next !== null, drop };
}
