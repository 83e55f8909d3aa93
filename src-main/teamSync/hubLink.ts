import type { Result } from '../../shared/contract/errors';

export type HubState = 'open' | 'closed';

/**
 * What a desk shows of a closed link: still on its first try since it started, cut off, or refused
 * by the hub (the session token is no longer good: the desk must sign in again).
 */
export type HubDetail = 'connecting' | 'open' | 'closed' | 'refused';

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
  /**
   * The connection opened or closed (a desk shows offline; on open it pulls and pushes at once). A
   * link with `detail` also tells a closed state again when its detail changes (a first try failed,
   * the token was refused).
   */
  onState(listener: (state: HubState) => void): () => void;
  state(): HubState;
  /** Finer than `state` for the desk's status (optional: test links have none). */
  detail?(): HubDetail;
  close(): void;
};
