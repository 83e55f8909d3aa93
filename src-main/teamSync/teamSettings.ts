import type { Store } from '../store';

/** What a desk core in team mode keeps about its hub (settings `team`; absent: a standalone desk, as before). */
export type TeamConfig = {
  /** The hub's address, e.g. `https://hub.example:4500` (the link adds `/hub/ws`). */
  hubUrl: string;
  /** The desk core's own client id on the hub: the hub applies each mutation once per client. */
  clientId: string;
  /** The account signed in to the hub from this PC (every call on the hub is authorised as it). */
  agentId: string;
  /** The session token from `POST /api/auth/login` (the data folder is the desk's own, as the database is). */
  token: string;
};

/** Where a bootstrap is: which snapshot part and key come next, and the feed and head of its first page. */
export type BootstrapProgress = { part: number; after: string | null; head: number | null; feedId: string | null };

export type TeamState = {
  /** The hub's feed position this store has applied (null: never bootstrapped). */
  cursor: number | null;
  feedId: string | null;
  /** A first snapshot has been swapped in: the desk may act (before it, its store is not the shop's). */
  ready: boolean;
  /** A bootstrap under way (first join, or a reset); the store keeps serving its old content meanwhile. */
  bootstrap: BootstrapProgress | null;
  /** When a pull last came back from the hub (ms), kept so a desk restarted offline can still say it. */
  lastSyncedAt: number | null;
};

const KEYS = {
  config: 'team',
  cursor: 'team.cursor',
  feedId: 'team.feedId',
  ready: 'team.ready',
  bootstrap: 'team.bootstrap',
  lastSyncedAt: 'team.lastSyncedAt',
} as const;

/** Every setting team mode keeps (a desk leaving its team removes them all). */
export const TEAM_SETTING_KEYS: readonly string[] = Object.values(KEYS);

export function readTeamConfig(store: Store): TeamConfig | null {
  return store.settings.get<TeamConfig | null>(KEYS.config, null);
}

export function writeTeamConfig(store: Store, config: TeamConfig): void {
  store.settings.set(KEYS.config, config);
}

export function readTeamState(store: Store): TeamState {
  return {
    cursor: store.settings.get<number | null>(KEYS.cursor, null),
    feedId: store.settings.get<string | null>(KEYS.feedId, null),
    ready: store.settings.get<boolean>(KEYS.ready, false),
    bootstrap: store.settings.get<BootstrapProgress | null>(KEYS.bootstrap, null),
    lastSyncedAt: store.settings.get<number | null>(KEYS.lastSyncedAt, null),
  };
}

/** Writes the given fields (call inside the transaction that applied what they stand for). */
export function writeTeamState(store: Store, state: Partial<TeamState>): void {
  if (state.cursor !== undefined) store.settings.set(KEYS.cursor, state.cursor);
  if (state.feedId !== undefined) store.settings.set(KEYS.feedId, state.feedId);
  if (state.ready !== undefined) store.settings.set(KEYS.ready, state.ready);
  if (state.bootstrap !== undefined) store.settings.set(KEYS.bootstrap, state.bootstrap);
  if (state.lastSyncedAt !== undefined) store.settings.set(KEYS.lastSyncedAt, state.lastSyncedAt);
}
