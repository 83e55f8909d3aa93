import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AppInfo } from '../../shared/contract/methods';
import type { AgentState } from '../../shared/domain/types';
import { useSyncEngine } from '../db';
import { useClient, useConnection } from '../ipc/ClientContext';
import { useTeamStatus } from '../features/team/TeamStatusProvider';

type AppInfoValue = {
  info: AppInfo | null;
  setAgentState: (state: AgentState) => Promise<void>;
  switchAgent: (agentId: string) => Promise<void>;
};

const AppInfoContext = createContext<AppInfoValue>({
  info: null,
  setAgentState: async () => undefined,
  switchAgent: async () => undefined,
});

/** What must reach the core as the agent still signed in before another signs in here (unsent drafts). */
const beforeSwitch = new Set<() => Promise<void>>();
export function onBeforeAgentSwitch(listener: () => Promise<void>): () => void {
  beforeSwitch.add(listener);
  return () => void beforeSwitch.delete(listener);
}

/** The shop, the agent at this desk (and their state) and the app version, read once per connection. */
export function AppInfoProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const engine = useSyncEngine();
  const { epoch } = useConnection();
  // Joining a team, its shop arriving, leaving it: the shop and the account at this desk change.
  const { membershipKey } = useTeamStatus();
  const [info, setInfo] = useState<AppInfo | null>(null);
  // Who this desk signed in as. A new connection (the socket came back) starts as the PC's default
  // agent, which another window may have changed meanwhile: this desk signs in again as itself.
  const signedIn = useRef<string | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      let result = await client.call('app.info', {});
      if (result.ok && signedIn.current && result.value.agent.id !== signedIn.current) {
        // On a team's desk (or once the agent is gone, after leaving a team) the core's own answer stands.
        const switched = await client.call('session.switchAgent', { agentId: signedIn.current });
        if (switched.ok) result = switched;
      }
      if (!live || !result.ok) return;
      signedIn.current = result.value.agent.id;
      setInfo(result.value);
      void engine.setAgent(result.value.agent.id);
    })();
    return () => {
      live = false;
    };
  }, [client, engine, epoch, membershipKey]);
  const setAgentState = useCallback(
    async (state: AgentState) => {
      const result = await client.call('agents.setState', { state });
      if (result.ok) setInfo((prev) => (prev ? { ...prev, agent: result.value } : prev));
    },
    [client],
  );
  const switchAgent = useCallback(
    async (agentId: string) => {
      await Promise.all([...beforeSwitch].map((listener) => listener()));
      const result = await client.call('session.switchAgent', { agentId });
      if (!result.ok) return;
      signedIn.current = result.value.agent.id;
      setInfo(result.value);
      await engine.setAgent(result.value.agent.id);
    },
    [client, engine],
  );
  const value = useMemo(() => ({ info, setAgentState, switchAgent }), [info, setAgentState, switchAgent]);
  return <AppInfoContext.Provider value={value}>{children}</AppInfoContext.Provider>;
}

export function useAppInfo(): AppInfoValue {
  return useContext(AppInfoContext);
}
