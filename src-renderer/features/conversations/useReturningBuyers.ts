import { useEffect, useRef, useState } from 'react';
import type { ConversationSummary } from '../../../shared/domain/types';
import { useClient, useConnection } from '../../ipc/ClientContext';

/** The most buyers asked in one call (the contract's bound). */
const BATCH = 1000;

/**
 * Which listed buyers are returning (they have an ended conversation: 老客), asked of the core
 * (`conversations.returning`; on a team's desk the hub, which holds the history) for buyers the desk
 * has not asked about in their current conversation. An answer holds while that conversation is
 * listed (a buyer has one open conversation: no other of theirs can end meanwhile); a new
 * conversation of the buyer is asked again. A failed call is asked again on reconnect.
 */
export function useReturningBuyers(conversations: readonly ConversationSummary[] | null): ReadonlySet<string> {
  const client = useClient();
  const { epoch } = useConnection();
  const [returning, setReturning] = useState<ReadonlySet<string>>(() => new Set());
  // customerId → the conversation id it was asked for.
  const asked = useRef(new Map<string, string>());
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    if (!conversations) return;
    const todo = conversations.filter((c) => asked.current.get(c.customerId) !== c.id);
    if (todo.length === 0) return;
    for (const c of todo) asked.current.set(c.customerId, c.id);
    const ids = [...new Set(todo.map((c) => c.customerId))];
    // Not cancelled by the next list: each answer is kept once it comes (the buyers are marked asked).
    void (async () => {
      for (let i = 0; i < ids.length; i += BATCH) {
        const batch = ids.slice(i, i + BATCH);
        const result = await client.call('conversations.returning', { customerIds: batch });
        if (!result.ok) {
          for (const id of batch) asked.current.delete(id);
          continue;
        }
        if (!mounted.current) return;
        const yes = new Set(result.value);
        setReturning((prev) => {
          const next = new Set(prev);
          for (const id of batch) {
            if (yes.has(id)) next.add(id);
            else next.delete(id);
          }
          return next;
        });
      }
    })();
  }, [client, conversations, epoch]);
  return returning;
}
