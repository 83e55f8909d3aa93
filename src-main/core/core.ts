import type { TransferListItem } from 'node:worker_threads';
import path from 'node:path';
import { fail, type Result } from '../../shared/contract/errors';
import type { AppInfo } from '../../shared/contract/methods';
import type { Agent, Message, Shop } from '../../shared/domain/types';
import { startDemoBuyers, type DemoBuyers } from '../channels/demoBuyers';
import { AppError } from '../../shared/contract/errors';
import { conversationService, type ConversationService } from '../services/conversations';
import { routingService } from '../services/routing';
import { customerService } from '../services/customers';
import { seedDemoShop } from '../services/demo/seedDemo';
import { exportService, type ExportService } from '../services/logExport/exportService';
import { syncService, type SyncService } from '../services/sync';
import type { Store } from '../store';
import { EventBus, type EventListener } from '../platform/eventBus';
import { createLogger } from '../platform/log';
import { spawnWorker } from '../platform/spawnWorker';
import { parseOffThread } from '../services/phrases/files/parseOffThread';
import { watchOtherWriters, OTHER_WRITERS_INTERVAL_MS } from './otherWriters';
import { closeShop, openShop } from './openShop';
import { hubDatabase, openPgStore, PgNotifier, sharedPresence } from '../store/pg';
import { personalService } from '../services/personal';
import { newId } from '../../shared/domain/ids';
import { createHandlers } from './handlers';
import { createRouter, type Dispatch } from './router';
import { shellContextSchema, type ShellContext } from './shellContext';
import { Sessions } from './sessions';
import { createServerMutators, type ServerMutators } from './syncMutations';
import type { DownloadFile } from '../services/logExport/downloadTickets';
import { shopTimeZone } from '../services/logExport/timeZone';
import { accountService, type AccountService } from '../services/accounts';
import { allowedBeforeSignIn, hubRefusal } from '../../shared/domain/policy';
import type { HubLink } from '../teamSync/hubLink';
import type { TeamSync, TeamSyncOptions } from '../teamSync/teamSync';
import { readTeamConfig, type TeamConfig } from '../teamSync/teamSettings';
import type { HubHttpOptions } from '../teamSync/hubLogin';
import { backupOnline, DEFAULT_BACKUPS_KEPT } from '../store/backups';
import { createTeamCalls } from './teamCalls';
import { personalSync } from '../teamSync/personalSync';
import { Presence, PRESENCE_DEBOUNCE_MS } from './presence';
import { TeamDesk } from './teamDesk';
import { createHubExport, type HubExport, type HubExportOptions } from '../teamSync/hubExport';
import { reportService, type ReportService } from '../services/reports/reportService';
import { channelService, type ChannelEvent, type ChannelService } from '../services/channels';
import type { WebhookOptions } from '../services/channels/webhooks';
import { channelSeam } from './channelSeam';
import { groupCommits } from './groupCommit';
import { automationService, type AutomationService } from '../services/automation';
import { startAutomationRunner } from '../services/automation/runner';
import { automationClock } from '../services/automation/testClock';
import { messageImageService } from '../services/messageImages';
import { imageFiles } from '../services/channels/images';

/** The PostgreSQL bridge's thread (store/pg/pgWorker.ts), from source or from the bundle. */
const PG_WORKER_ENTRY = { source: '../store/pg/pgWorker.ts', bundled: '../store/pg/pgWorker.js' };

export type CoreOptions = {
  /** Folder holding the shop's data file. */
  dataDir: string;
  /** Path of a better-sqlite3 addon built for this runtime (the Electron copy). */
  nativeBinding?: string | undefined;
  /** Create the demo shop when the data file is new (default true). */
  seedDemo?: boolean;
  /** Demo buyer channel: overrides the stored setting (e.g. `--no-demo-buyers`). */
  demoBuyers?: { enabled?: boolean; intervalMs?: number };
  version?: string;
  /** How many automatic backups to keep (default 5). */
  keepBackups?: number;
  now?: () => number;
  /** Where the core's failures are logged (default: the `core` logger, on stderr). */
  log?: (message: string, error?: unknown) => void;
  /**
   * Serve as the shop's team hub (src-main/hub): no demo shop or demo buyers; a connection is nobody
   * until it signs in (auth.login / auth.resume), and each call checks that its session is still live.
   */
  hub?: { sessionTtlMs?: number } | undefined;
  /**
   * The hub's store on PostgreSQL (issue 14): a `postgres://` URL instead of the data folder's SQLite
   * file (the folder still holds exports and channel files, and remembers the URL: store/pg/hubDatabase.ts).
   * Only with `hub`.
   */
  database?: string | undefined;
  /**
   * How often to look for commits by another connection (the CLI beside the app) and poke the desks
   * (default 300 ms); false: never (a one-shot CLI run).
   */
  watchOtherWritersMs?: number | false;
  /** Opens an export's folder for `exports.reveal` (default: the desktop's file manager; renderer tests record it). */
  revealFolder?: (folder: string) => Promise<boolean>;
  /**
   * Team mode (tier 2): how to reach the hub named in the store's team settings: `'websocket'` (the
   * app: plain data, so it crosses into the core's worker) or a factory (tests). Without it, or
   * without team settings in the store, nothing syncs with a hub (a standalone desk, the CLI).
   */
  hubLink?: 'websocket' | ((config: TeamConfig) => HubLink);
  /** Tuning of the tier-2 engine (tests shorten its back-off). */
  team?: TeamSyncOptions;
  /** The hub's sign-in request for `team.connect` (tests shorten its timeout). */
  hubHttp?: HubHttpOptions;
  /** Tuning of a team desk's chat-log export on the hub (tests poll faster). */
  teamExport?: HubExportOptions;
  /**
   * Write who is at a connected desk into the roster (default true; the CLI's one-shot runs pass
   * false: a run beside the app must not say the app's agents left). Routing uses the live sessions
   * either way.
   */
  presence?: boolean;
  /** How long presence settles before it is written (default 500 ms). */
  presenceDebounceMs?: number;
  /** On a hub: the webhook outbox's tries and waits (tests shorten them). */
  webhooks?: WebhookOptions;
  /**
   * Automation (催付, auto-replies): its clock (default: the core's; `JIEDAI_TEST_CLOCK=1` moves it by
   * the data folder's test-clock.json) and whether its timer runs (default: when other writers are watched).
   */
  automation?: { now?: () => number; timer?: boolean };
};

/** On a hub, a finished export's file waits this long for its desk to fetch it (a fetch removes it at once). */
export const HUB_EXPORT_FILE_TTL_MS = 60 * 60 * 1000;

export const DATA_FILE = 'jiedai.sqlite';
/** The channel operations that share a commit with the others of their turn (group commits). */
const GROUPED_CHANNEL_OPS: ReadonlySet<string> = new Set(['api.inbound', 'api.reply', 'widget.send']);
export const DEFAULT_DEMO_INTERVAL_MS = 20_000;

/**
 * The core: owns the store and every service, and answers contract calls. It runs in a worker thread
 * under the Electron shell and the browser-mode host, and in-process in the CLI and in tests.
 */
export class Core {
  readonly store: Store;
  readonly events = new EventBus();
  /** Log export jobs (each in its own thread). */
  readonly logExport: ExportService;
  /** The change feed, pushed mutations and the replica bootstrap (shared/sync). */
  readonly sync: SyncService;
  /** Conversations and messages; channels hand buyers' messages to `conversations.receive`, which routes new buyers. */
  readonly conversations: ConversationService;
  /** Who is at a connected desk: routing's candidates, and the roster's `present` column. */
  private readonly presence: Presence;
  /** Reports: the rollups' upkeep (from the change feed) and the report queries. */
  readonly reports: ReportService;
  /** 催付 and auto-replies; run here only when this core is the shop's runner (standalone or the hub). */
  readonly automation: AutomationService;
  private readonly automationRunner: { stop(): void; runNow(): void } | null;
  private readonly dispatch: Dispatch;
  private readonly demo: DemoBuyers;
  /** Who is signed in on each connection: identity belongs to the connection, never to the process. */
  private readonly sessions: Sessions;
  private readonly accounts: AccountService;
  private readonly hub: boolean;
  /** Which store this core runs on (a hub may run on PostgreSQL). */
  readonly database: 'sqlite' | 'postgres';
  private readonly dataDir: string;
  private readonly endedListeners = new Set<(connections: string[]) => void>();
  private readonly stopWatching: () => void;
  /** On PostgreSQL: hears the other hub processes' commits and holds the automation leadership (null elsewhere). */
  readonly pgNotifier: PgNotifier | null;

  /** The desk's membership of a team hub, and tier 2 while it is one (core/teamDesk.ts). */
  private readonly teamDesk: TeamDesk;
  /** A team desk's chat-log export, run on the hub (used while the desk syncs with one). */
  private readonly hubExport: HubExport;
  /** On a hub: the buyers' channels (issue 13); null on a desk (a standalone desk keeps the demo channel). */
  private readonly channels: ChannelService | null;
  private readonly channelListeners = new Set<(events: ChannelEvent[]) => void>();
  private readonly buyerListeners = new Set<(message: Message) => void>();
  private readonly channelCall: ((op: string, args: unknown) => Result<unknown>) | null;
  /** The buyers' writes of one turn in one commit (core/groupCommit.ts). */
  private readonly channelGroup: ((op: string, args: unknown) => Promise<Result<unknown>>) | null;

  constructor(options: CoreOptions) {
    const baseNow = options.now ?? Date.now;
    // A replayed action runs at the time it was done (tier 2 rebase), whatever the wall clock says.
    let clockAt: number | null = null;
    const now = () => clockAt ?? baseNow();
    const withClock = <T>(at: number, fn: () => T): T => {
      const before = clockAt;
      clockAt = at;
      try {
        return fn();
      } finally {
        clockAt = before;
      }
    };
    this.hub = options.hub !== undefined;
    const log = options.log ?? createLogger('core').error;
    const dbFile = path.join(options.dataDir, DATA_FILE);
    this.dataDir = options.dataDir;
    // Only a missing file is created (with the demo shop); a damaged one throws a StoreFaultError (see recovery.ts).
    if (options.database && !this.hub) throw new AppError('invalid_argument', 'a PostgreSQL store is for a hub only');
    const database = this.hub ? hubDatabase(options.dataDir, options.database) : undefined;
    this.database = database ? 'postgres' : 'sqlite';
    this.store = database
      ? openPgStore(database, (workerData, transferList) =>
          spawnWorker(import.meta.url, PG_WORKER_ENTRY, { workerData, transferList: transferList as TransferListItem[] }),
        )
      : openShop({
          dataDir: options.dataDir,
          file: dbFile,
          nativeBinding: options.nativeBinding,
          fill: !this.hub && (options.seedDemo ?? true) ? (store) => void seedDemoShop(store, { now: now() }) : undefined,
          keepBackups: options.keepBackups,
        });
    this.sessions = new Sessions(this.store, undefined, this.hub);
    this.accounts = accountService(this.store, now, { sessionTtlMs: options.hub?.sessionTtlMs });
    const writesPresence = options.presence ?? true;
    this.presence = new Presence({
      store: this.store,
      sessions: this.sessions,
      hub: this.hub,
      // A member of a team shows the hub's roster; only the core that serves the desks writes it.
      writes: () => writesPresence && readTeamConfig(this.store) === null,
      now,
      debounceMs: options.presenceDebounceMs ?? PRESENCE_DEBOUNCE_MS,
      log,
      // A serving hub on PostgreSQL: other hub processes on the database have desks too.
      shared: database && writesPresence && options.watchOtherWritersMs !== false ? sharedPresence(this.store, newId()) : undefined,
    });
    this.sessions.onChange = () => this.presence.changed();
    // A new buyer goes, in turn, to an agent 在线 at a connected desk here with room under their maximum.
    const routing = routingService(this.store, now, () => this.presence.live());
    const automationNow = options.automation?.now ?? automationClock(options.dataDir, now);
    // The roster in one read (not a read per desk): asked at buyer messages.
    const agentsOnline = () => {
      const live = this.presence.live();
      return live.size === 0 ? 0 : this.store.agents.list().filter((a) => live.has(a.id) && a.state === 'online').length;
    };
    // On a hub: the widget's visitors, and an API bridge's buyers when it said it takes pictures.
    // On a desk: its demo buyers (standalone); in a team the hub decides when the reply is pushed.
    const pictureFiles = imageFiles(options.dataDir);
    const acceptsImages = (customerId: string) => {
      if (!this.hub) return true;
      const buyer = this.store.channels.buyers.byCustomer(customerId);
      return buyer !== undefined && (buyer.channel === 'widget' || buyer.accepts_images === 1);
    };
    this.automation = automationService({
      store: this.store,
      now: automationNow,
      agentsOnline,
      present: (agentId) => this.presence.live().has(agentId),
      pictures: { accepts: acceptsImages, has: (hash) => pictureFiles.has(hash) },
      log,
    });
    const service = conversationService(this.store, now, routing.route);
    // Every buyer message, from every channel (demo buyers, the widget, the API, the bench), comes
    // in through this one function, so what listens for buyers (auto-replies) hears each of them once.
    const receive: ConversationService['receive'] = (args) => {
      const message = service.receive(args);
      for (const listener of this.buyerListeners) listener(message);
      return message;
    };
    const conversations: ConversationService = { ...service, receive };
    // The shop's one runner: a standalone desk, or the hub; never a desk of a team (the hub answers
    // and reminds for the whole shop, and its messages reach the desk by the feed).
    const runsAutomation = () => this.hub || readTeamConfig(this.store) === null;
    this.onBuyerMessage((message) => {
      if (!runsAutomation()) return;
      try {
        this.automation.afterBuyerMessage(message);
      } catch (error) {
        log('an auto-reply failed', error);
      }
    });
    this.conversations = conversations;
    this.channels = this.hub
      ? channelService({
          store: this.store,
          conversations,
          now,
          dataDir: options.dataDir,
          // An agent is there for a buyer when signed in at a desk (a live connection) and online.
          agentsOnline: () => agentsOnline() > 0,
          emit: (events) => {
            for (const listener of this.channelListeners) listener(events);
          },
          webhooks: options.webhooks,
          log,
        })
      : null;
    this.channelCall = this.channels ? channelSeam(this.channels, this.store, log) : null;
    this.channelGroup = this.channelCall ? groupCommits(this.store, this.channelCall) : null;
    if (this.channels) {
      const outbound = this.channels.outbound;
      // Before the sync service compacts the feed at its start: what agents did before a restart is read first.
      outbound.run();
      // Each transaction here writes the deliveries of its own feed rows and the cursor in its own
      // commit (no commit of the reader's own after it); what other writers commit is read when heard.
      this.store.beforeCommit(() => outbound.beforeCommit());
      this.store.onCommit(() => outbound.committed());
    }
    const stored = this.store.settings.get('demoBuyers', { enabled: true, intervalMs: DEFAULT_DEMO_INTERVAL_MS });
    const teamConfig = readTeamConfig(this.store);
    this.demo = startDemoBuyers({
      store: this.store,
      conversations,
      // A hub serves no demo buyers; a team's buyers come from the hub, so a desk of a team writes none either.
      enabled: !this.hub && !teamConfig && (options.demoBuyers?.enabled ?? stored.enabled),
      intervalMs: options.demoBuyers?.intervalMs ?? stored.intervalMs,
      log,
    });
    this.logExport = exportService({
      store: this.store,
      events: this.events,
      dataDir: options.dataDir,
      // On PostgreSQL the export threads open the database itself.
      dbFile: database ?? dbFile,
      nativeBinding: options.nativeBinding,
      spawnWorker,
      now,
      log,
      filesTtlMs: this.hub ? HUB_EXPORT_FILE_TTL_MS : undefined,
    });
    // Mutations run through the contract's handlers, which are made below.
    const late: { mutators?: ServerMutators } = {};
    this.sync = syncService({
      store: this.store,
      events: this.events,
      now,
      log,
      run: (name, args, ctx) => (late.mutators![name] as (a: unknown, c: typeof ctx) => unknown)(args, ctx),
      // (`teamDesk.local()`: the engine, or a refusal while another process joins this desk to a team)
      local: () => this.teamDesk.local(),
    });
    const every = options.watchOtherWritersMs ?? OTHER_WRITERS_INTERVAL_MS;
    // A one-shot run (the CLI) keeps no background upkeep: its report command catches up before it asks.
    this.reports = reportService({ store: this.store, now, log, background: every !== false });
    // Every commit here, and another writer's heard below, wakes the rollups' upkeep (debounced, in slices).
    this.store.onCommit(() => this.reports.poke());
    // The team's calls are made once the handlers are: they reach the membership through these.
    const team = {
      status: () => this.teamDesk.status(),
      connect: (args: Parameters<TeamDesk['connect']>[0]) => this.teamDesk.connect(args),
      leave: (args: Parameters<TeamDesk['leave']>[0]) => this.teamDesk.leave(args),
    };
    // An agent's snoozes fall due by the same clock as automation (the test clock in end-to-end tests);
    // on a team's desk every personal write is also queued for the hub (teamSync/personalSync.ts).
    const personal = personalService(this.store, automationNow, () => readTeamConfig(this.store) !== null);
    const handlers = createHandlers({
      automation: this.automation,
      personal,
      reports: this.reports,
      remote: (method, args) => (this.team ? this.team.forward(method, args) : null),
      store: this.store,
      now,
      conversations,
      routing,
      customers: customerService(this.store, now),
      demo: this.demo,
      logExport: this.logExport,
      parsePhrases: parseOffThread(spawnWorker),
      sync: this.sync,
      dataDir: options.dataDir,
      keepBackups: options.keepBackups,
      nativeBinding: options.nativeBinding,
      reveal: options.revealFolder,
      ownJobs: this.hub,
      hubExport: () => (this.team ? this.hubExport : null),
      info: (agentId: string) => this.info(options.version ?? '0.0.0', agentId),
      switchAgent: (connection: string, agentId: string) => {
        if (!this.store.agents.get(agentId)) throw new AppError('not_found', `no agent ${agentId}`);
        this.sessions.signIn(connection, agentId, true);
        return this.info(options.version ?? '0.0.0', agentId);
      },
      accounts: this.accounts,
      channels: this.channels,
      images: messageImageService({
        store: this.store,
        conversations,
        dataDir: options.dataDir,
        accepts: acceptsImages,
      }),
      bind: (connection, agentId, session) => this.sessions.signIn(connection, agentId, false, session),
      sessionOf: (connection) => this.sessions.sessionOf(connection),
      endSessions: (sessions) => this.endSessions(sessions),
      team,
      ownClient: this.hub
        ? (clientId, ctx) => {
            if (this.store.accounts.claimClient(clientId, ctx.agentId, now()) !== ctx.agentId) {
              throw new AppError('unauthorized', 'this sync client id belongs to another account');
            }
          }
        : undefined,
    });
    late.mutators = createServerMutators(handlers);
    this.dispatch = createRouter(handlers, (method, error) => log(`${method} failed`, error));
    // This connection's commits poke through store.onCommit; another's (the CLI) are heard here. On
    // PostgreSQL, another hub process's commits are heard as notifications (store/pg/notifier.ts), and
    // the same listener holds the shop's automation leadership (one process runs the 催付 rounds).
    const otherProcess = () => {
      if (!this.store.db.open) return;
      this.sync.poke();
      this.reports.poke();
      this.channels?.outbound.schedule();
    };
    this.pgNotifier =
      database && every !== false
        ? new PgNotifier({
            url: database,
            ownBackend: this.store.db.prepare('SELECT pg_backend_pid()').pluck().get() as number,
            onFeed: otherProcess,
            lead: true,
            log,
          })
        : null;
    const notifier = this.pgNotifier;
    this.stopWatching =
      every === false
        ? () => {}
        : notifier
          ? () => void notifier.close()
          : watchOtherWriters(
              this.store,
              () => {
                // `jiedai team leave` / `jiedai join` beside the running app: this core becomes the
                // standalone desk, or the team's, without a restart.
                this.teamDesk.adoptLeave();
                this.teamDesk.adoptJoin();
                this.sync.poke();
                this.reports.poke();
                this.channels?.outbound.schedule();
              },
              every,
              log,
            );
    this.teamCalls = createTeamCalls({
      store: this.store,
      team: () => this.team,
      run: (name, args, ctx) => (late.mutators![name] as (a: unknown, c: typeof ctx) => unknown)(args, ctx),
      withClock,
      personal: personalSync({
        store: this.store,
        personal,
        forward: (method, args) => this.team?.forward(method, args) ?? Promise.resolve(fail('unavailable', 'this desk is not syncing')),
        agentId: () => readTeamConfig(this.store)?.agentId ?? null,
        log,
      }),
    });
    this.hubExport = createHubExport(
      {
        forward: (method, args) =>
          this.team?.forward(method, args) ?? Promise.resolve(fail('unavailable', 'this desk is not syncing with a team hub')),
        config: () => readTeamConfig(this.store),
        logExport: this.logExport,
      },
      { log, ...options.teamExport },
    );
    this.teamDesk = new TeamDesk({
      store: this.store,
      events: this.events,
      sync: this.sync,
      sessions: this.sessions,
      demo: this.demo,
      demoEnabled: () =>
        options.demoBuyers?.enabled ??
        this.store.settings.get('demoBuyers', { enabled: true, intervalMs: DEFAULT_DEMO_INTERVAL_MS }).enabled,
      runEntry: (entry) => this.teamCalls.runEntry(entry),
      withClock,
      now,
      onOnline: () => void this.teamCalls.personal.flush(true),
      beforeLeave: () => this.teamCalls.personal.flush(false),
      hubLink: this.hub ? undefined : options.hubLink,
      team: options.team,
      http: options.hubHttp,
      backup: () =>
        backupOnline(this.store.db, options.dataDir, {
          reason: 'join',
          keep: options.keepBackups ?? DEFAULT_BACKUPS_KEPT,
          now: now(),
          nativeBinding: options.nativeBinding,
        }),
      log,
    });
    this.automationRunner =
      (options.automation?.timer ?? every !== false)
        ? startAutomationRunner({
            automation: this.automation,
            // Several hub processes on one database: only the leader runs the rounds.
            active: () => runsAutomation() && (notifier === null || notifier.leader),
            now: automationNow,
            log,
          })
        : null;
    // Presence left by the last run (a crash, a hub stopped with desks on it) is put right at once.
    this.presence.flush();
    // A file from before the reports (or a new history) is folded in the background, in slices.
    this.reports.start();
  }

  private readonly teamCalls: ReturnType<typeof createTeamCalls>;

  /** Tier 2 while this desk is a member of a team and syncs (null: standalone, a hub, the CLI). */
  private get team(): TeamSync | null {
    return this.teamDesk?.sync ?? null;
  }

  /**
   * Makes this desk a member of a team hub with a session token already in hand (tests; the app and
   * the CLI sign in through `team.connect`). See TeamDesk.join.
   */
  joinTeam(join: { hubUrl: string; token: string; agent: Agent }): void {
    this.teamDesk.join(join);
  }

  /** Tier 2, when this desk is a member of a team (tests drain and inspect it). */
  get teamSync(): TeamSync | null {
    return this.team;
  }

  private info(version: string, agentId: string): AppInfo {
    const shop = this.store.settings.get<Shop>('shop', { id: '', name: '' });
    const agent: Agent = this.store.agents.get(agentId) ?? { id: '', nick: '', role: 'agent', state: 'offline' };
    return { version, shop, agent, demoBuyers: this.demo.config(), timeZone: shopTimeZone(this.store) };
  }

  /**
   * One contract call on a connection (named by the shell: an IPC sender, a WebSocket, a CLI run).
   * Everything the call does is done as the agent signed in on that connection. `shell` only from a
   * shell (the Electron main process, the CLI), never from a renderer.
   */
  call(method: string, args: unknown, connection: string, shell?: ShellContext): Promise<Result<unknown>> {
    if (!Sessions.validConnection(connection)) return Promise.resolve(fail('unauthorized', 'a call needs the connection it came on'));
    if (this.hub) {
      const refused = this.hubRefusal(method, connection);
      if (refused) return Promise.resolve(refused);
    }
    if (this.team) {
      const viaHub = this.teamCalls.route(method, args, this.sessions.context(connection), (m, a, c) => this.dispatch(m, a, c));
      if (viaHub) return viaHub;
    }
    if (shell === undefined) return this.dispatch(method, args, this.sessions.context(connection));
    const parsed = shellContextSchema.safeParse(shell);
    if (!parsed.success) return Promise.resolve(fail('invalid_argument', 'the shell sent an invalid call context'));
    return this.dispatch(method, args, { ...this.sessions.context(connection), shell: parsed.data });
  }

  /**
   * On a hub: methods no hub serves, and every call but sign-in on a connection whose session is not
   * live now (never signed in, logged out, expired, revoked, or its account disabled), read from the
   * store at each call.
   */
  private hubRefusal(method: string, connection: string): Result<never> | null {
    const never = hubRefusal(method);
    if (never) return fail('unauthorized', never);
    if (allowedBeforeSignIn(method)) return null;
    const session = this.sessions.sessionOf(connection);
    if (session && this.accounts.live(session)) return null;
    if (session) this.endSessions([session]);
    return fail('unauthorized', session ? 'this session has ended: sign in again' : 'sign in first');
  }

  /** Signs out every connection on these sessions and tells the shell to close them. */
  private endSessions(sessions: readonly string[]): void {
    if (sessions.length === 0) return;
    const connections = this.sessions.connectionsOn(sessions);
    for (const connection of connections) this.sessions.disconnect(connection);
    if (connections.length === 0) return;
    for (const listener of this.endedListeners) listener(connections);
  }

  /**
   * For the shell only (never a desk's event): connections whose sign-in session ended (logged out,
   * revoked, the account disabled). The hub closes their sockets.
   */
  onConnectionsEnded(listener: (connections: string[]) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** The owner's first start of a hub (`jiedai hub init`): the shop's name and its owner account. */
  initShop(shopName: string, ownerNick: string, password: string) {
    return this.accounts.initShop(shopName, ownerNick, password);
  }

  /**
   * What `jiedai hub` checks before it serves, with no connection signed in yet (on a hub nothing but
   * auth.* answers before that): whether the shop has its owner, and the shop's name.
   */
  hubSetup(): { hasOwner: boolean; shopName: string } {
    return { hasOwner: this.store.accounts.hasOwner(), shopName: this.store.settings.get<{ name: string }>('shop', { name: '' }).name };
  }

  /**
   * For the CLI on a hub's data folder (`jiedai hub accounts`): signs the shell's own connection in
   * with a new sign-in session of the shop's owner, so its calls pass hub mode's checks as the owner
   * (read from the stored row, as any desk's). Whoever runs it holds the data folder, and so the
   * database, already. The caller ends the session with `auth.logout`. Never reachable from a desk.
   */
  signInAsOwner(connection: string): Agent {
    const signed = this.accounts.ownerSession();
    this.sessions.signIn(connection, signed.agent.id, false, signed.sessionId);
    return signed.agent;
  }

  /**
   * A buyer's message from a channel that runs beside this core in the same process (the hub's
   * widget and API channels; the bench): it lands as a demo buyer's does, through the conversation
   * service (a conversation opened for the buyer if none is open, routed, its feed rows and poke).
   * The buyer must be a stored customer. For the shell only: no connection, no contract method.
   */
  receiveBuyerMessage(message: { customerId: string; text: string; id?: string }): Message {
    return this.conversations.receive(message);
  }

  /**
   * Hears every buyer message as it is stored, whichever channel brought it (the one path above:
   * `conversations.receive`, which the demo buyers, the hub's widget and API channels and
   * `receiveBuyerMessage` all go through). Called right after the message is written, inside the
   * channel's transaction when it has one (an idempotent inbound): a listener that writes there (an
   * auto-reply) commits with the message or not at all.
   */
  onBuyerMessage(listener: (message: Message) => void): () => void {
    this.buyerListeners.add(listener);
    return () => this.buyerListeners.delete(listener);
  }

  /**
   * The hub shell's way in for buyers (issue 13): a channel operation (src-main/core/channelSeam.ts)
   * on behalf of a bridge or a widget visitor the shell has read off the network. Not a contract
   * method: no desk can call it. On a desk: `unavailable` (channels live on the hub).
   */
  channel(op: string, args: unknown): Promise<Result<unknown>> {
    if (!this.channelCall || !this.channelGroup) return Promise.resolve(fail('unavailable', 'channels live on the team hub'));
    // A buyer's text and a bridge's post are small writes that come in bursts: one commit for each turn's.
    if (GROUPED_CHANNEL_OPS.has(op)) return this.channelGroup(op, args);
    return Promise.resolve(this.channelCall(op, args));
  }

  /** For the hub shell only: a widget visitor's new messages, ended chats, webhook deliveries due. */
  onChannelEvents(listener: (events: ChannelEvent[]) => void): () => void {
    this.channelListeners.add(listener);
    return () => this.channelListeners.delete(listener);
  }

  /** The browser-mode host's side of a download: the file a ticket stands for, once. */
  redeemDownload(ticket: string): DownloadFile | null {
    return this.logExport.redeemDownload(ticket);
  }

  /** The connection is gone: forget who was signed in on it. */
  disconnect(connection: string): void {
    this.sessions.disconnect(connection);
  }

  /**
   * Signs a shell's own connection in as an agent without changing the PC's default (the CLI acts as
   * the shop owner, or as `--as NICK`). `null`: the machine's operator of a shop with no accounts
   * yet (an empty start), who has the owner's rights. Never reachable from a renderer.
   */
  signIn(connection: string, agentId: string | null): void {
    if (agentId === null) {
      this.sessions.signInOperator(connection);
      return;
    }
    if (!this.store.agents.get(agentId)) throw new AppError('not_found', `no agent ${agentId}`);
    this.sessions.signIn(connection, agentId, false);
  }

  on(listener: EventListener): () => void {
    return this.events.on(listener);
  }

  close(): void {
    this.presence.stop();
    this.automationRunner?.stop();
    this.stopWatching();
    this.reports.stop();
    this.teamDesk.close();
    this.demo.stop();
    this.logExport.close();
    if (this.database === 'sqlite') closeShop(this.store, this.dataDir, path.join(this.dataDir, DATA_FILE));
    else this.store.close();
  }
}
