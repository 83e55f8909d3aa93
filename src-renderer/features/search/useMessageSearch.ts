import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { SearchHit } from '../../../shared/contract/search';
import { useClient } from '../../ipc/ClientContext';

export type SearchQuery = { q: string; agentId?: string; direction?: 'buyer' | 'agent' | 'system'; from?: number; to?: number };

type State = { key: string; hits: SearchHit[]; next: string | null; total: number; totalBound: 'exact' | 'atMost' | 'atLeast' };

/** Searches as the agent types (after a short pause); later pages on demand; a stale answer is dropped. */
export function useMessageSearch(query: SearchQuery) {
  const client = useClient();
  const key = JSON.stringify(query);
  const [state, setState] = useState<State | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [loading, setLoading] = useState(false);
  const current = useRef(key);
  current.current = key;

  const run = useCallback(
    async (after: string | undefined) => {
      const asked = key;
      const { q, ...filters } = JSON.parse(asked) as SearchQuery;
      setLoading(true);
      const r = await client.call('messages.search', { q, ...filters, ...(after ? { after } : {}), limit: 50 });
      if (current.current !== asked) return;
      setLoading(false);
      if (!r.ok) return setError(r.error);
      setError(null);
      setState((prev) => ({
        key: asked,
        hits: after && prev?.key === asked ? [...prev.hits, ...r.value.hits] : r.value.hits,
        next: r.value.next,
        total: r.value.total,
        totalBound: r.value.totalBound,
      }));
    },
    [client, key],
  );

  useEffect(() => {
    if (query.q.trim() === '') return;
    const timer = setTimeout(() => void run(undefined), 150);
    return () => clearTimeout(timer);
  }, [run, query.q]);

  const shown = state && state.key === key && query.q.trim() !== '' ? state : null;
  const more = useCallback(() => {
    if (shown?.next && !loading) void run(shown.next);
  }, [shown, loading, run]);
  return { result: shown, error, loading, more };
}
