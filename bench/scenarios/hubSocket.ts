import WebSocket from 'ws';
import type { Result } from '../../shared/contract/errors';

/** A plain /hub/ws client: calls by id, events to a listener. */
export async function openSocket(url: string, token: string, onEvent?: (name: string, payload: unknown) => void) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/hub/ws`, {
    headers: { authorization: `Bearer ${token}` },
    perMessageDeflate: false,
  });
  const waiting = new Map<number, (r: Result<unknown>) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as { type: string; id?: number; result?: Result<unknown>; name?: string; payload?: unknown };
    if (m.type === 'result') {
      waiting.get(m.id!)?.(m.result!);
      waiting.delete(m.id!);
    } else if (m.type === 'event') onEvent?.(m.name!, m.payload);
  });
  ws.on('close', () => {
    for (const resolve of waiting.values()) resolve({ ok: false, error: { code: 'unavailable', message: 'closed' } });
    waiting.clear();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 1;
  return {
    call(method: string, args: unknown): Promise<Result<unknown>> {
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'call', id, method, args }));
      });
    },
    close: () => ws.close(),
  };
}
