import type { WebSocket } from 'ws';
import { fail, type ContractError, type Result } from '../../shared/contract/errors';
import type { CoreLink } from '../core/coreLink';
import { sharedUtf8 } from '../platform/sharedAnswer';
import { readFrame, type CallFrame } from './frames';

export type SessionLimits = {
  /** Calls of one socket the core works on at once; the rest wait in the socket's own queue. */
  maxInFlight: number;
  /** Calls that may wait per socket; one more is refused with limit_exceeded. */
  maxQueued: number;
  /** Bytes of frames that may wait per socket (a queue of 28 MB imports is bounded by this, not by count). */
  maxQueuedBytes: number;
  /** Answers and events a socket has not read yet; past this the socket is cut. */
  maxUnreadBytes: number;
};

export const DEFAULT_LIMITS: SessionLimits = {
  maxInFlight: 32,
  maxQueued: 1000,
  maxQueuedBytes: 64 * 1024 * 1024,
  maxUnreadBytes: 64 * 1024 * 1024,
};

type Queued = CallFrame & { bytes: number };

const CLOSE = Buffer.from('}}');

/**
 * One desk's socket. Its calls reach the core at most `maxInFlight` at a time, so a desk that floods
 * holds only that many places in the core's queue and another desk's call waits behind at most those;
 * the rest wait here, bounded, and are dropped (never run) when the socket closes. Every frame is
 * answered: a result by id, or a typed refusal.
 */
export function startSession(ws: WebSocket, deps: { core: CoreLink; connection: string; limits: SessionLimits; onClosed: () => void }) {
  const { core, connection, limits } = deps;
  const queue: Queued[] = [];
  let queuedBytes = 0;
  let inFlight = 0;
  let open = true;

  /** A text frame: a string, or its UTF-8 bytes (a shared answer's, encoded once for every socket). */
  const push = (text: string | Buffer) => {
    if (!open || ws.readyState !== ws.OPEN) return;
    ws.send(text, { binary: false });
    if (ws.bufferedAmount > limits.maxUnreadBytes) {
      // A desk that does not read would otherwise keep every answer and event in this process; a
      // close frame would wait behind what it does not read, so the socket is cut.
      ws.terminate();
      finish();
    }
  };

  const send = (message: unknown) => {
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch {
      text = JSON.stringify({ type: 'refused', error: { code: 'internal', message: 'the answer could not be encoded' } });
    }
    push(text);
  };

  const answer = (id: number | null, result: Result<unknown>) => {
    if (id === null) return send({ type: 'refused', error: (result as { error: ContractError }).error });
    // An answer many sockets get as one object (a pull page) is encoded once, to UTF-8 bytes: each
    // socket's frame is those bytes between its own few (a string would be measured and encoded
    // again for every socket: the hub's largest cost in fan-out after its commits).
    const shared = result.ok ? sharedUtf8(result.value) : undefined;
    if (shared !== undefined) {
      push(Buffer.concat([Buffer.from(`{"type":"result","id":${JSON.stringify(id)},"result":{"ok":true,"value":`, 'utf8'), shared, CLOSE]));
    } else send({ type: 'result', id, result });
  };

  const run = (frame: CallFrame) => {
    inFlight += 1;
    let call: Promise<Result<unknown>>;
    try {
      call = core.call(frame.method, frame.args, connection);
    } catch {
      call = Promise.resolve(fail('internal', `${frame.method} could not be handed to the core`));
    }
    void call
      .catch(() => fail('internal', `${frame.method} failed`))
      .then((result) => {
        inFlight -= 1;
        answer(frame.id, result);
        pump();
      });
  };

  const pump = () => {
    while (open && inFlight < limits.maxInFlight && queue.length > 0) {
      const next = queue.shift()!;
      queuedBytes -= next.bytes;
      run(next);
    }
  };

  const finish = () => {
    if (!open) return;
    open = false;
    queue.length = 0;
    queuedBytes = 0;
    try {
      core.disconnect(connection);
    } finally {
      deps.onClosed();
    }
  };

  ws.on('message', (data, isBinary) => {
    if (!open) return;
    const frame = readFrame(data, isBinary);
    if (frame.kind === 'refused') return answer(frame.id, { ok: false, error: frame.error });
    if (inFlight < limits.maxInFlight && queue.length === 0) return run(frame);
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
    if (queue.length >= limits.maxQueued || queuedBytes + bytes > limits.maxQueuedBytes) {
      return answer(
        frame.id,
        fail('limit_exceeded', `too many calls waiting on this connection (${queue.length}); wait for answers before sending more`),
      );
    }
    queue.push({ ...frame, bytes });
    queuedBytes += bytes;
  });
  ws.on('close', finish);

  return {
    connection,
    /** Sends a core event to this desk (subject to the same unread bound). */
    event: push,
    close(code: number, reason: string) {
      ws.close(code, reason);
      finish();
    },
    terminate() {
      ws.terminate();
      finish();
    },
    stats: () => ({ inFlight, queued: queue.length, queuedBytes }),
  };
}

export type Session = ReturnType<typeof startSession>;
