export { DEFAULT_REPLICA_NAME, ReplicaDb, type OutboxEntry, type SyncNotice } from './replicaDb';
export { SyncEngine, type SyncEngineOptions, type SyncTransport } from './syncEngine';
export { SyncProvider, useSyncEngine } from './SyncContext';
export * from './hooks';
