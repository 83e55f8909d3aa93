import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../webhookSignature';

export type Received = {
  delivery: string;
  event: string;
  attempt: number;
  body: string;
  /** Whether the signature checked out against the endpoint's secret at arrival. */
  verified: boolean;
  /** What the receiver answered. */
  status: number;
};

/**
 * A webhook receiver for tests, on 127.0.0.1: it checks each delivery's signature with the secret it
 * is given, answers with `answer(n)` (n: how many deliveries came before) and records everything.
 */
export async function startReceiver(options: { answer?: (n: number, r: Omit<Received, 'status'>) => number } = {}) {
  let secret = '';
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = request.headers['x-jiedai-signature'];
      const seen = {
        delivery: String(request.headers['x-jiedai-delivery'] ?? ''),
        event: String(request.headers['x-jiedai-event'] ?? ''),
        attempt: Number(request.headers['x-jiedai-attempt'] ?? 0),
        body,
        verified: verifySignature(secret, typeof header === 'string' ? header : undefined, body, Date.now()),
      };
      const status = seen.verified ? (options.answer?.(received.length, seen) ?? 200) : 400;
      received.push({ ...seen, status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
      for (const w of [...waiters]) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    setSecret(value: string) {
      secret = value;
    },
    /** Resolves once `match` holds over what was received (rejects after `ms`). */
    until(match: (all: Received[]) => boolean, ms = 15_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the receiver did not see it within ${ms} ms (${received.length} deliveries)`));
        }, ms);
        const check = () => {
          if (!match(received)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
