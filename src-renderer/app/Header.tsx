import { useEffect, useState } from 'react';
import { may } from '../../shared/domain/policy';
import type { Agent, AgentState } from '../../shared/domain/types';
import { usePendingActions, useSyncError } from '../db';
import { useClient } from '../ipc/ClientContext';
import { useAppInfo } from '../hooks/useAppInfo';
import { errorText } from '../i18n';
import { useT } from '../i18n/useT';
import { useConnection } from '../ipc/ClientContext';
import { useDeskStore } from '../state/store';
import { TeamIndicator } from '../features/team/TeamIndicator';
import { useTeamStatus } from '../features/team/TeamStatusProvider';

const STATES: AgentState[] = ['online', 'busy', 'offline'];

/** Shop, agent and their state (在线 / 挂起 / 离线), and the connection, said plainly when it drops. */
export function Header({
  onShortcuts,
  onSettings,
  onState,
  onTeam,
}: {
  onShortcuts: () => void;
  onSettings: () => void;
  /** The agent picked a state (the desk asks before 离线 with open conversations). */
  onState: (state: AgentState) => void;
  /** Opens the team hub's dialog (the header's indicator). */
  onTeam: () => void;
}) {
  const { t } = useT();
  const { state } = useConnection();
  const { local: localFailure, store: storeFault } = useSyncError();
  const pending = usePendingActions()?.count ?? 0;
  const { info, switchAgent } = useAppInfo();
  const client = useClient();
  const { status: team, membershipKey } = useTeamStatus();
  // On a team's desk the account is the one signed in to the hub: shown, not switched.
  const member = team?.mode === 'team';
  const [agents, setAgents] = useState<Agent[]>([]);
  useEffect(() => {
    void client.call('agents.list', {}).then((r) => r.ok && setAgents(r.value));
  }, [client, membershipKey]);
  const mayExport = may(info?.agent.role, 'exportLogs');
  const mayLead = may(info?.agent.role, 'superviseTeam');
  const mayReport = may(info?.agent.role, 'viewReports');
  const screens = [
    'desk' as const,
    ...(mayLead ? (['supervisor'] as const) : []),
    ...(['search', 'history', 'phrases', 'automation'] as const),
    ...(mayReport ? (['reports'] as const) : []),
    ...(mayExport ? (['logExport'] as const) : []),
    ...(may(info?.agent.role, 'keepChannels') ? (['channels'] as const) : []),
  ];
  const screen = useDeskStore((s) => s.screen);
  const setScreen = useDeskStore((s) => s.setScreen);

  return (
    <>
      <header className="app-header">
        <span className="brand">{t('app.name')}</span>
        {info && <span className="shop">{info.shop.name}</span>}
        <nav aria-label={t('nav.label')} className="nav">
          {screens.map((s) => (
            <button key={s} type="button" aria-current={screen === s ? 'page' : undefined} onClick={() => setScreen(s)}>
              {t(`nav.${s}`)}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <TeamIndicator onOpen={onTeam} />
        {info && (
          <>
            {member ? (
              <span className="agent agent-fixed" aria-label={t('header.account')}>
                {info.agent.nick}（{t(`role.${info.agent.role}`)}）
              </span>
            ) : (
              <label className="agent">
                <span className="sr-only">{t('header.account')}</span>
                <select aria-label={t('header.account')} value={info.agent.id} onChange={(e) => void switchAgent(e.target.value)}>
                  {(agents.length ? agents : [info.agent]).map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.nick}（{t(`role.${a.role}`)}）
                    </option>
                  ))}
                </select>
              </label>
            )}
            <div role="radiogroup" aria-label={t('agentState.label')} className="agent-state">
              {STATES.map((s) => (
                <button
                  key={s}
                  type="button"
                  role="radio"
                  aria-checked={info.agent.state === s}
                  className={`state-${s}`}
                  title={t(`agentState.${s}.hint`)}
                  onClick={() => onState(s)}
                >
                  {t(`agentState.${s}`)}
                </button>
              ))}
            </div>
          </>
        )}
        <button type="button" className="header-settings" onClick={onSettings}>
          {t('settings.title')}
        </button>
        <button type="button" className="header-help" aria-label={t('keys.title')} onClick={onShortcuts}>
          ?
        </button>
      </header>
      {state !== 'open' && (
        <div className="connection-banner" role="status">
          {state === 'connecting' ? t('connection.connecting') : t('connection.closed')}
          {` ${pending > 0 ? t('connection.pending', { n: pending }) : t('connection.offlineHint')}`}
        </div>
      )}
      {storeFault && (
        <div className="connection-banner" role="alert">
          {t('sync.storeFault', { reason: errorText(t, storeFault) })}
        </div>
      )}
      {localFailure && (
        <div className="connection-banner" role="alert">
          {t('sync.localFailure', { reason: localFailure.message })}
        </div>
      )}
    </>
  );
}
