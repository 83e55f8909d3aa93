import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ok, type Result } from '../../../shared/contract/errors';
import type { EventName } from '../../../shared/contract/events';
import type { CoreLink } from '../../core/coreLink';
import type { Host } from '../hostServer';

/** Helpers for the host's tests: a renderer folder, raw HTTP, sockets that collect what they hear. */

export function rendererDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-host-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>接待</title>');
  return dir;
}

/** A core that answers each call with its own name and args, and records calls and disconnects. */
export function echoCore(
  answer: (method: string, args: unknown) => Promise<Result<unknown>> = async (method, args) => ok({ echo: method, args }),
) {
  let emit: (name: EventName, payload: unknown) => void = () => {};
  const calls: { method: string; connection: string | undefined }[] = [];
  const disconnected: string[] = [];
  const core: CoreLink = {
    call: (method, args, connection) => {
      calls.push({ method, connection });
      return answer(method, args);
    },
    disconnect: (connection) => void disconnected.push(connection),
    on: (listener) => {
      emit = listener;
      return () => {
        emit = () => {};
      };
    },
  };
  return {
    core,
    calls,
    disconnected,
    emit: (name: EventName, payload: unknown) => emit(name, payload),
  };
}

export type Response = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
};

export function request(
  port: number,
  urlPath: string,
  options: {
    host?: string;
    method?: string;
    headers?: Record<string, string>;
  } = {},
) {
  return new Promise<Response>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        method: options.method ?? 'GET',
        headers: {
          host: options.host ?? `127.0.0.1:${port}`,
          ...options.headers,
        },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw bytes and returns the status code of the answer (0 when the host just closed the connection). */
export function rawRequest(port: number, bytes: string | Buffer): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const status = () => Number(/^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1] ?? 0);
    socket.on('data', (c) => {
      reply += c.toString('latin1');
      if (reply.includes('\r\n\r\n')) socket.destroy(); // the status and headers are in: enough
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(status()));
    socket.write(bytes);
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

export type Heard = {
  type: string;
  id?: number;
  result?: Result<unknown>;
  error?: { code: string };
  name?: string;
  payload?: unknown;
};

/** An open desk socket and everything it has heard, in order. */
export async function desk(h: Host, opts: { token?: string; origin?: string } = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/ws?token=${opts.token ?? h.token}`, { origin: opts.origin ?? h.origin });
  const heard: Heard[] = [];
  const waiters = new Set<(m: Heard) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as Heard;
    heard.push(m);
    for (const w of [...waiters]) w(m);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  /** Resolves once `count` messages matching `match` were heard (or rejects when the socket closes). */
  const until = (match: (m: Heard) => boolean, count = 1): Promise<Heard[]> =>
    new Promise((resolve, reject) => {
      const found = heard.filter(match);
      if (found.length >= count) return resolve(found);
      const check = (m: Heard) => {
        if (!match(m)) return;
        found.push(m);
        if (found.length >= count) {
          waiters.delete(check);
          resolve(found);
        }
      };
      waiters.add(check);
      void closed.then((code) => {
        if (waiters.delete(check)) reject(new Error(`the socket closed (${code}) after ${found.length} of ${count} messages`));
      });
    });
  /** Sends a call and resolves with its answer. */
  const call = async (method: string, args: unknown): Promise<Result<unknown>> => {
    const id = nextId++ + 1_000_000;
    ws.send(JSON.stringify({ type: 'call', id, method, args }));
    const [answer] = await until((m) => m.type === 'result' && m.id === id);
    return answer!.result!;
  };
  return { ws, heard, closed, until, call };
}
