import { useEffect, useState } from 'react';
import { useClient } from '../../ipc/ClientContext';

/** What each conversation's channel said, kept for the session: a desk gone offline still knows. */
const known = new Map<string, boolean>();

/**
 * Whether the buyer of this conversation can be sent pictures (the widget's visitors, the demo
 * buyers, an API bridge that said so), asked of the core once per conversation. Unknown (not asked
 * yet, no answer): false, so the 图片 button says why rather than queue a picture the hub refuses.
 */
export function useImageSupport(conversationId: string): boolean {
  const client = useClient();
  const [images, setImages] = useState(() => known.get(conversationId) ?? false);
  useEffect(() => {
    let live = true;
    setImages(known.get(conversationId) ?? false);
    void client.call('messages.imageSupport', { conversationId }).then((r) => {
      if (!r.ok) return;
      known.set(conversationId, r.value.images);
      if (live) setImages(r.value.images);
    });
    return () => {
      live = false;
    };
  }, [client, conversationId]);
  return images;
}
