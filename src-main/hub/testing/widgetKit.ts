import WebSocket from 'ws';
import type { ToWidget } from '../../../shared/channels/widgetProtocol';
import type { Hub } from '../hubServer';

/** A widget's socket as a buyer's browser opens it (the hub's own origin), for the hub's tests. */
export async function visitor(hub: Hub, options: { origin?: string; headers?: Record<string, string> } = {}) {
  const base = `127.0.0.1:${hub.port}`;
  const ws = new WebSocket(`ws://${base}/widget/ws`, { headers: { origin: options.origin ?? `http://${base}`, ...options.headers } });
  const heard: ToWidget[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (d) => {
    heard.push(JSON.parse(String(d)) as ToWidget);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) =>
      reject(Object.assign(new Error(`refused with ${response.statusCode}`), { status: response.statusCode })),
    );
    ws.once('error', reject);
  });
  const until = <T extends ToWidget['type']>(type: T, match: (m: Extract<ToWidget, { type: T }>) => boolean = () => true, from = 0) =>
    new Promise<Extract<ToWidget, { type: T }>>((resolve, reject) => {
      const check = () => {
        const found = heard.slice(from).find((m) => m.type === type && match(m as Extract<ToWidget, { type: T }>));
        if (!found) return;
        waiters.delete(check);
        resolve(found as Extract<ToWidget, { type: T }>);
      };
      waiters.add(check);
      check();
      void closed.then((code) => {
        if (waiters.delete(check)) reject(new Error(`the widget socket closed (${code}) before a ${type} came`));
      });
    });
  const frame = (f: unknown) => ws.send(typeof f === 'string' ? f : JSON.stringify(f));
  return { ws, heard, closed, until, frame };
}
