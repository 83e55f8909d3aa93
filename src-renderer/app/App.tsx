import { useEffect, type ReactNode } from 'react';
import { DEFAULT_REPLICA_NAME, SyncProvider, type SyncEngineOptions } from '../db';
import { useT } from '../i18n/useT';
import type { Client } from '../ipc/client';
import { ClientProvider, useConnection } from '../ipc/ClientContext';
import { AppInfoProvider } from '../hooks/useAppInfo';
import { PersonalProvider } from '../features/personal/PersonalProvider';
import { StoreGate } from '../features/recovery/StoreGate';
import { TeamStatusProvider } from '../features/team/TeamStatusProvider';
import { Desk } from './Desk';

/**
 * The window: the client (transport), the store gate (a damaged data file shows the recovery screen
 * instead), the replica and its sync engine (what the desk reads, and the outbox its actions wait in,
 * across reloads), the link to the team hub (if the desk is a team's), then the desk.
 */
export function App({
  client,
  replicaName = DEFAULT_REPLICA_NAME,
  syncOptions,
}: {
  client: Client | null;
  replicaName?: string;
  syncOptions?: SyncEngineOptions;
}) {
  const { t, lang } = useT();
  useEffect(() => {
    document.documentElement.lang = lang;
    // The desk keeps the title itself once it is open (the unread count: features/alerts).
    if (!client) document.title = t('app.name');
  }, [lang, t, client]);
  if (!client) {
    return (
      <p role="alert" className="fatal">
        {t('app.noToken')}
      </p>
    );
  }
  return (
    <ClientProvider client={client}>
      <UnlessAddressStale>
        <StoreGate>
          <SyncProvider transport={client} replicaName={replicaName} {...(syncOptions ? { options: syncOptions } : {})}>
            <TeamStatusProvider>
              <AppInfoProvider>
                <PersonalProvider>
                  <Desk />
                </PersonalProvider>
              </AppInfoProvider>
            </TeamStatusProvider>
          </SyncProvider>
        </StoreGate>
      </UnlessAddressStale>
    </ClientProvider>
  );
}

/** The host refused this page's token: no retry can help, so the page says what to do instead of reconnecting. */
function UnlessAddressStale({ children }: { children: ReactNode }) {
  const { t } = useT();
  const { state } = useConnection();
  if (state !== 'refused') return <>{children}</>;
  return (
    <div role="alert" className="fatal">
      <h1>{t('app.staleAddress.title')}</h1>
      <p>{t('app.staleAddress.body')}</p>
    </div>
  );
}
