import type { Result } from './errors';
import type { EventName, Events } from './events';
import type { ArgsIn, MethodName, ResultOf } from './methods';

/**
 * What a desk holds to talk to the core, whatever the transport (Electron preload or the
 * browser-mode WebSocket): one function per contract method, and event subscription.
 */
export type JiedaiApi = {
  call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};

/** The object the preload exposes as `window.jiedai`: exactly the contract's methods, and `on`. */
export type PreloadBridge = {
  [M in MethodName]: (args: ArgsIn<M>) => Promise<Result<ResultOf<M>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};
