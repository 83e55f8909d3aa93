import type { Result } from '../../shared/contract/errors';

export type HubState = 'open' | 'closed';

/**
 * How a desk core reaches its team hub: the contract's calls and the hub's pokes, as the renderer's
 * SyncEngine reaches its core. In production a WebSocket to the hub's `/hub/ws` signed in with the
 * desk's session token (wsHubLink.ts); in tests a hub Core in the same process, or in a worker,
 * behind a link that misbehaves on purpose.
 *
 * A call the hub never answered resolves as `unavailable` (never rejects): the engine retries.
 */
export type HubLink = {
  call(method: string, args: unknown): Promise<Result<unknown>>;
  /** The hub's feed moved (its `sync.poked` event). */
  onPoke(listener: (head: number) => void): () => void;
  /** The connection opened or closed (a desk shows offline; on open it pulls and pushes at once). */
  onState(listener: (state: HubState) => void): () => void;
  state(): HubState;
  close(): void;
};
