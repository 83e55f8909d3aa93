import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../shared/contract/methods';
import { createBridge, type RendererIpc } from './bridge';

function fakeIpc(reply: (channel: string, args: unknown) => Promise<unknown> = async () => ({ ok: true, value: null })) {
  let eventListener: ((event: unknown, ...args: unknown[]) => void) | undefined;
  const ipc = {
    invoke: vi.fn((channel: string, ...args: unknown[]) => reply(channel, args[0])),
    on: vi.fn((_channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      eventListener = listener;
    }),
  } satisfies RendererIpc;
  const emit = (name: unknown, payload: unknown) => eventListener?.({ sender: 'the ipc event object' }, name, payload);
  return { ipc, emit };
}

describe('createBridge', () => {
  it('exposes exactly the contract methods and `on`: no generic invoke, no ipcRenderer', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends each method on its own channel with the arguments as given', async () => {
    const { ipc } = fakeIpc(async () => ({ ok: true, value: { messages: [], hasMore: false } }));
    const bridge = createBridge(ipc);
    const result = await bridge['messages.page']({ conversationId: 'c1', limit: 20 });
    expect(ipc.invoke).toHaveBeenCalledWith('jiedai:messages.page', { conversationId: 'c1', limit: 20 });
    expect(result).toEqual({ ok: true, value: { messages: [], hasMore: false } });
  });

  it('turns a failed invoke into a typed result rather than a rejection', async () => {
    const { ipc } = fakeIpc(() => Promise.reject(new Error("No handler registered for 'jiedai:app.info'")));
    await expect(createBridge(ipc)['app.info']({})).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const clone = fakeIpc(() => Promise.reject(new Error('An object could not be cloned.')));
    await expect(createBridge(clone.ipc)['app.info']({})).resolves.toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('hands listeners the payload only, never the IPC event', () => {
    const { ipc, emit } = fakeIpc();
    const bridge = createBridge(ipc, () => undefined);
    const listener = vi.fn();
    bridge.on('sync.poked', listener);
    emit('sync.poked', { head: 5 });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ head: 5 });
  });

  it('delivers an event only to listeners of that event, and none after unsubscribing', () => {
    const { ipc, emit } = fakeIpc();
    const bridge = createBridge(ipc);
    const poked = vi.fn();
    const finished = vi.fn();
    const off = bridge.on('sync.poked', poked);
    bridge.on('logExport.finished', finished);
    emit('sync.poked', { head: 1 });
    off();
    emit('sync.poked', { head: 2 });
    emit('not.an.event', {});
    expect(poked).toHaveBeenCalledTimes(1);
    expect(finished).not.toHaveBeenCalled();
  });

  it('keeps delivering to other listeners when one throws', () => {
    const { ipc, emit } = fakeIpc();
    const log = vi.fn();
    const bridge = createBridge(ipc, log);
    const second = vi.fn();
    bridge.on('sync.poked', () => {
      throw new Error('listener bug');
    });
    bridge.on('sync.poked', second);
    emit('sync.poked', { head: 1 });
    expect(second).toHaveBeenCalled();
    expect(log).toHaveBeenCalled();
  });

  it('refuses to subscribe to an event the contract does not declare', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(() => bridge.on('app.quit' as never, () => undefined)).toThrow(TypeError);
  });
});
