import { useCallback } from 'react';
import { newId } from '../../../shared/domain/ids';
import { useMutate, useRetrySend } from '../../db';

/**
 * Send and retry for a conversation. The message id is made here, before anything leaves the desk:
 * the reply shows at once (pending), waits in the outbox through a reload or an outage, and the core
 * stores that id once however often it arrives. A reply the core refuses shows failed; retry sends
 * it again under the same id.
 */
export function useSend(conversationId: string | null) {
  const mutate = useMutate();
  const retrySend = useRetrySend();
  const send = useCallback(
    (text: string, orderId?: string) => {
      if (!conversationId || !text.trim()) return;
      void mutate('messages.send', { id: newId(), conversationId, text, ...(orderId ? { orderId } : {}) });
    },
    [conversationId, mutate],
  );
  const retry = useCallback((id: string) => void retrySend(id), [retrySend]);
  return { send, retry };
}
