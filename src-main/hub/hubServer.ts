import crypto from 'node:crypto';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { fail, type Result } from '../../shared/contract/errors';
import { PASSWORD_MAX_CHARS } from '../../shared/domain/policy';
import type { Lang } from '../../shared/domain/lang';
import { MAX_FRAME_BYTES, SOCKET_CLOSE } from '../../shared/contract/socket';
import type { CoreLink } from '../core/coreLink';
import { DEFAULT_LIMITS, startSession, type Session, type SessionLimits } from '../host/socketSession';
import { DEFAULT_LOGIN_LIMITS, loginLimiter, type LoginLimits } from './loginLimits';
import { bearer, sendError } from './http';
import { DEFAULT_SETUP_LIMITS, registerSetupRoutes, type SetupCore, type SetupLimits } from './setupRoutes';
import { registerExportRoutes, type ExportFilesCore } from './exportRoutes';
import { registerApiChannel, type ApiChannelOptions } from './apiChannel';
import { startWebhookSender, type WebhookSenderOptions } from './webhookSender';
import { registerWidgetRoutes, type WidgetRouteOptions } from './widgetRoutes';
import { widgetSockets, type SharedBuckets, type WidgetLimits } from './widgetSockets';
import { hubMetrics, registerMetricsRoute } from './metrics';
import type { ChannelEvent } from '../core/channelSeam';
import { createLogger } from '../platform/log';

/** What the hub needs of its core (a CoreClient in hub mode; a Core in-process in tests). */
export type HubCore = CoreLink &
  SetupCore &
  ExportFilesCore & {
    /** Connections whose sign-in session ended (logout, revoked, account disabled): their sockets close. */
    onConnectionsEnded(listener: (connections: string[]) => void): () => void;
    /** The channels' seam (issue 13): a bridge's or a widget visitor's operation, read off the network here. */
    channel(op: string, args: unknown): Promise<Result<unknown>>;
    /** What the channels must tell buyers' widgets, and webhook deliveries due. */
    onChannelEvents(listener: (events: ChannelEvent[]) => void): () => void;
  };

export type HubOptions = {
  core: HubCore;
  port?: number;
  /** Address to listen on (default 127.0.0.1; 0.0.0.0 serves the shop's network). */
  host?: string;
  /** Serve HTTPS and WSS with these PEM files' contents. */
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined;
  /** Behind a reverse proxy: the proxy addresses whose X-Forwarded-For is believed (fastify's trustProxy). */
  trustProxy?: string | boolean | undefined;
  limits?: Partial<SessionLimits>;
  login?: Partial<LoginLimits>;
  /** Desks connected at once; one more is refused with 503. */
  maxSockets?: number;
  /** The hub's data folder: its exports/ is where desks fetch the chat-log exports they ran here (without it: no such route). */
  dataDir?: string | undefined;
  /** The one-time code the first-run page asks for while the shop has no owner (printed by `jiedai hub`). */
  setupCode?: string | undefined;
  setupLimits?: Partial<SetupLimits>;
  /** The language of the hub's pages unless `?lang=` asks for another (default zh-CN). */
  lang?: Lang;
  /** Shown on the status page. */
  version?: string;
  /** The shop was created on the first-run page. */
  onSetup?: (shop: string, owner: string) => void;
  /** The API channel's request limits, and how webhooks are sent (tests shorten the timeout). */
  api?: Omit<ApiChannelOptions, 'channel'>;
  webhooks?: Omit<WebhookSenderOptions, 'channel' | 'log'>;
  /** The web chat widget: where its built files are, its sockets' limits. */
  widget?: Omit<WidgetRouteOptions, 'channel' | 'sockets'> & { limits?: Partial<WidgetLimits> };
  /** Where hub messages are logged (default: the `hub` logger). */
  log?: (message: string, error?: unknown) => void;
  /**
   * Pokes go out to desks at most this often (ms; the newest head always, at the end of the wait):
   * a busy hub commits every few milliseconds, and each poke makes every desk pull. Default 20; 0: each.
   */
  pokeEveryMs?: number;
  /**
   * Several hub processes on one database: the rate limits' shared store (a @fastify/rate-limit store
   * class, see core/hubStore.ts) instead of each process's memory.
   */
  rateLimitStore?: unknown;
  /** Several hub processes on one database: the widget's per-visitor and per-address buckets, shared (see widgetSockets). */
  sharedBuckets?: SharedBuckets;
  /**
   * `GET /metrics` (Prometheus text): always with a `full` API token; `fromLoopback` lets a scraper on
   * this machine in without one (a direct connection, nothing forwarded). `database` is said in the
   * info line ('sqlite' or 'postgres').
   */
  metrics?: { fromLoopback?: boolean; database?: string };
  /** What /api/health says of the store (reachable, schema version; never its address or user). */
  health?: () => Promise<Record<string, unknown>>;
};

export type Hub = { url: string; port: number; sockets(): number; close(): Promise<void> };

/** What the hub forwards to desks: the feed's pokes. Everything else a desk learns by pulling, filtered per caller. */
const FORWARDED_EVENTS = new Set(['sync.poked']);

/** The channel operations that take a buyer's message, by channel (the metrics count them). */
const MESSAGE_OPS: Record<string, 'widget' | 'api'> = { 'widget.send': 'widget', 'widget.image': 'widget', 'api.inbound': 'api' };

const loginBody = {
  type: 'object',
  required: ['account', 'password'],
  additionalProperties: false,
  properties: {
    account: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX_CHARS * 4 },
  },
} as const;

/**
 * The team hub's network face (issue 12): sign-in over HTTP (rate-limited), and the contract over a
 * WebSocket per desk, each socket a connection bound in the core to the session its Bearer token
 * stands for, so every call is authorised by that agent's stored row. The frames and the per-socket
 * limits are browser mode's (host/frames.ts, host/socketSession.ts). Every malformed request is a 4xx
 * with a typed body `{ok:false, error:{code, message}}`.
 */
export async function startHub(options: HubOptions): Promise<Hub> {
  const { core } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const maxSockets = options.maxSockets ?? 256;
  const sessions = new Map<string, Session>();
  /** Stopping: a desk's socket upgraded meanwhile is cut at once (it would hold the server open). */
  let closing = false;

  // Ajv refuses extra fields (its default would strip them silently) and never coerces types.
  const ajv = { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } };
  const base = {
    logger: false,
    // Closing ends every connection at once: Node's close ends only the keep-alive connections idle at
    // that moment, and one whose last response was still finishing then (or that a browser opened
    // ahead and never sent a request on) would hold it for 72 s.
    forceCloseConnections: true,
    bodyLimit: 16 * 1024,
    ajv,
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
  };
  const maxHeaderSize = 16 * 1024;
  // The HTTPS instance serves the same routes; its type differs only in the server it wraps.
  const app: FastifyInstance = options.tls
    ? (Fastify({ ...base, https: { cert: options.tls.cert, key: options.tls.key, maxHeaderSize } }) as unknown as FastifyInstance)
    : Fastify({ ...base, http: { maxHeaderSize } });
  await app.register(fastifyRateLimit, {
    global: false,
    cache: 10_000,
    ...(options.rateLimitStore ? { store: options.rateLimitStore as never } : {}),
  });
  await app.register(fastifyWebsocket, {
    options: { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false },
    errorHandler: (_error, socket) => {
      if (socket.readyState === socket.OPEN) socket.close(1011, 'error');
    },
  });
  // Set before any route or plugin below, so every one of them answers refusals in this shape.
  app.setNotFoundHandler(async (_request, reply) => sendError(reply, { code: 'not_found', message: 'no such route' }));
  app.setErrorHandler(async (error: { statusCode?: number; validation?: unknown; message?: string }, _request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) return reply.code(500).send({ ok: false, error: { code: 'internal', message: 'the hub failed to answer' } });
    const code = status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : status === 429 ? 'limit_exceeded' : 'invalid_argument';
    const message = error.validation
      ? `invalid request: ${String(error.message).slice(0, 200)}`
      : status === 413
        ? 'the request body is too large'
        : 'bad request';
    return reply.code(status).send({ ok: false, error: { code, message } });
  });

  const limiter = loginLimiter(app, { ...DEFAULT_LOGIN_LIMITS, ...options.login });
  const metrics = hubMetrics();
  // Every refusal for a rate, by its route's pattern (a bounded set: the routes registered here).
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 429) metrics.limited(request.routeOptions.url ?? 'none');
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.ws && request.routeOptions.url !== '/hub/ws' && request.routeOptions.url !== '/widget/ws')
      return sendError(reply.code(404), { code: 'not_found', message: 'no socket here' });
    reply.headers({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
  });

  /** A one-call connection for an HTTP route, forgotten by the core once answered. */
  const once = async (method: string, args: unknown, before?: { token: string }): Promise<Result<unknown>> => {
    const connection = `http:${crypto.randomUUID()}`;
    try {
      if (before) {
        const resumed = await core.call('auth.resume', before, connection);
        if (!resumed.ok) return resumed;
      }
      return await core.call(method, args, connection);
    } finally {
      core.disconnect(connection);
    }
  };

  app.get('/api/health', async (_request, reply) => {
    if (!options.health) return { status: 'ok' };
    const database = await options.health();
    // A hub whose database does not answer cannot serve: a load balancer takes it out of rotation.
    const up = database.reachable !== false;
    return reply.code(up ? 200 : 503).send({ status: up ? 'ok' : 'unavailable', database });
  });

  app.post(
    '/api/auth/login',
    { onRequest: limiter.byAddress, preHandler: limiter.byAccount, schema: { body: loginBody } },
    async (request, reply) => {
      const result = await once('auth.login', request.body);
      return result.ok ? reply.send(result.value) : sendError(reply, result.error);
    },
  );

  app.post('/api/auth/logout', { onRequest: limiter.byAddress }, async (request, reply) => {
    const token = bearer(request);
    if (!token) return sendError(reply, { code: 'unauthorized', message: 'send the session token as Authorization: Bearer <token>' });
    const result = await once('auth.logout', {}, { token });
    return result.ok ? reply.send({ ok: true }) : sendError(reply, result.error);
  });

  // The socket's connection is signed in before the upgrade, so no frame is ever read unauthenticated.
  const pending = new WeakMap<FastifyRequest, string>();
  /** Over the socket, sign-in would bypass the login limits, and the socket is signed in already. */
  const socketCore: CoreLink = {
    call: (method, args, connection) => {
      if (method === 'auth.login' || method === 'auth.resume')
        return Promise.resolve(fail('unauthorized', 'sign in with POST /api/auth/login; a socket is signed in by its Bearer token'));
      if (method !== 'sync.push') return core.call(method, args, connection);
      const at = performance.now();
      return core.call(method, args, connection).then((r) => {
        metrics.push(r.ok, performance.now() - at);
        return r;
      });
    },
    disconnect: (connection) => core.disconnect(connection),
    on: (listener) => core.on(listener),
  };

  app.get(
    '/hub/ws',
    {
      websocket: true,
      preHandler: async (request, reply) => {
        const token = bearer(request);
        if (!token) return sendError(reply, { code: 'unauthorized', message: 'send the session token as Authorization: Bearer <token>' });
        if (sessions.size >= maxSockets)
          return sendError(reply, { code: 'unavailable', message: 'the hub has as many desks as it takes: try again later' });
        const connection = `ws:${crypto.randomUUID()}`;
        const resumed = await core.call('auth.resume', { token }, connection);
        if (!resumed.ok) {
          core.disconnect(connection);
          return sendError(reply, resumed.error);
        }
        pending.set(request, connection);
        // The upgrade may still fail (the client gone): the core must not keep the connection signed in.
        request.raw.socket.once('close', () => {
          if (!sessions.has(connection)) core.disconnect(connection);
        });
      },
    },
    (ws, request) => {
      const connection = pending.get(request)!;
      if (closing) {
        ws.terminate();
        core.disconnect(connection);
        return;
      }
      const session = startSession(ws, {
        core: socketCore,
        connection,
        limits,
        onClosed: () => {
          sessions.delete(connection);
          // A desk gone may mean no agent is there for the buyers any more.
          visitors.refreshState();
        },
      });
      sessions.set(connection, session);
      visitors.refreshState();
    },
  );

  // The hub's page for people (first run, then status) and the export files desks fetch: their own files.
  registerSetupRoutes(app, {
    core,
    code: options.setupCode,
    lang: options.lang ?? 'zh-CN',
    version: options.version ?? '0.0.0',
    dataDir: options.dataDir,
    limits: { ...DEFAULT_SETUP_LIMITS, ...options.setupLimits },
    onSetup: options.onSetup,
  });
  if (options.dataDir) registerExportRoutes(app, { core, exportsDir: path.join(options.dataDir, 'exports') });
  // Bridges: the API channel; their webhooks go out from the core's outbox.
  /** The channels' seam, counting the buyers' messages taken (for the metrics). */
  const channel = async (op: string, args: unknown): Promise<Result<unknown>> => {
    const r = await core.channel(op, args);
    if (r.ok && MESSAGE_OPS[op]) metrics.message(MESSAGE_OPS[op]);
    return r;
  };
  await registerApiChannel(app, { channel, ...options.api });
  const log = options.log ?? createLogger('hub').error;
  const webhooks = startWebhookSender({ channel: (op, args) => core.channel(op, args), log, ...options.webhooks });
  // Buyers on the shop's site: the widget's script, chat page, socket and pictures.
  const visitors = widgetSockets({
    channel,
    limits: options.widget?.limits,
    onLimited: () => metrics.limited('/widget/ws'),
    ...(options.sharedBuckets ? { shared: options.sharedBuckets } : {}),
  });
  await registerWidgetRoutes(app, { channel, sockets: visitors, ...options.widget });
  let pokedHead = 0;
  registerMetricsRoute(app, {
    metrics,
    fromLoopback: options.metrics?.fromLoopback ?? false,
    channel: (op, args) => core.channel(op, args),
    gauges: () => [
      {
        name: 'jiedai_hub_info',
        help: 'This hub process: its version, its store kind and its process id.',
        value: 1,
        labels: { version: options.version ?? '0.0.0', database: options.metrics?.database ?? 'sqlite', pid: String(process.pid) },
      },
      { name: 'jiedai_hub_desks', help: "Desks' sockets connected to this process.", value: sessions.size },
      { name: 'jiedai_hub_widget_sockets', help: "Widget visitors' sockets open on this process.", value: visitors.count() },
      {
        name: 'jiedai_hub_feed_head_poked',
        help: 'The feed head this process last told its desks (jiedai_feed_head minus this: how far its pokes lag).',
        value: pokedHead,
      },
    ],
  });
  const unsubscribeChannels = core.onChannelEvents((events) => {
    if (events.some((e) => e.type === 'webhooks.due')) webhooks.wake();
    visitors.onEvents(events);
  });

  const pokeEveryMs = options.pokeEveryMs ?? 20;
  let lastPokeAt = Number.NEGATIVE_INFINITY;
  let heldPoke: unknown = undefined;
  let pokeTimer: ReturnType<typeof setTimeout> | null = null;
  const forward = (name: string, payload: unknown) => {
    // An agent's state is feed data: whether anyone is there for the buyers may have changed.
    visitors.refreshState();
    const message = JSON.stringify({ type: 'event', name, payload });
    for (const session of [...sessions.values()]) session.event(message);
  };
  const unsubscribe = core.on((name, payload) => {
    if (!FORWARDED_EVENTS.has(name)) return;
    const head = (payload as { head?: unknown } | null)?.head;
    if (name === 'sync.poked' && typeof head === 'number') pokedHead = Math.max(pokedHead, head);
    // The first poke after a quiet moment goes at once; those of a burst wait, and only the newest goes.
    const wait = lastPokeAt + pokeEveryMs - performance.now();
    if (name !== 'sync.poked' || (wait <= 0 && pokeTimer === null)) {
      lastPokeAt = performance.now();
      return forward(name, payload);
    }
    heldPoke = payload;
    pokeTimer ??= setTimeout(
      () => {
        pokeTimer = null;
        lastPokeAt = performance.now();
        forward('sync.poked', heldPoke);
      },
      Math.max(0, wait),
    );
  });
  // Closed a turn later, so the answer to the call that found the session ended goes out first.
  const unsubscribeEnded = core.onConnectionsEnded((connections) => {
    setImmediate(() => {
      for (const connection of connections) sessions.get(connection)?.close(SOCKET_CLOSE.tokenRefused, 'session ended');
    });
  });

  try {
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    unsubscribe();
    unsubscribeEnded();
    unsubscribeChannels();
    visitors.closeAll();
    await webhooks.close();
    await app.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${options.tls ? 'https' : 'http'}://${shown}:${address.port}`,
    port: address.port,
    sockets: () => sessions.size,
    close: async () => {
      unsubscribe();
      if (pokeTimer) clearTimeout(pokeTimer);
      unsubscribeEnded();
      unsubscribeChannels();
      visitors.closeAll();
      await webhooks.close();
      closing = true;
      for (const session of [...sessions.values()]) session.terminate();
      await app.close();
    },
  };
}
