import v8 from 'node:v8';
import vm from 'node:vm';
import os from 'node:os';
import { percentile } from '../harness';
import { desksProcess } from './hub-fanout';
import { benchHub } from './hubFixture';
import type { SyncBenchResult } from './sync-fixture';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clock = () => performance.timeOrigin + performance.now();

type DesksReport = { arrivals: number[][] };
type BuyersReport = { sent: number[]; acks: number[]; replies: number[]; refused: number; open: number };

function memory() {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers };
}

/**
 * "1,000 widget buyers" (issue 13): a hub (its core and server in this process, 127.0.0.1 only)
 * with the widget on and 10 agents at desks (a second process, each pulling into its replica, as in
 * hub-fanout-50), and 1,000 buyers' widget sockets (a third process) connected at once, each sending
 * a message every 4 s (5 rounds; --quick: 2), staggered: 250 messages a second in all. Every fifth
 * buyer message is answered by an agent (`messages.send` on an agent's connection, a moment after the
 * buyer's message is stored). The figure: a buyer message's p95 from when it was due to its having
 * reached every desk's replica. In the details: the buyer's ack, desk → buyer p95 (the agent's send
 * to the buyer's socket having the message), the hub process's cores while the buyers send, and
 * what one connected widget costs the hub (JS heap with external buffers after a full GC, and RSS).
 * The hub's per-address limits are raised: all 1,000 buyers come from 127.0.0.1 here.
 */
export async function runWidget1000(options: { quick?: boolean } = {}): Promise<SyncBenchResult> {
  const buyersCount = 1000;
  const periodMs = 4000;
  const rounds = options.quick ? 2 : 5;
  const count = buyersCount * rounds;
  const hub = await benchHub(
    { customers: 0, openConversations: 0 },
    {
      widget: {
        limits: { maxSocketsPerAddress: 2 * buyersCount, perAddress: { capacity: 100_000, perSecond: 100_000 } },
      },
    },
  );
  const desks = await desksProcess();
  const buyers = await desksProcess('widgetBuyers.ts');
  try {
    const saved = await hub.asOwner('widget.save', {
      enabled: true,
      welcomeText: '您好，有什么可以帮您？',
      offlineText: '',
      hours: null,
      publicUrl: hub.url,
      allowedOrigins: [],
    });
    if (!saved.ok) throw new Error(`widget.save: ${saved.error.message}`);
    const accounts = await hub.agents(10);
    await desks.ask({ type: 'connect', url: hub.url, desks: accounts.map((a) => ({ token: a.token })), online: true }, 'connected');
    await desks.ask({ type: 'watch', prefix: 'wb-', count }, 'watching');
    // The answering agent's own connection to the core (the contract, as a desk's socket would carry it).
    const agentConnection = 'bench-agent';
    const resumed = await hub.core.call('auth.resume', { token: accounts[0]!.token }, agentConnection);
    if (!resumed.ok) throw new Error(`auth.resume: ${resumed.error.message}`);

    await sleep(500);
    const before = memory();
    const connectStart = performance.now();
    await buyers.ask({ type: 'connect', url: hub.url, count: buyersCount }, 'connected');
    const connectMs = performance.now() - connectStart;
    await sleep(1000);
    const connected = memory();

    const replySent = new Float64Array(count);
    let replyFailures = 0;
    const unsubscribe = hub.core.onBuyerMessage((m) => {
      const n = Number(m.text.split(' ', 1)[0]!.slice(3));
      if (!(n >= 0 && n < count) || n % 5 !== 0) return;
      // After the buyer's transaction, as an agent reading it would.
      setImmediate(() => {
        replySent[n] = clock();
        void hub.core
          .call('messages.send', { id: `wr${n}`, conversationId: m.conversationId, text: `wr-${n} 有的亲，今天发货` }, agentConnection)
          .then((r) => {
            if (!r.ok) replyFailures += 1;
          });
      });
    });
    const cpu = process.cpuUsage();
    const began = performance.now();
    await buyers.ask({ type: 'run', start: clock() + 500, periodMs, rounds }, 'sent', 180_000);
    const used = process.cpuUsage(cpu);
    const sendingMs = performance.now() - began;
    // Everything on every replica and at every buyer, or 10 s more.
    let desksReport: DesksReport;
    let buyersReport: BuyersReport;
    const deadline = Date.now() + 10_000;
    for (;;) {
      desksReport = await desks.ask<DesksReport>({ type: 'report' }, 'report');
      buyersReport = await buyers.ask<BuyersReport>({ type: 'report' }, 'report');
      const allIn = desksReport.arrivals.every((a) => a.every((t) => t > 0));
      const repliesIn = buyersReport.replies.every((t, n) => n % 5 !== 0 || t > 0);
      if ((allIn && repliesIn) || Date.now() > deadline) break;
      await sleep(250);
    }
    unsubscribe();
    const end = clock();
    const toDesks: number[] = [];
    let missing = 0;
    for (const a of desksReport.arrivals)
      for (let n = 0; n < count; n++) {
        if (a[n] === 0) missing += 1;
        toDesks.push((a[n]! > 0 ? a[n]! : end) - buyersReport.sent[n]!);
      }
    const acks: number[] = [];
    const toBuyer: number[] = [];
    let repliesMissing = 0;
    for (let n = 0; n < count; n++) {
      acks.push((buyersReport.acks[n]! > 0 ? buyersReport.acks[n]! : end) - buyersReport.sent[n]!);
      if (n % 5 !== 0) continue;
      if (buyersReport.replies[n] === 0) repliesMissing += 1;
      if (replySent[n] === 0) continue;
      toBuyer.push((buyersReport.replies[n]! > 0 ? buyersReport.replies[n]! : end) - replySent[n]!);
    }
    const r1 = (x: number) => Math.round(x * 10) / 10;
    const kb = (bytes: number) => Math.round(bytes / buyersCount / 1024);
    return {
      name: 'hub-widget-1000',
      value: r1(percentile(toDesks, 95)),
      unit: 'ms',
      target: 200,
      better: 'lower',
      details: {
        buyers: buyersCount,
        desks: accounts.length,
        messages: count,
        messagesPerSecond: Math.round(buyersCount / (periodMs / 1000)),
        buyerToDeskP50Ms: r1(percentile(toDesks, 50)),
        buyerAckP95Ms: r1(percentile(acks, 95)),
        deskToBuyerP95Ms: r1(percentile(toBuyer, 95)),
        deskToBuyerP50Ms: r1(percentile(toBuyer, 50)),
        replies: toBuyer.length,
        missingOnDesksAtEnd: missing,
        repliesMissingAtEnd: repliesMissing,
        replyFailures,
        refusedFrames: buyersReport.refused,
        widgetSocketsOpenAtEnd: buyersReport.open,
        connectAllMs: Math.round(connectMs),
        hubCoresWhileSending: Math.round(((used.user + used.system) / 1000 / sendingMs) * 100) / 100,
        heapPerWidgetKb: kb(connected.heap - before.heap),
        rssPerWidgetKb: kb(connected.rss - before.rss),
        hubRssMb: Math.round(connected.rss / 1024 / 1024),
        loadAverage: os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' '),
      },
    };
  } finally {
    await buyers.close();
    await desks.close();
    await hub.close();
  }
}
