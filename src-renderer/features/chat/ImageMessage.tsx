import { useEffect, useState } from 'react';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';

/** The picture types a hub keeps (read from their bytes there); anything else is not shown. */
const SHOWN = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * A buyer's picture (issue 13). The file lives on the team hub; the desk asks for it through the
 * contract (`messages.image`, sent to the hub by a desk of a team) and shows it as a data: image of
 * a checked type, never as markup. On a desk that cannot reach it, a sentence says so.
 */
export function ImageMessage({ messageId }: { messageId: string }) {
  const { t } = useT();
  const client = useClient();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    void client.call('messages.image', { messageId }).then((r) => {
      if (!live) return;
      if (r.ok && SHOWN.has(r.value.mime) && /^[A-Za-z0-9+/=]+$/.test(r.value.base64))
        setSrc(`data:${r.value.mime};base64,${r.value.base64}`);
      else setFailed(true);
    });
    return () => {
      live = false;
    };
  }, [client, messageId]);
  if (src) return <img className="message-image" src={src} alt={t('message.image')} />;
  return <div className="muted">{failed ? t('message.imageUnavailable') : t('message.imageLoading')}</div>;
}
