import type { PreloadBridge } from '../../shared/contract/api';
import { fail, type Result } from '../../shared/contract/errors';
import { isEventName, type EventName, type Events } from '../../shared/contract/events';
import { METHOD_NAME_LIST as METHOD_NAMES } from '../../shared/contract/methodNames';
import { EVENT_CHANNEL, methodChannel } from './channels';
import { preloadLog } from './preloadLog';

/** The part of `ipcRenderer` the bridge uses (a fake in tests). */
export type RendererIpc = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
};

type Subscription = { listener: (payload: never) => void };

/**
 * Builds `window.jiedai` from the contract: one function per declared method and `on` for declared
 * events. There is no generic invoke and ipcRenderer itself never leaves the preload, so a page
 * can only ever ask for what the contract names.
 */
export function createBridge(ipc: RendererIpc, log: (message: string, error?: unknown) => void = preloadLog.error): PreloadBridge {
  const subscriptions = new Map<EventName, Set<Subscription>>();
  let listening = false;

  const listen = () => {
    if (listening) return;
    listening = true;
    // The IPC event object stays here: listeners get the payload only.
    ipc.on(EVENT_CHANNEL, (_event, name, payload) => {
      if (!isEventName(name)) return;
      for (const sub of [...(subscriptions.get(name) ?? [])]) {
        try {
          sub.listener(payload as never);
        } catch (error) {
          log(`a listener for ${name} failed`, error);
        }
      }
    });
  };

  const on = <E extends EventName>(event: E, listener: (payload: Events[E]) => void): (() => void) => {
    if (!isEventName(event)) throw new TypeError(`jiedai.on: unknown event ${JSON.stringify(event)}`);
    if (typeof listener !== 'function') throw new TypeError('jiedai.on: the listener must be a function');
    listen();
    const sub: Subscription = { listener };
    const set = subscriptions.get(event) ?? new Set<Subscription>();
    set.add(sub);
    subscriptions.set(event, set);
    return () => {
      set.delete(sub);
    };
  };

  const bridge: Record<string, unknown> = { on };
  for (const name of METHOD_NAMES) {
    const channel = methodChannel(name);
    bridge[name] = (args: unknown): Promise<Result<unknown>> =>
      ipc.invoke(channel, args).then(
        (result) => result as Result<unknown>,
        // No handler (the app is closing) or arguments that cannot cross (a function, a DOM node):
        // still a typed result, as the contract promises.
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          return /could not be cloned/i.test(message) ? fail('invalid_argument', message) : fail('unavailable', message);
        },
      );
  }
  // Built from METHOD_NAMES at run time; the test checks it has exactly the contract's keys.
  return Object.freeze(bridge) as unknown as PreloadBridge;
}
