import { useCallback } from 'react';
import { newId } from '../../../shared/domain/ids';
import { IMAGE_TEXT } from '../../../shared/domain/images';
import { useMutate, useRetrySend } from '../../db';
import { productCardText, type ProductCard } from '../../../shared/domain/productCard';

/**
 * Send and retry for a conversation. The message id is made here, before anything leaves the desk:
 * the reply shows at once (pending), waits in the outbox through a reload or an outage, and the core
 * stores that id once however often it arrives. A reply the core refuses shows failed; retry sends
 * it again under the same id. `send` resolves false when the reply could not be saved even locally.
 */
export function useSend(conversationId: string | null) {
  const mutate = useMutate();
  const retrySend = useRetrySend();
  const send = useCallback(
    async (text: string, orderId?: string): Promise<boolean> => {
      if (!conversationId || !text.trim()) return false;
      return (await mutate('messages.send', { id: newId(), conversationId, text, ...(orderId ? { orderId } : {}) })) !== null;
    },
    [conversationId, mutate],
  );
  /** A picture (checked base64): a reply of its own, queued like any other. */
  const sendImage = useCallback(
    async (base64: string): Promise<boolean> => {
      if (!conversationId) return false;
      return (await mutate('messages.send', { id: newId(), conversationId, text: IMAGE_TEXT, image: { base64 } })) !== null;
    },
    [conversationId, mutate],
  );
  /** A product card (its fields; the core writes its text): a reply of its own, queued like any other. */
  const sendProduct = useCallback(
    async (card: ProductCard): Promise<boolean> => {
      if (!conversationId) return false;
      return (await mutate('messages.send', { id: newId(), conversationId, text: productCardText(card), product: card })) !== null;
    },
    [conversationId, mutate],
  );
  const retry = useCallback((id: string) => void retrySend(id), [retrySend]);
  return { send, sendImage, sendProduct, retry };
}
