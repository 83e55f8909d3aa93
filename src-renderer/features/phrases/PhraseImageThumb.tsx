import { useEffect, useState } from 'react';
import type { PhraseImage } from '../../../shared/domain/types';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';
import { phraseImage } from './phraseImage';

/** A phrase's picture, small (the picker's preview, the phrase editor). */
export function PhraseImageThumb({ phraseId, image }: { phraseId: string; image: PhraseImage }) {
  const { t } = useT();
  const client = useClient();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setSrc(null);
    void phraseImage(client, phraseId, image.hash).then((got) => {
      if (!live) return;
      if (got) setSrc(`data:${got.mime};base64,${got.base64}`);
      else setFailed(true);
    });
    return () => {
      live = false;
    };
  }, [client, phraseId, image.hash]);
  if (!src) return <span className="muted">{failed ? t('message.imageUnavailable') : t('message.imageLoading')}</span>;
  return <img className="phrase-image" src={src} alt={t('picker.image')} />;
}
