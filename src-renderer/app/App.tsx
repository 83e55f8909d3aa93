import { useEffect } from 'react';
import { deliver } from '../features/chat/useSend';
import { useT } from '../i18n/useT';
import type { Client } from '../ipc/client';
import { ClientProvider } from '../ipc/ClientContext';
import { useDeskStore } from '../state/store';
import { AppInfoProvider } from '../hooks/useAppInfo';
import { Desk } from './Desk';

/** Replies still pending from before a reload go out again (same ids, so never twice). */
function ResumeOutgoing({ client }: { client: Client }) {
  const { t } = useT();
  useEffect(() => {
    for (const entry of Object.values(useDeskStore.getState().outgoing)) {
      if (entry.status === 'pending') void deliver(client, t, entry.id);
    }
    // Once per start: `t` only words the error of a failed attempt.
  }, [client, t]);
  return null;
}

export function App({ client }: { client: Client | null }) {
  const { t, lang } = useT();
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.name');
  }, [lang, t]);
  if (!client) {
    return (
      <p role="alert" className="fatal">
        {t('app.noToken')}
      </p>
    );
  }
  return (
    <ClientProvider client={client}>
      <ResumeOutgoing client={client} />
      <AppInfoProvider>
        <Desk />
      </AppInfoProvider>
    </ClientProvider>
  );
}
