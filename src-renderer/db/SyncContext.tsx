import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { ReplicaDb } from './replicaDb';
import { SyncEngine, type SyncEngineOptions, type SyncTransport } from './syncEngine';

const SyncContext = createContext<SyncEngine | null>(null);

export type SyncProviderProps = {
  transport: SyncTransport;
  /** The IndexedDB database's name (tests give each desk its own). */
  replicaName: string;
  options?: SyncEngineOptions;
  children: ReactNode;
};

/**
 * Opens the replica and runs its sync engine for as long as the desk is mounted. Children render
 * once the engine exists; what they show comes from the replica at once (from the last session
 * when there was one), while the engine catches up.
 */
export function SyncProvider({ transport, replicaName, options, children }: SyncProviderProps) {
  const [engine, setEngine] = useState<SyncEngine | null>(null);
  useEffect(() => {
    const db = new ReplicaDb(replicaName);
    const next = new SyncEngine(db, transport, options);
    next.start();
    setEngine(next);
    return () => {
      next.stop();
      db.close();
      setEngine(null);
    };
    // `options` are read once, when the engine starts.
  }, [transport, replicaName]);
  if (!engine) return null;
  return <SyncContext.Provider value={engine}>{children}</SyncContext.Provider>;
}

export function useSyncEngine(): SyncEngine {
  const engine = useContext(SyncContext);
  if (!engine) throw new Error('useSyncEngine needs a <SyncProvider>');
  return engine;
}
