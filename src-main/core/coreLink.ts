import type { Result } from '../../shared/contract/errors';
import type { EventName } from '../../shared/contract/events';
import type { ShellContext } from './shellContext';

/**
 * What a shell needs of the core: calls on a connection, the connection's end, and the event feed.
 * A `CoreClient` (the worker) or a `Core` in-process satisfies it; the Electron shell, the
 * browser-mode host, the tests' transports and fakes all take this one type (or a `Pick` of it).
 */
export type CoreLink = {
  /** `connection` names the transport connection the call came in on; `shell` is only the Electron shell's to set. */
  call(method: string, args: unknown, connection: string, shell?: ShellContext): Promise<Result<unknown>>;
  /** The connection is gone: the core forgets who was signed in on it. */
  disconnect(connection: string): void;
  on(listener: (name: EventName, payload: unknown) => void): () => void;
};
