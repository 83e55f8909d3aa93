import WebSocket from 'ws';
import { fail, type Result } from '../../shared/contract/errors';
import { MAX_FRAME_BYTES, SOCKET_CLOSE } from '../../shared/contract/socket';
import { backoffDelay } from '../../shared/sync/backoff';
import { createLogger } from '../platform/log';
import type { HubDetail, HubLink, HubState } from './hubLink';

export type WsHubLinkOptions = {
  /** A call the hub has not answered by then is given up as `unavailable` (the engine retries it). */
  callTimeoutMs?: number;
  /** Calls waiting for an answer at once; past it a call is refused at once (the engines send one batch at a time). */
  maxPending?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  random?: () => number;
  log?: (message: string, error?: unknown) => void;
};

/** The hub's address as its socket's: http(s) becomes ws(s), and the path is `/hub/ws`. */
export function hubSocketUrl(hubUrl: string): string {
  const url = new URL(hubUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    throw new Error(`a hub address starts with https:// or http://, not ${url.protocol}`);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/hub/ws`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * The desk core's link to its hub: one WebSocket to `/hub/ws` signed in with the session token
 * (`Authorization: Bearer …`, a header Node can send), carrying the browser-mode frames:
 * `{type:'call', id, method, args}` → `{type:'result', id, result}`, and `{type:'event', name,
 * payload}` for `sync.poked`. It reconnects for ever with jittered doubling delays; a hub that
 * refuses the token (close 4401) is said as `unauthorized` and retried only at the longest delay
 * (the owner may re-enable the account). Whatever the hub sends is checked before use.
 */
export function wsHubLink(config: { hubUrl: string; token: string }, options: WsHubLinkOptions = {}): HubLink & { refused(): boolean } {
  const url = hubSocketUrl(config.hubUrl);
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const maxPending = options.maxPending ?? 256;
  const random = options.random ?? Math.random;
  const log = options.log ?? createLogger('core').error;
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();
  const pokes = new Set<(head: number) => void>();
  const states = new Set<(s: HubState) => void>();
  let socket: WebSocket | null = null;
  let open = false;
  let closed = false;
  /** Closed before any open since the link started: still connecting for the first time. */
  let everSettled = false;
  let attempt = 0;
  let tokenRefused = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;

  const detail = (): HubDetail => (open ? 'open' : tokenRefused ? 'refused' : everSettled ? 'closed' : 'connecting');
  let toldDetail: HubDetail = 'connecting';
  /** Tells the listeners when the state moved, or (closed) when its detail did. */
  const setOpen = (next: boolean) => {
    open = next;
    if (next) everSettled = true;
    const now = detail();
    if (now === toldDetail) return;
    toldDetail = now;
    for (const l of [...states]) l(next ? 'open' : 'closed');
  };

  const settleAll = (why: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.resolve(fail(tokenRefused ? 'unauthorized' : 'unavailable', why));
      pending.delete(id);
    }
  };

  function onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) return;
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return log('the hub sent a frame that is not JSON');
    }
    if (message === null || typeof message !== 'object') return;
    const m = message as { type?: unknown; id?: unknown; result?: unknown; name?: unknown; payload?: unknown; error?: unknown };
    if (m.type === 'result' && typeof m.id === 'number') {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      const r = m.result as { ok?: unknown; error?: { code?: unknown; message?: unknown } } | null;
      if (r && r.ok === true) p.resolve(r as Result<unknown>);
      else if (r && r.ok === false && r.error && typeof r.error.code === 'string')
        p.resolve(fail(r.error.code as never, String(r.error.message ?? '').slice(0, 500)));
      else p.resolve(fail('unavailable', 'the hub sent an answer this desk cannot read'));
    } else if (m.type === 'event' && m.name === 'sync.poked') {
      const head = (m.payload as { head?: unknown } | null)?.head;
      if (typeof head === 'number' && Number.isSafeInteger(head)) for (const l of [...pokes]) l(head);
    } else if (m.type === 'refused') {
      log('the hub refused a frame', m.error);
    }
  }

  function connect(): void {
    if (closed) return;
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${config.token}` },
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 15_000,
    });
    socket = ws;
    ws.on('open', () => {
      attempt = 0;
      tokenRefused = false;
      setOpen(true);
    });
    ws.on('message', onMessage);
    ws.on('error', (error) => {
      // A refused upgrade (401) arrives here, not as a close code.
      if (/\b401\b/.test(String(error.message))) tokenRefused = true;
    });
    ws.on('close', (code) => {
      if (socket !== ws) return;
      socket = null;
      if (code === SOCKET_CLOSE.tokenRefused) tokenRefused = true;
      everSettled = true;
      setOpen(false);
      settleAll('the connection to the hub closed');
      if (closed) return;
      const delay = tokenRefused
        ? (options.reconnectMaxMs ?? 10_000)
        : backoffDelay(attempt++, random, options.reconnectBaseMs ?? 500, options.reconnectMaxMs ?? 10_000);
      reconnectTimer = setTimeout(connect, delay);
    });
  }
  connect();

  return {
    call(method, args) {
      const ws = socket;
      if (!open || !ws) return Promise.resolve(fail(tokenRefused ? 'unauthorized' : 'unavailable', 'the team hub cannot be reached'));
      if (pending.size >= maxPending) return Promise.resolve(fail('limit_exceeded', 'too many calls waiting for the hub'));
      const id = nextId++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(fail('unavailable', `the hub did not answer ${method} in time`));
        }, callTimeoutMs);
        pending.set(id, { resolve, timer });
        ws.send(JSON.stringify({ type: 'call', id, method, args }), (error) => {
          if (!error || !pending.has(id)) return;
          pending.delete(id);
          clearTimeout(timer);
          resolve(fail('unavailable', 'the call could not be sent to the hub'));
        });
      });
    },
    onPoke(listener) {
      pokes.add(listener);
      return () => pokes.delete(listener);
    },
    onState(listener) {
      states.add(listener);
      return () => states.delete(listener);
    },
    state: () => (open ? 'open' : 'closed'),
    detail,
    /** The hub refused this desk's token (signed out, account disabled): the desk must sign in again. */
    refused: () => tokenRefused,
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket?.close(1000);
      socket = null;
      setOpen(false);
      settleAll('the link was closed');
      pokes.clear();
      states.clear();
    },
  };
}
