import { useCallback } from 'react';
import type { Message } from '../../../shared/domain/types';
import { newId } from '../../../shared/domain/ids';
import type { Client } from '../../ipc/client';
import { useClient } from '../../ipc/ClientContext';
import { errorText, type Translate } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useDeskStore } from '../../state/store';

/**
 * Sends one reply that is already in the outgoing list. Safe to call again for the same id
 * (retry, reload): the core stores a message id once.
 */
export async function deliver(client: Client, t: Translate, id: string, onStored?: (m: Message) => void): Promise<void> {
  const store = useDeskStore.getState();
  const entry = store.outgoing[id];
  if (!entry) return;
  store.markOutgoing(id, 'pending');
  const result = await client.call('messages.send', {
    id,
    conversationId: entry.conversationId,
    text: entry.text,
    ...(entry.orderId ? { orderId: entry.orderId } : {}),
  });
  if (result.ok) {
    onStored?.(result.value);
    useDeskStore.getState().confirmOutgoing(id);
  } else {
    useDeskStore.getState().markOutgoing(id, 'failed', errorText(t, result.error));
  }
}

/** Send and retry for the open conversation. The id is made here, before anything leaves the desk. */
export function useSend(conversationId: string | null, onStored: (m: Message) => void) {
  const client = useClient();
  const { t } = useT();
  const send = useCallback(
    (text: string, orderId?: string) => {
      if (!conversationId || !text.trim()) return;
      const id = newId();
      useDeskStore.getState().addOutgoing({ id, conversationId, text, createdAt: Date.now(), status: 'pending', ...(orderId ? { orderId } : {}) });
      void deliver(client, t, id, onStored);
    },
    [client, conversationId, onStored, t],
  );
  const retry = useCallback((id: string) => void deliver(client, t, id, onStored), [client, onStored, t]);
  return { send, retry };
}
