import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { TeamStatus } from '../../../shared/contract/team';
import { useClient, useConnection, useCoreEvent } from '../../ipc/ClientContext';

type TeamValue = {
  /** null until the core has said (and a desk whose core is out of reach keeps the last it heard). */
  status: TeamStatus | null;
  /** Changes when the desk's membership does (joined, the shop swapped in, left): what reads the shop's identity re-reads. */
  membershipKey: string;
  setStatus: (status: TeamStatus) => void;
};

const TeamContext = createContext<TeamValue>({ status: null, membershipKey: '', setStatus: () => undefined });

/**
 * The desk's link to its team hub: `team.status` once per connection to the core, then the core's
 * `team.status` event whenever it changes (data itself still comes by the feed's poke).
 */
export function TeamStatusProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const { epoch } = useConnection();
  const [status, setStatusState] = useState<TeamStatus | null>(null);
  // An answer that left before an event arrived is older than the event: it is dropped.
  const heard = useRef(0);
  const setStatus = useCallback((next: TeamStatus) => {
    heard.current += 1;
    setStatusState(next);
  }, []);
  useEffect(() => {
    let live = true;
    const asked = heard.current;
    void client.call('team.status', {}).then((r) => {
      if (live && r.ok && heard.current === asked) setStatusState(r.value);
    });
    return () => {
      live = false;
    };
  }, [client, epoch]);
  useCoreEvent('team.status', setStatus);
  const membershipKey = status ? `${status.mode}|${status.account?.id ?? ''}|${status.bootstrap.ready && !status.bootstrap.loading}` : '';
  const value = useMemo(() => ({ status, membershipKey, setStatus }), [status, membershipKey, setStatus]);
  return <TeamContext.Provider value={value}>{children}</TeamContext.Provider>;
}

export function useTeamStatus(): TeamValue {
  return useContext(TeamContext);
}
