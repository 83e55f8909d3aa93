import { useT } from '../i18n/useT';

/** 待同步: this change shows already, and the core has not confirmed it yet (it waits in the outbox). */
export function PendingMark() {
  const { t } = useT();
  return <span className="pending-mark">{t('sync.pending')}</span>;
}
