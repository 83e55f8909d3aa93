import { formatCount } from '../../../shared/i18n';
import { formatClock } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useTeamStatus } from './TeamStatusProvider';

/**
 * Said under the header while it matters: the hub out of reach (the desk keeps working; how many
 * actions wait), the hub asking for a new sign-in, the shop still downloading. Nothing otherwise,
 * and nothing on a standalone desk.
 */
export function TeamBanner({ onSignIn }: { onSignIn: () => void }) {
  const { t, lang } = useT();
  const { status } = useTeamStatus();
  if (!status || status.mode !== 'team') return null;
  const n = formatCount(status.pending);
  if (status.link === 'signed-out') {
    return (
      <div className="connection-banner team-banner signed-out" role="alert">
        <span>{t('team.banner.signedOut', { n })}</span>
        <button type="button" onClick={onSignIn}>
          {t('team.banner.signIn')}
        </button>
      </div>
    );
  }
  if (status.link === 'offline') {
    return (
      <div className="connection-banner team-banner" role="status">
        {status.pending > 0 ? t('team.banner.offline', { n }) : t('team.banner.offlineNone')}
        {status.lastSyncedAt !== null && ` ${t('team.banner.lastSynced', { time: formatClock(lang, status.lastSyncedAt) })}`}
      </div>
    );
  }
  if (status.bootstrap.loading) {
    return (
      <div className="connection-banner team-banner loading" role="status">
        {t('team.banner.loading', { done: status.bootstrap.partsDone, total: status.bootstrap.partsTotal })}
      </div>
    );
  }
  return null;
}
