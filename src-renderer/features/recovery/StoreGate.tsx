import { useEffect, useState, type ReactNode } from 'react';
import type { RecoveryStatus } from '../../../shared/contract/recovery';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';
import { RecoveryScreen } from './RecoveryScreen';

/**
 * Asks the core whether its store is serving before the desk (and its replica sync) starts. A core
 * that found its data file damaged answers `damaged`: the recovery screen shows instead, and the desk
 * loads once the user restored a backup or started empty. Any other answer (an older core, an
 * unreachable one) lets the desk load and say what it meets.
 */
export function StoreGate({ children }: { children: ReactNode }) {
  const { t } = useT();
  const client = useClient();
  const [status, setStatus] = useState<RecoveryStatus | null>(null);
  useEffect(() => {
    let live = true;
    void client.call('recovery.status', {}).then((r) => {
      if (live) setStatus(r.ok ? r.value : { state: 'ready' });
    });
    return () => {
      live = false;
    };
  }, [client]);
  if (!status) return <p className="recovery-checking muted">{t('recovery.checking')}</p>;
  if (status.state === 'damaged') return <RecoveryScreen status={status} onReady={() => setStatus({ state: 'ready' })} />;
  return <>{children}</>;
}
