import { useT } from '../../i18n/useT';
import type { PendingPicture } from './picture';

function sizeText(bytes: number, lang: string): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString(lang)} KB`;
  return `${(bytes / 1024 / 1024).toLocaleString(lang, { maximumFractionDigits: 1 })} MB`;
}

/** The picture waiting in the reply box: a thumbnail, its size, and a way to take it out again. */
export function PendingPictureView({ picture, onRemove }: { picture: PendingPicture; onRemove: () => void }) {
  const { t, lang } = useT();
  return (
    <div className="composer-picture" role="group" aria-label={t('composer.picturePending')}>
      <img src={picture.url} alt={t('composer.picturePending')} />
      <span className="muted">
        {t('composer.pictureInfo', { width: picture.width, height: picture.height, size: sizeText(picture.bytes, lang) })}
      </span>
      <button
        type="button"
        className="link"
        aria-label={t('composer.pictureRemove')}
        title={t('composer.pictureRemove')}
        onClick={onRemove}
      >
        ×
      </button>
    </div>
  );
}
