import { useT } from '../../i18n/useT';
import { teamIndicator } from './teamText';
import { useTeamStatus } from './TeamStatusProvider';

/** The header's word on the link to the hub (在线 / 离线 · N 条操作待同步 / 正在同步…); a standalone desk shows none. */
export function TeamIndicator({ onOpen }: { onOpen: () => void }) {
  const { t } = useT();
  const { status } = useTeamStatus();
  const shown = teamIndicator(status);
  if (!shown || !status) return null;
  const text = t(shown.key, shown.vars);
  return (
    <button
      type="button"
      className={`team-indicator tone-${shown.tone}`}
      aria-label={t('team.header.label', { state: text })}
      title={status.hubUrl ?? undefined}
      onClick={onOpen}
    >
      <span className="dot" aria-hidden="true" />
      {text}
    </button>
  );
}
