import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/contract/methods';
import { useT } from '../i18n/useT';
import { useClient, useConnection } from '../ipc/ClientContext';

/** Shop, agent and connection state. A dropped connection is said plainly, with what happens next. */
export function Header() {
  const { t } = useT();
  const client = useClient();
  const { state, epoch } = useConnection();
  const [info, setInfo] = useState<AppInfo | null>(null);

  useEffect(() => {
    let live = true;
    void client.call('app.info', {}).then((result) => {
      if (live && result.ok) setInfo(result.value);
    });
    return () => {
      live = false;
    };
  }, [client, epoch]);

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
