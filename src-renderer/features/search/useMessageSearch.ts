import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractError } from '../../../shared/contract/errors';
import type { SearchHit } from '../../../shared/contract/search';
import { useClient } from '../../ipc/ClientContext';

export type SearchQuery = { q: string; agentId?: string; direction?: 'buyer' | 'agent' | 'system'; from?: number; to?: number };

/** Hits below which the next page is asked for without the agent scrolling. */
const AUTO_CONTINUE_BELOW = 50;

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
      setState((prev) => {
        const hits = after && prev?.key === asked ? [...prev.hits, ...r.value.hits] : r.value.hits;
        // Every page is held once the last one is in: their number is the count.
        const done = r.value.next === null;
        return {
          key: asked,
          hits,
          next: r.value.next,
          total: done ? hits.length : r.value.total,
          totalBound: done ? 'exact' : r.value.totalBound,
        };
      });
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
  // A filtered search looks at a window of the history per call: a short page with a cursor goes on by itself.
  const short = shown !== null && shown.next !== null && shown.hits.length < AUTO_CONTINUE_BELOW;
  useEffect(() => {
    if (short && !loading && !error) more();
  }, [short, loading, error, more]);
  return { result: shown, error, loading, more, searchingOlder: short };
}
