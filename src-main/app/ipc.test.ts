import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ok, type Result } from '../../shared/contract/errors';
import type { EventName } from '../../shared/contract/events';
import { METHOD_NAMES } from '../../shared/contract/methods';
import { connectionOf, disconnectWhenDestroyed, forwardCoreEvents, registerContractHandlers, type HandlerRegistry } from './ipc';

type FakeEvent = { trusted: boolean; sender?: { id: number } };

const senders = (trusted: (e: FakeEvent) => boolean) => ({
  isTrusted: trusted,
  connectionOf: (e: FakeEvent) => connectionOf(e.sender ?? { id: 1 }),
});
type Handler = (event: FakeEvent, args: unknown) => Promise<Result<unknown>>;

function fakeIpc() {
  const handlers = new Map<string, Handler>();
  const registry: HandlerRegistry<FakeEvent> = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { registry, handlers };
}

const quiet = () => undefined;

describe('registerContractHandlers', () => {
  it('opens one channel per contract method and no other', () => {
    const { registry, handlers } = fakeIpc();
    registerContractHandlers(
      registry,
      { call: async () => ok(null) },
      senders(() => true),
      quiet,
    );
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map((n) => `jiedai:${n}`).sort());
  });

  it('forwards a call from the desk window to the core with its arguments untouched', async () => {
    const { registry, handlers } = fakeIpc();
    const call = vi.fn(async () => ok(['c1']));
    registerContractHandlers(
      registry,
      { call },
      senders((e) => e.trusted),
      quiet,
    );
    const args = { status: 'open' };
    const result = await handlers.get('jiedai:conversations.list')!({ trusted: true }, args);
    expect(result).toEqual({ ok: true, value: ['c1'] });
    expect(call).toHaveBeenCalledWith('conversations.list', args, 'ipc:1');
  });

  it('answers any other sender with a typed unauthorized error and never reaches the core', async () => {
    const { registry, handlers } = fakeIpc();
    const call = vi.fn(async () => ok(null));
    const log = vi.fn();
    registerContractHandlers(
      registry,
      { call },
      senders((e) => e.trusted),
      log,
    );
    const result = await handlers.get('jiedai:messages.send')!({ trusted: false }, { id: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(call).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalled();
  });

  it('turns a failure in the shell into a typed error instead of a raw exception', async () => {
    const { registry, handlers } = fakeIpc();
    registerContractHandlers(
      registry,
      { call: () => Promise.reject(new Error('boom')) },
      senders(() => true),
      quiet,
    );
    await expect(handlers.get('jiedai:app.info')!({ trusted: true }, {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });

  it('calls on each window’s own connection, and forgets it when its web contents is destroyed', async () => {
    const { registry, handlers } = fakeIpc();
    const call = vi.fn(async () => ok(null));
    registerContractHandlers(
      registry,
      { call },
      senders(() => true),
      quiet,
    );
    await handlers.get('jiedai:app.info')!({ trusted: true, sender: { id: 7 } }, {});
    await handlers.get('jiedai:app.info')!({ trusted: true, sender: { id: 9 } }, {});
    expect(call.mock.calls.map((c) => (c as unknown[])[2])).toEqual(['ipc:7', 'ipc:9']);

    const contents = Object.assign(new EventEmitter(), { id: 7 });
    const disconnect = vi.fn();
    disconnectWhenDestroyed(contents, { disconnect });
    expect(disconnect).not.toHaveBeenCalled();
    contents.emit('destroyed');
    expect(disconnect).toHaveBeenCalledWith('ipc:7');
  });

  it('can be taken down again, channel by channel', () => {
    const { registry, handlers } = fakeIpc();
    const off = registerContractHandlers(
      registry,
      { call: async () => ok(null) },
      senders(() => true),
      quiet,
    );
    off();
    expect(handlers.size).toBe(0);
  });
});

describe('forwardCoreEvents', () => {
  function fakeCore() {
    let listener: ((name: EventName, payload: unknown) => void) | undefined;
    return {
      on: (l: (name: EventName, payload: unknown) => void) => {
        listener = l;
        return () => (listener = undefined);
      },
      emit: (name: EventName, payload: unknown) => listener?.(name, payload),
    };
  }

  it('sends each core event to the desk window on the event channel', () => {
    const core = fakeCore();
    const send = vi.fn();
    forwardCoreEvents(core, () => ({ url: () => 'jiedai://app/index.html', send }));
    core.emit('sync.poked', { head: 42 });
    expect(send).toHaveBeenCalledWith('jiedai:event', 'sync.poked', { head: 42 });
  });

  it('sends nothing while there is no window or it shows a foreign page', () => {
    const core = fakeCore();
    const send = vi.fn();
    let target: { url: () => string; send: typeof send } | null = null;
    forwardCoreEvents(core, () => target);
    core.emit('sync.poked', { head: 1 });
    target = { url: () => 'https://example.com/', send };
    core.emit('sync.poked', { head: 2 });
    expect(send).not.toHaveBeenCalled();
  });
});
