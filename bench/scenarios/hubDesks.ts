import WebSocket from 'ws';
import type { Change, PullResult } from '../../shared/sync/protocol';
import { openSocket } from './hubSocket';

/**
 * Simulated desks for the hub scenarios, in their own process (so the hub's process holds only the
 * hub): each a /hub/ws client signed in as its own agent that pulls on every `sync.poked` (one pull
 * at a time, once more if poked meanwhile, as a desk core's runner does) and applies what it pulls
 * into an in-memory replica. The time a watched message (`<prefix><n>`) first reaches each replica
 * is kept. Also bare WebSocket clients for the baseline, which take the same numbered messages as
 * plain frames. Driven over IPC by hub-fanout.ts.
 */
type Command =
  | { type: 'connect'; url: string; desks: { token: string }[]; online: boolean; pull?: boolean }
  | { type: 'watch'; prefix: string; count: number }
  | { type: 'report' }
  | { type: 'pull' }
  | { type: 'bare'; url: string; count: number }
  | { type: 'exit' };

const clock = () => performance.timeOrigin + performance.now();
const send = (m: unknown) => process.send!(m);

type Desk = {
  call: (method: string, args: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
  close: () => void;
  cursor: number;
  pulling: boolean;
  again: boolean;
  replica: Map<string, unknown>;
  pulls: number;
  changes: number;
};

let watch = { prefix: '\u0000', arrivals: [] as Float64Array[] };
const desks: Desk[] = [];
const bare: WebSocket[] = [];
let failures = 0;

function arrived(index: number, c: Change): void {
  if (c.entity !== 'message') return;
  // A watched message is named by its id (messages the bench writes) or its text's first word (a
  // bridge's, whose ids the hub makes): `<prefix><n>`.
  const text = (c.row as { text?: unknown } | null)?.text;
  const name = c.id.startsWith(watch.prefix)
    ? c.id
    : typeof text === 'string' && text.startsWith(watch.prefix)
      ? text.split(' ', 1)[0]!
      : null;
  if (name === null) return;
  const n = Number(name.slice(watch.prefix.length));
  const a = watch.arrivals[index];
  if (a && n >= 0 && n < a.length && a[n] === 0) a[n] = clock();
}

async function pull(desk: Desk, index: number): Promise<void> {
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
        arrived(index, c);
      }
      desk.changes += page.changes.length;
      desk.cursor = page.cursor;
      if (page.cursor < page.head) desk.again = true;
    } while (desk.again);
  } finally {
    desk.pulling = false;
  }
}

process.on('message', (m: Command) => {
  void (async () => {
    if (m.type === 'connect') {
      if (desks.length > 0) throw new Error('connect once');
      const opened = await Promise.all(
        m.desks.map(async ({ token }, i) => {
          const desk: Desk = {
            call: async () => ({ ok: false }),
            close: () => undefined,
            cursor: 0,
            pulling: false,
            again: false,
            replica: new Map(),
            pulls: 0,
            changes: 0,
          };
          const socket = await openSocket(m.url, token, (name) => {
            if (name === 'sync.poked') void pull(desk, i);
          });
          desk.call = socket.call as Desk['call'];
          desk.close = socket.close;
          return desk;
        }),
      );
      desks.push(...opened);
      for (const [i, d] of desks.entries()) {
        if (m.online) {
          const r = await d.call('agents.setState', { state: 'online' });
          if (!r.ok) throw new Error(`agents.setState: ${r.error?.message}`);
        }
        if (m.pull !== false) await pull(d, i);
      }
      send({ type: 'connected', cursors: desks.map((d) => d.cursor) });
    } else if (m.type === 'pull') {
      await Promise.all(desks.map((d, i) => pull(d, i)));
      send({ type: 'pulled', cursors: desks.map((d) => d.cursor) });
    } else if (m.type === 'watch') {
      watch = { prefix: m.prefix, arrivals: (bare.length > 0 ? bare : desks).map(() => new Float64Array(m.count)) };
      send({ type: 'watching' });
    } else if (m.type === 'report') {
      send({
        type: 'report',
        arrivals: watch.arrivals.map((a) => Array.from(a)),
        pulls: desks.reduce((n, d) => n + d.pulls, 0),
        changes: desks.reduce((n, d) => n + d.changes, 0),
        failures,
      });
    } else if (m.type === 'bare') {
      // Plain sockets to a plain server: a frame `<n>` is message n.
      for (let i = 0; i < m.count; i++) {
        const ws = new WebSocket(m.url, { perMessageDeflate: false });
        const index = i;
        ws.on('message', (data) => {
          const n = Number(String(data));
          const a = watch.arrivals[index];
          if (a && n >= 0 && n < a.length && a[n] === 0) a[n] = clock();
        });
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        bare.push(ws);
      }
      send({ type: 'connected', cursors: [] });
    } else if (m.type === 'exit') {
      for (const d of desks) d.close();
      for (const ws of bare) ws.close();
      process.exit(0);
    }
  })().catch((error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});
// The bench gone (however it ended): so are its desks.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
