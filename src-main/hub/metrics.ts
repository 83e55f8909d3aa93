import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Result } from '../../shared/contract/errors';
import { bearer, sendError } from './http';

/**
 * What one hub process tells an operator's scraper (Prometheus's text exposition format, version
 * 0.0.4, written here: a handful of counters, gauges and one histogram do not need a library). Each process serves
 * its own figures; the scraper's `instance` label tells them apart. Counts and times only: no
 * address, name, token, buyer or message text.
 */
export type HubMetrics = ReturnType<typeof hubMetrics>;

type Labels = Record<string, string>;

const labelKey = (labels: Labels) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

/** At most this many label sets per counter (a route or a channel: a bounded set; more are folded into "other"). */
const MAX_SERIES = 64;

/** The push histogram's upper bounds, in seconds (a push's +Inf bucket is its count). */
export const PUSH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export function hubMetrics(now: () => number = () => performance.now()) {
  const started = now();
  const counters = new Map<string, { help: string; series: Map<string, number> }>();
  const counter = (name: string, help: string) => {
    const found = { help, series: new Map<string, number>() };
    counters.set(name, found);
    return (labels: Labels = {}, by = 1) => {
      let key = labelKey(labels);
      if (!found.series.has(key) && found.series.size >= MAX_SERIES)
        key = labelKey(Object.fromEntries(Object.keys(labels).map((k) => [k, 'other'])));
      found.series.set(key, (found.series.get(key) ?? 0) + by);
    };
  };
  const pushes = counter('jiedai_hub_pushes_total', "Desks' sync.push calls answered by this process, by result.");
  // The push times as a Prometheus histogram (cumulative buckets in seconds, _sum, _count), so a
  // scraper can read a p95 per process (histogram_quantile over the buckets' rate).
  const pushSeconds = { sum: 0, count: 0, buckets: PUSH_BUCKETS.map(() => 0) };
  const messages = counter(
    'jiedai_hub_buyer_messages_total',
    "Buyers' messages taken by this process, by channel (repeats of an idempotency key included).",
  );
  const limited = counter('jiedai_hub_rate_limited_total', 'Requests and widget frames this process refused for their rate, by route.');
  return {
    push(ok: boolean, ms: number): void {
      pushes({ result: ok ? 'ok' : 'refused' });
      const seconds = ms / 1000;
      pushSeconds.sum += seconds;
      pushSeconds.count += 1;
      for (const [i, le] of PUSH_BUCKETS.entries()) if (seconds <= le) pushSeconds.buckets[i]! += 1;
    },
    message(channel: 'widget' | 'api'): void {
      messages({ channel });
    },
    limited(route: string): void {
      limited({ route });
    },
    uptimeSeconds: () => (now() - started) / 1000,
    /** The exposition: these counters and the gauges read at this scrape. */
    render(gauges: { name: string; help: string; value: number; labels?: Labels }[]): string {
      const lines: string[] = [];
      for (const g of gauges) {
        lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
        const labels = g.labels ? labelKey(g.labels) : '';
        lines.push(`${g.name}${labels ? `{${labels}}` : ''} ${Number.isFinite(g.value) ? g.value : 'NaN'}`);
      }
      for (const [name, c] of counters) {
        lines.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
        if (c.series.size === 0) lines.push(`${name} 0`);
        for (const [key, value] of c.series) lines.push(`${name}${key ? `{${key}}` : ''} ${value}`);
      }
      const h = 'jiedai_hub_push_seconds';
      lines.push(`# HELP ${h} Time this process took to answer desks' sync.push calls, in seconds.`, `# TYPE ${h} histogram`);
      for (const [i, le] of PUSH_BUCKETS.entries()) lines.push(`${h}_bucket{le="${le}"} ${pushSeconds.buckets[i]}`);
      lines.push(`${h}_bucket{le="+Inf"} ${pushSeconds.count}`, `${h}_sum ${pushSeconds.sum}`, `${h}_count ${pushSeconds.count}`);
      return lines.join('\n') + '\n';
    },
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Who may scrape: a caller with a `full` API token of the shop (made by the owner, checked by the
 * core at each scrape), or, when the hub is started with `fromLoopback`, a caller on this machine
 * that came directly (its socket's peer is loopback and nothing forwarded it: a request through a
 * reverse proxy on this machine carries X-Forwarded-For and needs the token like any other).
 */
export function isDirectLoopback(request: FastifyRequest): boolean {
  const peer = request.raw.socket.remoteAddress ?? '';
  return LOOPBACK.test(peer) && request.headers['x-forwarded-for'] === undefined && request.headers.forwarded === undefined;
}

export type MetricsRouteOptions = {
  metrics: HubMetrics;
  fromLoopback: boolean;
  channel: (op: string, args: unknown) => Promise<Result<unknown>>;
  /** This process's gauges at the moment of the scrape (desks, widget sockets, the head it last told its desks…). */
  gauges: () => { name: string; help: string; value: number; labels?: Labels }[];
  /** Scrapes per address a minute (a wrong token is refused each time; guessing is bounded too). */
  perMinute?: number;
};

export function registerMetricsRoute(app: FastifyInstance, options: MetricsRouteOptions): void {
  const limit = app.createRateLimit({ max: options.perMinute ?? 120, timeWindow: 60_000, keyGenerator: (r) => `metrics:${r.ip}` });
  app.get('/metrics', async (request, reply) => {
    const verdict = await limit(request);
    if (!verdict.isAllowed && verdict.isExceeded)
      return reply
        .code(429)
        .header('retry-after', String(Math.max(1, verdict.ttlInSeconds)))
        .send({ ok: false, error: { code: 'limit_exceeded', message: 'too many scrapes: wait a moment' } });
    const token = bearer(request);
    if (!token && !(options.fromLoopback && isDirectLoopback(request)))
      return sendError(reply, { code: 'unauthorized', message: 'send a full-scope API token as Authorization: Bearer <token>' });
    const store = await options.channel('hub.metrics', { token: token ?? null });
    if (!store.ok) return sendError(reply, store.error);
    const figures = store.value as { feedHead: number; webhooksQueued: number; webhooksDead: number };
    const gauges = [
      ...options.gauges(),
      { name: 'jiedai_feed_head', help: "The store's feed head (the newest change's seq), read at this scrape.", value: figures.feedHead },
      {
        name: 'jiedai_webhook_queue',
        help: 'Webhook deliveries waiting to be sent (not delivered, not dead).',
        value: figures.webhooksQueued,
      },
      { name: 'jiedai_webhook_dead', help: 'Webhook deliveries that ran out of tries (dead letters).', value: figures.webhooksDead },
      {
        name: 'jiedai_hub_uptime_seconds',
        help: 'Seconds since this hub process started serving.',
        value: options.metrics.uptimeSeconds(),
      },
    ];
    return reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(options.metrics.render(gauges));
  });
}
