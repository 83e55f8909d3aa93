import type { WebSocket } from 'ws';
import type { Result } from '../../shared/contract/errors';
import {
  WIDGET_CLOSE,
  WIDGET_FRAME_MAX_BYTES,
  widgetFrame,
  type ToWidget,
  type WidgetFrame,
  type WidgetMessage,
  type WidgetState,
} from '../../shared/channels/widgetProtocol';
import type { ChannelEvent } from '../core/channelSeam';
import { RateBuckets } from './rateBuckets';

export type WidgetLimits = {
  /** Widget sockets open at once, and per client address. */
  maxSockets: number;
  maxSocketsPerAddress: number;
  /** Frames a visitor may send: a burst, then so many a second; the same per address, over all its visitors. */
  perVisitor: { capacity: number; perSecond: number };
  perAddress: { capacity: number; perSecond: number };
  /** Refused frames in a row before the socket is closed (a flood that ignores the refusals). */
  maxRefusedInARow: number;
  /** The first frame must be a hello within this. */
  helloMs: number;
  /** Unread output past this cuts the socket. */
  maxUnreadBytes: number;
  /** How long after a desk comes or goes the chats are told whether an agent is there (one read for a burst). */
  stateDelayMs: number;
};

export const DEFAULT_WIDGET_LIMITS: WidgetLimits = {
  maxSockets: 5_000,
  maxSocketsPerAddress: 20,
  perVisitor: { capacity: 8, perSecond: 0.5 },
  perAddress: { capacity: 60, perSecond: 2 },
  maxRefusedInARow: 50,
  helloMs: 10_000,
  maxUnreadBytes: 1024 * 1024,
  stateDelayMs: 300,
};

type Channel = (op: string, args: unknown) => Promise<Result<unknown>>;

type Socket = { ws: WebSocket; key: string; address: string; visitorId: string | null; hello: boolean; refusedInARow: number };

/**
 * Buckets every hub process on the database shares (PostgreSQL, `HubDatabaseLink.take`): 0 when a
 * token was taken from `key`, else the milliseconds until one is there.
 */
export type SharedBuckets = (key: string, limits: { capacity: number; perSecond: number }) => Promise<number>;

type Sent = { visitorId: string; token: string; message: WidgetMessage; duplicate: boolean };

/**
 * The widgets' sockets on the hub: each reads one visitor's frames (the widget protocol, parsed by
 * schema, bounded in size and rate) and gets that visitor's new messages pushed as the core tells
 * them. A socket knows its visitor from the token in its hello (or from its first message, which
 * makes the visitor); nothing on it reaches the desks' contract.
 */
export function widgetSockets(deps: {
  channel: Channel;
  limits?: Partial<WidgetLimits>;
  now?: () => number;
  /** Several hub processes: the per-visitor and per-address buckets in the database, so a visitor spread over processes gets what one process allows. */
  shared?: SharedBuckets;
  /** A frame refused for its rate (for the metrics). */
  onLimited?: () => void;
}) {
  const limits = { ...DEFAULT_WIDGET_LIMITS, ...deps.limits };
  const now = deps.now ?? Date.now;
  const sockets = new Set<Socket>();
  const byVisitor = new Map<string, Set<Socket>>();
  const perAddress = new Map<string, number>();
  const visitorBuckets = new RateBuckets(limits.perVisitor, now);
  const addressBuckets = new RateBuckets(limits.perAddress, now);
  let opened = 0;
  /**
   * A visitor's or an address's bucket: the shared one when there is one; this process's own when
   * there is none or the database does not answer (the limit is then per process, never none).
   */
  const take = async (buckets: RateBuckets, key: string, bucket: { capacity: number; perSecond: number }): Promise<number> => {
    if (!deps.shared) return buckets.take(key);
    try {
      return await deps.shared(`widget:${key}`, bucket);
    } catch {
      return buckets.take(key);
    }
  };
  /** The hub is stopping: no socket is taken any more (one upgraded meanwhile would hold the server open). */
  let closing = false;
  let lastState = '';
  let stateTimer: ReturnType<typeof setTimeout> | undefined;

  const send = (s: Socket, frame: ToWidget) => {
    if (s.ws.readyState !== s.ws.OPEN) return;
    s.ws.send(JSON.stringify(frame));
    if (s.ws.bufferedAmount > limits.maxUnreadBytes) s.ws.terminate();
  };

  const bind = (s: Socket, visitorId: string) => {
    if (s.visitorId === visitorId) return;
    s.visitorId = visitorId;
    let set = byVisitor.get(visitorId);
    if (!set) byVisitor.set(visitorId, (set = new Set()));
    set.add(s);
  };

  const refuse = (s: Socket, clientId: string | null, code: string, message: string, retryAfterMs?: number) => {
    send(s, { type: 'refused', clientId, code, message, ...(retryAfterMs ? { retryAfterMs } : {}) });
    if (++s.refusedInARow >= limits.maxRefusedInARow) s.ws.close(WIDGET_CLOSE.flood, 'too many refused frames');
  };

  async function onFrame(s: Socket, frame: WidgetFrame): Promise<void> {
    if (frame.type === 'hello') {
      if (s.hello) return refuse(s, null, 'invalid_argument', 'hello once per socket');
      s.hello = true;
      const r = await deps.channel('widget.hello', { token: frame.token, after: frame.after });
      if (!r.ok) return refuse(s, null, r.error.code, r.error.message);
      const hello = r.value as {
        visitorId: string | null;
        token: string | null;
        state: WidgetState;
        messages: WidgetMessage[];
        hasMore: boolean;
      };
      if (hello.visitorId) bind(s, hello.visitorId);
      lastState = JSON.stringify(hello.state);
      return send(s, { type: 'ready', token: hello.token, state: hello.state, messages: hello.messages, hasMore: hello.hasMore });
    }
    if (!s.hello) {
      s.ws.close(WIDGET_CLOSE.badHello, 'say hello first');
      return;
    }
    // Throttled per socket, per visitor (over their tabs, on every process) and per address; a refusal says when to try again.
    const [byVisitor, byAddress] = await Promise.all([
      s.visitorId ? take(visitorBuckets, `visitor:${s.visitorId}`, limits.perVisitor) : 0,
      take(addressBuckets, `address:${s.address}`, limits.perAddress),
    ]);
    const wait = Math.max(visitorBuckets.take(s.key), byVisitor, byAddress);
    const clientId = 'clientId' in frame ? frame.clientId : null;
    if (wait > 0) {
      deps.onLimited?.();
      return refuse(s, clientId, 'limit_exceeded', 'too many messages: wait a moment', wait);
    }
    if (frame.type === 'older') {
      if (!s.visitorId) return send(s, { type: 'older', messages: [], hasMore: false });
      const r = await deps.channel('widget.older', { visitorId: s.visitorId, before: frame.before });
      if (!r.ok) return refuse(s, null, r.error.code, r.error.message);
      s.refusedInARow = 0;
      return send(s, { type: 'older', ...(r.value as { messages: WidgetMessage[]; hasMore: boolean }) });
    }
    const what =
      frame.type === 'send'
        ? { kind: 'text', text: frame.text }
        : frame.type === 'order'
          ? { kind: 'order', orderNo: frame.orderNo }
          : { kind: 'offline', text: frame.text, contact: frame.contact };
    const r = await deps.channel('widget.send', { visitorId: s.visitorId, clientId: frame.clientId, send: what });
    if (!r.ok) return refuse(s, frame.clientId, r.error.code, r.error.message);
    s.refusedInARow = 0;
    accepted(s, frame.clientId, r.value as Sent);
  }

  /** A visitor's message was stored (or was stored before): the sender's ack, and its token when it made the visitor. */
  function accepted(s: Socket, clientId: string, sent: Sent): void {
    if (s.visitorId === null) {
      bind(s, sent.visitorId);
      send(s, { type: 'visitor', token: sent.token });
    }
    send(s, { type: 'ack', clientId, message: sent.message });
  }

  return {
    /** A new widget socket from `address`; false when refused (too many). */
    admit(address: string): boolean {
      return !closing && sockets.size < limits.maxSockets && (perAddress.get(address) ?? 0) < limits.maxSocketsPerAddress;
    },

    attach(ws: WebSocket, address: string): void {
      if (closing) {
        ws.terminate();
        return;
      }
      const s: Socket = { ws, key: `socket:${++opened}`, address, visitorId: null, hello: false, refusedInARow: 0 };
      sockets.add(s);
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      const helloTimer = setTimeout(() => {
        if (!s.hello) ws.close(WIDGET_CLOSE.badHello, 'no hello');
      }, limits.helloMs);
      helloTimer.unref?.();
      // One frame at a time per socket, in order: a visitor's messages keep their order.
      let chain = Promise.resolve();
      ws.on('message', (data, isBinary) => {
        const text = isBinary ? null : String(data);
        if (text === null || text.length > WIDGET_FRAME_MAX_BYTES)
          return refuse(s, null, 'invalid_argument', 'frames are JSON text of at most 64 KB');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return refuse(s, null, 'invalid_argument', 'a frame is JSON');
        }
        const frame = widgetFrame.safeParse(parsed);
        if (!frame.success) return refuse(s, null, 'invalid_argument', 'not a widget frame');
        chain = chain.then(() => onFrame(s, frame.data)).catch(() => refuse(s, null, 'internal', 'the hub failed to answer'));
      });
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        clearTimeout(helloTimer);
        sockets.delete(s);
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left <= 0) perAddress.delete(address);
        else perAddress.set(address, left);
        if (s.visitorId) {
          const set = byVisitor.get(s.visitorId);
          set?.delete(s);
          if (set?.size === 0) byVisitor.delete(s.visitorId);
        }
      });
    },

    /** What the core says happened: a visitor's new message goes to each of their sockets. */
    onEvents(events: ChannelEvent[]): void {
      for (const e of events) {
        if (e.type === 'webhooks.due') continue;
        const set = byVisitor.get(e.visitorId);
        if (!set) continue;
        for (const s of set) send(s, e.type === 'widget.message' ? { type: 'message', message: e.message } : { type: 'ended' });
      }
    },

    /**
     * Something that may change whether an agent is there happened (a desk's socket opened or closed,
     * the feed moved): a moment later the state is read once and sent to every open chat if it changed.
     */
    refreshState(): void {
      if (closing || stateTimer || sockets.size === 0) return;
      stateTimer = setTimeout(() => {
        stateTimer = undefined;
        void deps.channel('widget.state', {}).then((r) => {
          if (!r.ok) return;
          const text = JSON.stringify(r.value);
          if (text === lastState) return;
          lastState = text;
          for (const s of sockets) if (s.hello) send(s, { type: 'state', state: r.value as WidgetState });
        });
      }, limits.stateDelayMs);
      stateTimer.unref?.();
    },

    count: () => sockets.size,

    closeAll(): void {
      closing = true;
      if (stateTimer) clearTimeout(stateTimer);
      for (const s of [...sockets]) s.ws.terminate();
    },
  };
}

export type WidgetSockets = ReturnType<typeof widgetSockets>;
