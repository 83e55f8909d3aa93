import { useEffect, useState } from 'react';
import { isImageMime } from '../../../shared/domain/images';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';

const DATA_URL = /^data:(image\/(?:png|jpeg|gif|webp));base64,[A-Za-z0-9+/]+={0,2}$/;

/**
 * A picture in the chat (issue 13), a buyer's or an agent's: a thumbnail that opens large. The file
 * lives with the core (on a team's hub; a desk's own picture also here) and comes through the
 * contract (`messages.image`) as a data: image of a checked type, never as markup. An agent's
 * picture not stored yet shows from its own queued bytes (`local`). Unreachable: a sentence says so.
 */
export function ImageMessage({ messageId, local = null }: { messageId: string; local?: string | null }) {
  const { t } = useT();
  const client = useClient();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [large, setLarge] = useState(false);
  const shownLocal = local && DATA_URL.test(local) ? local : null;
  useEffect(() => {
    if (shownLocal) return;
    let live = true;
    void client.call('messages.image', { messageId }).then((r) => {
      if (!live) return;
      if (r.ok && isImageMime(r.value.mime) && /^[A-Za-z0-9+/=]+$/.test(r.value.base64))
        setSrc(`data:${r.value.mime};base64,${r.value.base64}`);
      else setFailed(true);
    });
    return () => {
      live = false;
    };
  }, [client, messageId, shownLocal]);
  useEffect(() => {
    if (!large) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setLarge(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [large]);
  const shown = shownLocal ?? src;
  if (!shown) return <div className="muted">{failed ? t('message.imageUnavailable') : t('message.imageLoading')}</div>;
  return (
    <>
      <button type="button" className="message-image-open" aria-label={t('message.imageOpen')} onClick={() => setLarge(true)}>
        <img className="message-image" src={shown} alt={t('message.image')} />
      </button>
      {large && (
        <div className="image-lightbox" role="dialog" aria-modal="true" aria-label={t('message.image')} onClick={() => setLarge(false)}>
          <img src={shown} alt={t('message.image')} />
          <button
            type="button"
            className="image-lightbox-close"
            aria-label={t('message.imageClose')}
            autoFocus
            onClick={() => setLarge(false)}
          >
            ×
          </button>
        </div>
      )}
    </>
  );
}
