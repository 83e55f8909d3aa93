import { useSyncNotices } from '../db';
import { errorText, type MessageKey } from '../i18n';
import { useT } from '../i18n/useT';

/** Actions the core refused after the desk showed them (tags, groups, notes…): said once, until dismissed. */
export function SyncNotices() {
  const { t } = useT();
  const { notices, dismiss } = useSyncNotices();
  if (notices.length === 0) return null;
  return (
    <div className="sync-notices">
      {notices.slice(-3).map((n) => (
        <div key={n.id} role="alert" className="sync-notice">
          <span>{t('notice.refused', { what: t(`mutation.${n.name}` as MessageKey), reason: errorText(t, n.error) })}</span>
          <button type="button" className="link" onClick={() => dismiss(n.id!)}>
            {t('notice.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}
