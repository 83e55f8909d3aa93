import type { Change, PullResult } from '../../shared/sync/protocol';
import { openSocket } from './hubSocket';

/**
 * The hub-ceiling rows' 200 simulated desks, in their own process: each a /hub/ws client signed in
 * as its own agent on one of the hub processes, 在线, pulling on every `sync.poked` (one pull at a
 * time, once more if poked meanwhile, as a desk core's runner does) and keeping the newest row of
 * each entity it pulls (a light replica: no SQLite). A buyer message `<prefix><n> …` of the current
 * step is timed when it first reaches each desk, from when it was due (the step's start + i / rate),
 * into a 1 ms histogram: every desk's arrival, and apart those where the buyer's hub process is not
 * the desk's (buyer b of B is on process b mod H). Driven over IPC by hub-ceiling.ts.
 */
type Command =
  | { type: 'connect'; desks: { url: string; token: string; hub: number }[] }
  | { type: 'step'; prefix: string; base: number; count: number; start: number; rate: number; buyers: number; hubs: number }
  | { type: 'report' }
  | { type: 'exit' };

const clock = () => performance.timeOrigin + performance.now();
const send = (m: unknown) => process.send!(m);
const MAX_MS = 60_000;

type Desk = {
  call: (method: string, args: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
  close: () => void;
  hub: number;
  cursor: number;
  pulling: boolean;
  again: boolean;
  replica: Map<string, unknown>;
  seen: Uint8Array;
  pulls: number;
};

let step: Extract<Command, { type: 'step' }> | null = null;
let all = new Uint32Array(MAX_MS + 1);
let cross = new Uint32Array(MAX_MS + 1);
let arrivals = 0;
let failures = 0;
const desks: Desk[] = [];

function arrived(desk: Desk, c: Change): void {
  if (c.entity !== 'message' || !step) return;
  const text = (c.row as { text?: unknown } | null)?.text;
  if (typeof text !== 'string' || !text.startsWith(step.prefix)) return;
  const n = Number(text.slice(step.prefix.length, text.indexOf(' ')));
  const i = n - step.base;
  if (!(i >= 0 && i < step.count) || desk.seen[i]) return;
  desk.seen[i] = 1;
  const ms = Math.min(MAX_MS, Math.max(0, Math.round(clock() - (step.start + (i * 1000) / step.rate))));
  all[ms]! += 1;
  if ((n % step.buyers) % step.hubs !== desk.hub) cross[ms]! += 1;
  arrivals += 1;
}

async function pull(desk: Desk): Promise<void> {
  if (desk.pulling) {
    desk.again = true;
    return;
  }
  desk.pulling = true;
  try {
    do {
      desk.again = false;
      const r = await desk.call('sync.pull', { cursor: desk.cursor, limit: 1000 });
      desk.pulls += 1;
      if (!r.ok) {
        failures += 1;
        return;
      }
      const page = r.value as PullResult;
      if (page.kind !== 'changes') throw new Error(`a reset: ${page.reason}`);
      for (const c of page.changes) {
        desk.replica.set(`${c.entity}|${c.id}`, c.op === 'delete' ? null : c.row);
        arrived(desk, c);
      }
      desk.cursor = page.cursor;
      if (page.cursor < page.head) desk.again = true;
    } while (desk.again);
  } finally {
    desk.pulling = false;
  }
}

/** The histogram as [ms, count] pairs (only the filled buckets). */
const sparse = (h: Uint32Array) => Array.from(h.entries()).filter(([, c]) => c > 0);

process.on('message', (m: Command) => {
  void (async () => {
    if (m.type === 'connect') {
      // Twenty at a time: two hundred upgrades at once would only queue in the accept backlog.
      for (let i = 0; i < m.desks.length; i += 20) {
        const opened = await Promise.all(
          m.desks.slice(i, i + 20).map(async ({ url, token, hub }) => {
            const desk: Desk = {
              call: async () => ({ ok: false }),
              close: () => undefined,
              hub,
              cursor: 0,
              pulling: false,
              again: false,
              replica: new Map(),
              seen: new Uint8Array(0),
              pulls: 0,
            };
            const socket = await openSocket(url, token, (name) => {
              if (name === 'sync.poked') void pull(desk);
            });
            desk.call = socket.call as Desk['call'];
            desk.close = socket.close;
            const r = await desk.call('agents.setState', { state: 'online' });
            if (!r.ok) throw new Error(`agents.setState: ${r.error?.message}`);
            await pull(desk);
            return desk;
          }),
        );
        desks.push(...opened);
      }
      send({ type: 'connected', count: desks.length });
    } else if (m.type === 'step') {
      step = m;
      all = new Uint32Array(MAX_MS + 1);
      cross = new Uint32Array(MAX_MS + 1);
      arrivals = 0;
      for (const d of desks) d.seen = new Uint8Array(m.count);
      send({ type: 'stepping' });
    } else if (m.type === 'report') {
      send({
        type: 'report',
        all: sparse(all),
        cross: sparse(cross),
        arrivals,
        failures,
        pulls: desks.reduce((n, d) => n + d.pulls, 0),
        cpu: process.cpuUsage(),
      });
    } else if (m.type === 'exit') {
      for (const d of desks) d.close();
      process.exit(0);
    }
  })().catch((error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
