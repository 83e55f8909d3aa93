import { fail, type Result } from '../../shared/contract/errors';
import type { EventName } from '../../shared/contract/events';
import { METHOD_NAME_LIST as METHOD_NAMES } from '../../shared/contract/methodNames';
import type { MethodName } from '../../shared/contract/methods';
import type { CoreLink } from '../core/coreLink';
import { isAppUrl } from './appOrigin';
import { EVENT_CHANNEL, methodChannel } from './channels';
import type { ShellStep } from './exportDialog';
import { shellLog } from './shellLog';

/**
 * Each web contents is its own connection to the core, so each window is signed in as its own
 * agent (a reload keeps the web contents, and with it the session).
 */
export const connectionOf = (contents: { id: number }): string => `ipc:${contents.id}`;

/** Who may call, and on which connection: the check of the sender, and the sender's connection. */
export type Senders<E> = { isTrusted: (event: E) => boolean; connectionOf: (event: E) => string };

/** Forgets a window's session when its web contents goes away. */
export function disconnectWhenDestroyed(
  contents: { id: number; once(event: 'destroyed', listener: () => void): unknown },
  core: Pick<CoreLink, 'disconnect'>,
): void {
  const connection = connectionOf(contents);
  contents.once('destroyed', () => core.disconnect(connection));
}

/** The part of `ipcMain` used here (a fake in tests). `E` is Electron's IpcMainInvokeEvent. */
export type HandlerRegistry<E> = {
  handle(channel: string, listener: (event: E, args: unknown) => Promise<Result<unknown>>): void;
  removeHandler(channel: string): void;
};

/**
 * One handler per contract method and no other: a channel exists only for a declared method.
 * The handler checks who is calling, then forwards the raw arguments on the sender's connection;
 * the core parses them with the method's zod schema (the renderer is untrusted) and acts as the
 * agent signed in on that connection. A refusal is a typed result, never a throw.
 * `steps` run in the shell first for the methods that need it (the save dialog of logExport.start).
 */
export function registerContractHandlers<E>(
  ipc: HandlerRegistry<E>,
  core: Pick<CoreLink, 'call'>,
  senders: Senders<E>,
  log: (message: string, error?: unknown) => void = shellLog.warn,
  steps: Partial<Record<MethodName, ShellStep>> = {},
): () => void {
  for (const name of METHOD_NAMES) {
    ipc.handle(methodChannel(name), async (event, args) => {
      if (!senders.isTrusted(event)) {
        log(`refused ${name}: not called by the desk window`);
        return fail('unauthorized', `${name} may only be called by the desk window`);
      }
      try {
        const connection = senders.connectionOf(event);
        const step = steps[name];
        if (!step) return await core.call(name, args, connection);
        const outcome = await step(args);
        return 'answer' in outcome ? outcome.answer : await core.call(name, args, connection, outcome.shell);
      } catch (error) {
        log(`${name} failed in the shell`, error);
        return fail('internal', `${name} failed`);
      }
    });
  }
  return () => {
    for (const name of METHOD_NAMES) ipc.removeHandler(methodChannel(name));
  };
}

/** Where core events go: the desk window's web contents, while it exists. */
export type EventBus = { url(): string; send(channel: string, name: EventName, payload: unknown): void };

/**
 * Pushes every core event to the desk window on one channel. Nothing is sent while the window is
 * gone or (defensively, since navigation is denied) showing anything but our own page.
 */
export function forwardCoreEvents(core: Pick<CoreLink, 'on'>, target: () => EventBus | null): () => void {
  return core.on((name, payload) => {
    const to = target();
    if (to && isAppUrl(to.url())) to.send(EVENT_CHANNEL, name, payload);
  });
}
