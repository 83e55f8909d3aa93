import crypto from 'node:crypto';
import WebSocket from 'ws';
import type { ToWidget } from '../../shared/channels/widgetProtocol';

/**
 * Simulated widget buyers for the hub-widget-1000 scenario, in their own process: each a /widget/ws
 * client (with the chat page's Origin, as the hub's chat frame would send) that says hello, then
 * sends `wb-<n> …` frames on a schedule the bench gives (buyer b's m-th message is due at
 * start + b × period / buyers + m × period), and keeps when each agent reply `wr-<k> …` first
 * reached it. Driven over IPC by widget-1000.ts.
 */
type Command =
  | { type: 'connect'; url: string; count: number }
  | { type: 'run'; start: number; periodMs: number; rounds: number }
  | { type: 'report' }
  | { type: 'exit' };

const clock = () => performance.timeOrigin + performance.now();
const send = (m: unknown) => process.send!(m);

type Buyer = { ws: WebSocket; acked: number; refused: number };
const buyers: Buyer[] = [];
let replies = new Float64Array(0);
let acks = new Float64Array(0);
let sent = new Float64Array(0);
let refusedFrames = 0;

const clientId = () => crypto.randomBytes(12).toString('base64url');

function open(url: string, index: number): Promise<Buyer> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/widget/ws`, { origin: url, perMessageDeflate: false });
  const buyer: Buyer = { ws, acked: 0, refused: 0 };
  return new Promise((resolve, reject) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ToWidget;
      if (frame.type === 'ready') resolve(buyer);
      else if (frame.type === 'ack') {
        buyer.acked += 1;
        const n = Number(frame.message.text.split(' ', 1)[0]!.slice(3));
        if (n >= 0 && n < acks.length && acks[n] === 0) acks[n] = clock();
      } else if (frame.type === 'message' && frame.message.text.startsWith('wr-')) {
        const k = Number(frame.message.text.split(' ', 1)[0]!.slice(3));
        if (k >= 0 && k < replies.length && replies[k] === 0) replies[k] = clock();
      } else if (frame.type === 'refused') {
        buyer.refused += 1;
        refusedFrames += 1;
      }
    });
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', token: null, after: null })));
    void index;
  });
}

process.on('message', (m: Command) => {
  void (async () => {
    if (m.type === 'connect') {
      // Fifty at a time: a thousand upgrades at once would only queue in the accept backlog.
      for (let i = 0; i < m.count; i += 50)
        buyers.push(...(await Promise.all(Array.from({ length: Math.min(50, m.count - i) }, (_, j) => open(m.url, i + j)))));
      send({ type: 'connected', count: buyers.length });
    } else if (m.type === 'run') {
      const count = buyers.length * m.rounds;
      sent = new Float64Array(count);
      acks = new Float64Array(count);
      replies = new Float64Array(count);
      send({ type: 'running' });
      for (let n = 0; n < count; n++) {
        const b = n % buyers.length;
        const round = Math.floor(n / buyers.length);
        const due = m.start + (b * m.periodMs) / buyers.length + round * m.periodMs;
        const wait = due - clock();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        sent[n] = due;
        buyers[b]!.ws.send(JSON.stringify({ type: 'send', clientId: clientId(), text: `wb-${n} 在吗，这件还有货吗` }));
      }
      send({ type: 'sent', count });
    } else if (m.type === 'report') {
      send({
        type: 'report',
        sent: Array.from(sent),
        acks: Array.from(acks),
        replies: Array.from(replies),
        refused: refusedFrames,
        open: buyers.filter((b) => b.ws.readyState === WebSocket.OPEN).length,
      });
    } else if (m.type === 'exit') {
      for (const b of buyers) b.ws.terminate();
      process.exit(0);
    }
  })().catch((error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
