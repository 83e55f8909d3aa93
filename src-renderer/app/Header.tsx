import { useAppInfo } from '../hooks/useAppInfo';
import { useT } from '../i18n/useT';
import { useConnection } from '../ipc/ClientContext';

/** Shop, agent and connection state. A dropped connection is said plainly, with what happens next. */
export function Header() {
  const { t } = useT();
  const { state } = useConnection();
  const { info } = useAppInfo();

  return (
    <>
      <header className="app-header">
        <span className="brand">{t('app.name')}</span>
        {info && <span className="shop">{info.shop.name}</span>}
        <span className="spacer" />
        {info && <span className="agent">{t('header.agent', { nick: info.agent.nick })}</span>}
      </header>
      {state !== 'open' && (
        <div className="connection-banner" role="status">
          {state === 'connecting' ? t('connection.connecting') : t('connection.closed')}
        </div>
      )}
    </>
  );
}
