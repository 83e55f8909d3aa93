import crypto from 'node:crypto';
import WebSocket from 'ws';
import type { ToWidget } from '../../shared/channels/widgetProtocol';

/**
 * The hub-ceiling rows' 2,000 simulated widget buyers, in their own process: each a /widget/ws
 * client (with the chat page's Origin: its hub process's own address) on hub process b mod H, that says hello and then, in a step,
 * sends `<prefix><n> …` frames: message n of the step (n = base + i) from buyer n mod B, due at
 * start + i / rate. Counts the hub's acks and refusals, and how late the sends themselves ran (the
 * load generator's own lag). Driven over IPC by hub-ceiling.ts.
 */
type Command =
  | { type: 'connect'; urls: string[]; count: number }
  | { type: 'step'; prefix: string; base: number; count: number; start: number; rate: number }
  | { type: 'report' }
  | { type: 'exit' };

const clock = () => performance.timeOrigin + performance.now();
const send = (m: unknown) => process.send!(m);
const clientId = () => crypto.randomBytes(12).toString('base64url');
const TEXTS = ['在吗，这件还有货吗', '什么时候发货呀', '尺码偏大还是偏小', '能便宜点吗亲', '顺丰快递可以吗', '七天无理由退货吗'];

let acks = 0;
let refused = 0;
const buyers: WebSocket[] = [];

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/widget/ws`, { origin: url, perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ToWidget;
      if (frame.type === 'ready') resolve(ws);
      else if (frame.type === 'ack') acks += 1;
      else if (frame.type === 'refused') refused += 1;
    });
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', token: null, after: null })));
  });
}

process.on('message', (m: Command) => {
  void (async () => {
    if (m.type === 'connect') {
      for (let i = 0; i < m.count; i += 50)
        buyers.push(
          ...(await Promise.all(Array.from({ length: Math.min(50, m.count - i) }, (_, j) => open(m.urls[(i + j) % m.urls.length]!)))),
        );
      send({ type: 'connected', count: buyers.length });
    } else if (m.type === 'step') {
      send({ type: 'stepping' });
      let lateMax = 0;
      let lateSum = 0;
      for (let i = 0; i < m.count; i++) {
        const n = m.base + i;
        const due = m.start + (i * 1000) / m.rate;
        const wait = due - clock();
        // Whole 5 ms batches: a timer per message at 3,000/s would cost more than the sends.
        if (wait > 5) await new Promise((resolve) => setTimeout(resolve, wait));
        const late = Math.max(0, clock() - due);
        lateMax = Math.max(lateMax, late);
        lateSum += late;
        buyers[n % buyers.length]!.send(
          JSON.stringify({ type: 'send', clientId: clientId(), text: `${m.prefix}${n} ${TEXTS[n % TEXTS.length]}` }),
        );
      }
      send({ type: 'sent', lateMaxMs: Math.round(lateMax), lateMeanMs: Math.round(lateSum / Math.max(1, m.count)) });
    } else if (m.type === 'report') {
      send({
        type: 'report',
        acks,
        refused,
        open: buyers.filter((b) => b.readyState === WebSocket.OPEN).length,
        cpu: process.cpuUsage(),
      });
    } else if (m.type === 'exit') {
      for (const b of buyers) b.terminate();
      process.exit(0);
    }
  })().catch((error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
