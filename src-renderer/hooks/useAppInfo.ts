import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/contract/methods';
import { useClient, useConnection } from '../ipc/ClientContext';

/** The shop, the agent at this desk and the app version; `refresh` after changing the agent's state. */
export function useAppInfo(): { info: AppInfo | null; setInfo: (info: AppInfo) => void } {
  const client = useClient();
  const { epoch } = useConnection();
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
  return { info, setInfo };
}
