import type { JiedaiApi, PreloadBridge } from '../../shared/contract/api';
import { fail, type Result } from '../../shared/contract/errors';
import { isEventName, type EventName, type Events } from '../../shared/contract/events';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { SOCKET_CLOSE } from '../../shared/contract/socket';
import { backoffDelay } from '../../shared/sync/backoff';
import { deskLog } from './log';

/**
 * The renderer's one way to reach the core. The same bundle runs in two places and only this file
 * knows the difference:
 * - in the Electron window the sandboxed preload exposes `window.jiedai` (one function per contract method);
 * - in browser mode (`npm run web`) it speaks the contract over a WebSocket to the local host, with the
 *   token from the URL's `#token=` (kept in sessionStorage so a reload still works).
 *
 * `refused` means the host does not know this page's token (the address is from another data folder,
 * or the token was renewed): retrying cannot help, the page says how to get a valid address.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused';

export type Client = JiedaiApi & {
  readonly transport: 'electron' | 'websocket';
  connection(): ConnectionState;
  /** Called when the connection state changes (browser mode; Electron is always open). */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
};

declare global {
  interface Window {
    jiedai?: PreloadBridge;
  }
}

type Listener = (payload: never) => void;

function eventHub() {
  const listeners = new Map<EventName, Set<Listener>>();
  return {
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(event, set);
      return () => set.delete(listener as Listener);
    },
    emit(name: EventName, payload: unknown) {
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          (listener as (p: unknown) => void)(payload);
        } catch (error) {
          deskLog.error(`a listener for ${name} failed`, error);
        }
      }
    },
  };
}

export function electronClient(bridge: PreloadBridge): Client {
  return {
    transport: 'electron',
    call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>> {
      const fn = bridge[method] as unknown as (a: ArgsIn<M>) => Promise<Result<ResultOf<M>>>;
      return fn(args);
    },
    on: (event, listener) => bridge.on(event, listener),
    connection: () => 'open',
    onConnection: () => () => undefined,
    close: () => undefined,
  };
}

const TOKEN_KEY = 'jiedai.token';

/** Takes the launch token out of the address bar (so it isn't bookmarked or shared) and keeps it for reloads. */
export function takeToken(location: Location, storage: Storage, history: History): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1];
  }
  return storage.getItem(TOKEN_KEY);
}

type WebSocketLike = {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code?: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
};

export type WebSocketClientOptions = {
  url: string;
  createSocket?: (url: string) => WebSocketLike;
  /** A call not answered in this time resolves as `unavailable` (the desk shows it as failed, with retry). */
  callTimeoutMs?: number;
  /** Reconnect delays grow from this, doubling, to maxRetryMs, each drawn between half and all of its step. */
  retryMs?: number;
  maxRetryMs?: number;
  random?: () => number;
};

/**
 * The browser-mode transport. Calls made while the socket is down wait in order and go out on
 * reconnect, unless they time out first; events resume on reconnect and the desk refreshes.
 * It reconnects forever (the host may be restarted: same data folder and port, same token), with
 * jittered doubling delays so many desks do not knock in step; only a refused token stops it.
 */
export function webSocketClient(options: WebSocketClientOptions): Client {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
  const callTimeoutMs = options.callTimeoutMs ?? 15_000;
  const retryMs = options.retryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 10_000;
  const random = options.random ?? Math.random;
  const hub = eventHub();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  type PendingCall = {
    method: string;
    text: string;
    sent: boolean;
    resolve: (r: Result<never>) => void;
    timer: ReturnType<typeof setTimeout>;
  };
  const pending = new Map<number, PendingCall>();
  let nextId = 1;
  let state: ConnectionState = 'connecting';
  let socket: WebSocketLike | null = null;
  let attempt = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  };

  const connect = () => {
    if (closed) return;
    setState('connecting');
    const ws = createSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState('open');
      for (const entry of pending.values()) {
        if (entry.sent) continue;
        entry.sent = true;
        ws.send(entry.text);
      }
    };
    ws.onmessage = (ev) => {
      let message: { type?: unknown; id?: unknown; result?: unknown; name?: unknown; payload?: unknown };
      try {
        message = JSON.parse(String(ev.data)) as typeof message;
      } catch {
        return;
      }
      if (message.type === 'result' && typeof message.id === 'number') {
        const entry = pending.get(message.id);
        if (!entry) return;
        pending.delete(message.id);
        clearTimeout(entry.timer);
        entry.resolve(message.result as Result<never>);
      } else if (message.type === 'event' && isEventName(message.name)) {
        hub.emit(message.name, message.payload);
      }
    };
    ws.onerror = () => undefined; // onclose follows and handles it
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      if (closed) return;
      const refused = ev.code === SOCKET_CLOSE.tokenRefused;
      setState(refused ? 'refused' : 'closed');
      // Calls already on the wire may or may not have reached the core: report them as unavailable now
      // (every write carries its own id, so retrying one is safe); calls not yet sent wait for the reconnect.
      // A refused token fails every call now: none can ever be sent.
      for (const [id, entry] of pending) {
        if (!entry.sent && !refused) continue;
        pending.delete(id);
        clearTimeout(entry.timer);
        entry.resolve(
          refused
            ? fail('unauthorized', "this page's address is out of date")
            : fail('unavailable', `the connection dropped during ${entry.method}`),
        );
      }
      if (refused) return;
      retryTimer = setTimeout(connect, backoffDelay(attempt++, random, retryMs, maxRetryMs));
    };
  };

  connect();

  return {
    transport: 'websocket',
    call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>> {
      if (closed) return Promise.resolve(fail('unavailable', 'the client is closed'));
      if (state === 'refused') return Promise.resolve(fail('unauthorized', "this page's address is out of date"));
      const id = nextId++;
      const text = JSON.stringify({ type: 'call', id, method, args });
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(fail('unavailable', `no answer to ${method} within ${callTimeoutMs} ms`));
        }, callTimeoutMs);
        const sent = Boolean(socket && state === 'open');
        pending.set(id, { method, text, sent, resolve: resolve as (r: Result<never>) => void, timer });
        if (sent) socket?.send(text);
      });
    },
    on: hub.on,
    connection: () => state,
    onConnection(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close();
      for (const [, entry] of pending) {
        clearTimeout(entry.timer);
        entry.resolve(fail('unavailable', 'the client is closed'));
      }
      pending.clear();
      setState('closed');
    },
  };
}

/** Picks the transport for this page. Null when neither is available (opened without a token). */
export function createClient(win: Window = window): Client | null {
  if (win.jiedai) return electronClient(win.jiedai);
  const token = takeToken(win.location, win.sessionStorage, win.history);
  if (!token) return null;
  const scheme = win.location.protocol === 'https:' ? 'wss' : 'ws';
  return webSocketClient({ url: `${scheme}://${win.location.host}/ws?token=${encodeURIComponent(token)}` });
}
