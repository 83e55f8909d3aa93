import type { ArgsOut } from '../../shared/contract/methods';
import type { TeamLink, TeamStatus } from '../../shared/contract/team';
import type { Agent } from '../../shared/domain/types';
import { newId } from '../../shared/domain/ids';
import { teamConnectRefusal, teamLeaveRefusal, type DeskMembership, type TeamRefusal } from '../../shared/domain/policy';
import { SNAPSHOT_PARTS } from '../../shared/sync/protocol';
import type { DemoBuyers } from '../channels/demoBuyers';
import type { EventBus } from '../platform/eventBus';
import { seedDemoShop } from '../services/demo/seedDemo';
import { NotReady, type LocalApply, type SyncService } from '../services/sync';
import type { Store } from '../store';
import type { HubOutboxEntry } from '../store/hubOutbox';
import type { HubLink } from '../teamSync/hubLink';
import { hubLogin, hubLogout, normalizeHubUrl, teamError, type HubHttpOptions } from '../teamSync/hubLogin';
import { TeamSync, type TeamSyncOptions } from '../teamSync/teamSync';
import { readTeamConfig, readTeamState, TEAM_SETTING_KEYS, writeTeamConfig, type TeamConfig } from '../teamSync/teamSettings';
import { wsHubLink } from '../teamSync/wsHubLink';
import type { Sessions } from './sessions';

/** At most one `team.status` event this often (the last change of a burst is always told). */
export const TEAM_STATUS_THROTTLE_MS = 250;

export type TeamDeskDeps = {
  store: Store;
  events: EventBus;
  sync: SyncService;
  sessions: Sessions;
  demo: DemoBuyers;
  /** Whether the demo buyers write on this desk when it is standalone (the stored setting, or the shell's override). */
  demoEnabled: () => boolean;
  /** Runs an outbox entry's mutation through the core's handlers (core/teamCalls.ts). */
  runEntry: (entry: HubOutboxEntry) => unknown;
  withClock: <T>(at: number, fn: () => T) => T;
  now: () => number;
  /** How to reach the hub (see CoreOptions.hubLink); without it this process never talks to the hub (the CLI). */
  hubLink?: 'websocket' | ((config: TeamConfig) => HubLink) | undefined;
  team?: TeamSyncOptions | undefined;
  /** The hub's sign-in and sign-out requests (tests shorten the timeout). */
  http?: HubHttpOptions | undefined;
  /** Takes a backup of the desk's store before the hub's shop replaces it. */
  backup: () => Promise<unknown>;
  log: (message: string, error?: unknown) => void;
  /** The link to the hub is open again (the agent's personal writes that waited go out). */
  onOnline?: () => void;
  /** Before leaving: hand the hub the agent's personal writes still waiting (best effort; never throws). */
  beforeLeave?: () => Promise<unknown>;
};

const JOINING: LocalApply = {
  apply() {
    throw new NotReady({ code: 'unavailable', message: 'this desk is joining a team hub' });
  },
};

const refusalError = (r: TeamRefusal) =>
  teamError({ reason: r.reason, ...(r.pending !== undefined ? { pending: r.pending } : {}) }, r.message);

/**
 * The desk's membership of a team hub: joining (the core signs in at the hub itself, then becomes
 * a replica of its shop), signing in again when the hub ended the session, leaving, and the status
 * the desk shows, told to the renderer by one throttled `team.status` event when it changes.
 */
export class TeamDesk {
  private engine: TeamSync | null = null;
  private link: HubLink | null = null;
  private unsubscribe: (() => void) | null = null;
  private busy = false;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastTold = 0;
  private lastKey = '';

  constructor(private readonly deps: TeamDeskDeps) {
    if (readTeamConfig(deps.store)) this.start();
  }

  /** Tier 2, while this desk is a member of a team and this process syncs (null: standalone, or the CLI). */
  get sync(): TeamSync | null {
    return this.engine;
  }

  private membership(): DeskMembership {
    const config = readTeamConfig(this.deps.store);
    return config ? { mode: 'team', hubUrl: config.hubUrl, agentId: config.agentId } : { mode: 'standalone' };
  }

  private start(): void {
    const { deps } = this;
    const config = readTeamConfig(deps.store);
    if (!config || !deps.hubLink || this.engine || this.closed) return;
    const make = deps.hubLink === 'websocket' ? (c: TeamConfig) => wsHubLink(c, { log: deps.log }) : deps.hubLink;
    this.link = make(config);
    this.engine = new TeamSync(
      {
        store: deps.store,
        events: deps.events,
        link: this.link,
        sync: deps.sync,
        runEntry: deps.runEntry,
        withClock: deps.withClock,
        now: deps.now,
      },
      {
        log: deps.log,
        ...deps.team,
        onLeft: () => {
          deps.team?.onLeft?.();
          this.adoptLeave();
        },
      },
    );
    const offStatus = this.engine.onStatus(() => this.changed());
    const offState = this.link.onState((state) => {
      this.changed();
      if (state === 'open') deps.onOnline?.();
    });
    this.unsubscribe = () => {
      offStatus();
      offState();
    };
    this.engine.start();
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.engine?.stop();
    this.link?.close();
    this.engine = null;
    this.link = null;
  }

  /**
   * Makes this desk a member of a team hub (the account signed in there, its token): from now on the
   * store is a replica of the hub's shop, which replaces the local one at the first snapshot. The
   * renderer's actions wait (unrecorded, retried) until that snapshot is in.
   */
  join(join: { hubUrl: string; token: string; agent: Agent }): void {
    if (readTeamConfig(this.deps.store)) throw teamError({ reason: 'already_member' }, 'this desk is already a member of a team');
    const { store, now } = this.deps;
    store.tx(() => {
      store.hub.upsertAgents([join.agent], now());
      writeTeamConfig(store, { hubUrl: join.hubUrl, token: join.token, agentId: join.agent.id, clientId: newId() });
      store.settings.set('currentAgentId', join.agent.id);
    });
    this.deps.sessions.resetAll();
    this.deps.demo.configure({ enabled: false });
    this.start();
    this.changed();
  }

  /**
   * Another process (`jiedai join` while this app runs) made this desk a member: once its first
   * snapshot is in, this core takes it up as `join` would (the hub's account, demo buyers off, the
   * engine started, the feed's new id, so the renderer rebuilds). Called when another writer
   * committed; true when it did. Until then the renderer's actions wait (`local`).
   */
  adoptJoin(): boolean {
    const { deps } = this;
    if (this.engine || this.closed || !deps.hubLink) return false;
    const config = readTeamConfig(deps.store);
    if (!config || !readTeamState(deps.store).ready) return false;
    deps.sync.reloadFeedId();
    deps.sessions.resetAll();
    deps.demo.configure({ enabled: false });
    this.start();
    this.changed();
    return true;
  }

  /**
   * Another process (`jiedai team leave` while this app runs) made this desk standalone: its
   * transaction removed the team's rows, outbox and settings, seeded a fresh demo shop and renewed
   * the feed. This core does what an in-app leave does after its transaction: the engine stopped and
   * its link closed, the feed's new id read (the renderer's next pull is told to rebuild), the
   * sessions reset to the demo's account, the demo buyers as configured. Called when another writer
   * committed, and by the engine when one of its transactions finds the membership gone (which it
   * then leaves unwritten); true when it took a leave up. A leave followed by a join elsewhere is a
   * leave here, and the join is taken up by `adoptJoin` once its first snapshot is in.
   */
  adoptLeave(): boolean {
    if (!this.engine || this.closed || this.busy) return false;
    if (this.engine.isMember()) return false;
    this.stop();
    this.leftElsewhere();
    return true;
  }

  /** After another process's leave, the engine stopped: what this core holds in memory follows the store. */
  private leftElsewhere(): void {
    const { deps } = this;
    deps.sync.reloadFeedId();
    deps.sessions.resetAll();
    deps.demo.configure({ enabled: !readTeamConfig(deps.store) && deps.demoEnabled() });
    this.changed();
  }

  /**
   * What the renderer's actions go through here: the engine; while another process is joining this
   * desk to a team (its settings written, the engine not yet started), a refusal that leaves them
   * unrecorded for the renderer to retry; standalone, nothing.
   */
  local(): LocalApply | null {
    if (this.engine) return this.engine;
    if (!this.deps.hubLink || this.closed || !readTeamConfig(this.deps.store)) return null;
    return JOINING;
  }

  /** The same account signed in again (its session had ended): a new token; the client id and the outbox stay. */
  private renew(token: string, agent: Agent): string {
    const { store, now } = this.deps;
    const config = readTeamConfig(store)!;
    this.stop();
    store.tx(() => {
      store.hub.upsertAgents([agent], now());
      writeTeamConfig(store, { ...config, token });
    });
    this.start();
    this.changed();
    return config.token;
  }

  status(): TeamStatus {
    const { store } = this.deps;
    const partsTotal = SNAPSHOT_PARTS.length;
    const config = readTeamConfig(store);
    if (!config) {
      return {
        mode: 'standalone',
        hubUrl: null,
        account: null,
        link: null,
        pending: 0,
        bootstrap: { ready: true, loading: false, partsDone: 0, partsTotal, rows: 0 },
        lastSyncedAt: null,
        syncing: false,
      };
    }
    const state = readTeamState(store);
    const agent = store.agents.get(config.agentId);
    const engine = this.engine?.status() ?? null;
    const loading = state.bootstrap !== null || !state.ready;
    let link: TeamLink = 'offline';
    if (this.link) {
      const detail = this.link.detail?.() ?? (this.link.state() === 'open' ? 'open' : 'closed');
      if (detail === 'refused' || engine?.error?.code === 'unauthorized') link = 'signed-out';
      else if (detail === 'open') link = 'online';
      else if (detail === 'connecting') link = 'connecting';
    }
    const heard = [state.lastSyncedAt, engine?.lastSyncedAt ?? null].filter((t): t is number => t !== null);
    return {
      mode: 'team',
      hubUrl: config.hubUrl,
      account: { id: config.agentId, nick: agent?.nick ?? '', role: agent?.role ?? 'agent' },
      link,
      pending: store.hubOutbox.count(),
      bootstrap: {
        ready: state.ready,
        loading,
        partsDone: loading ? (state.bootstrap?.part ?? 0) : partsTotal,
        partsTotal,
        rows: loading ? store.hubOutbox.stagedCount() : 0,
      },
      lastSyncedAt: heard.length > 0 ? Math.max(...heard) : null,
      syncing: this.link !== null,
    };
  }

  /**
   * `team.connect`: checks the address and who may, signs in at the hub, then joins (a backup of the
   * desk's store first) or, for the same account on the same hub, takes the new token.
   */
  async connect({ hubUrl, account, password }: ArgsOut<'team.connect'>): Promise<TeamStatus> {
    const url = normalizeHubUrl(hubUrl);
    const before = teamConnectRefusal(this.membership(), { hubUrl: url }, this.busy);
    if (before) throw refusalError(before);
    this.busy = true;
    try {
      const signed = await hubLogin(url, account, password, this.deps.http);
      const desk = this.membership();
      const refusal = teamConnectRefusal(desk, { hubUrl: url, agentId: signed.agent.id }, false);
      if (refusal) {
        void hubLogout(url, signed.token, this.deps.http);
        throw refusalError(refusal);
      }
      if (desk.mode === 'team') {
        const old = this.renew(signed.token, signed.agent);
        if (old !== signed.token) void hubLogout(url, old, this.deps.http);
      } else {
        try {
          await this.deps.backup();
        } catch (error) {
          void hubLogout(url, signed.token, this.deps.http);
          throw error;
        }
        this.join({ hubUrl: url, token: signed.token, agent: signed.agent });
      }
    } finally {
      this.busy = false;
    }
    return this.status();
  }

  /**
   * `team.leave`: the desk becomes standalone on a fresh demo shop. The team's rows, accounts, queue
   * and settings go in one transaction with the new demo shop and a new feed (the renderer rebuilds);
   * then the session ends at the hub, best effort.
   */
  async leave({ discardPending }: ArgsOut<'team.leave'>): Promise<TeamStatus> {
    const { store } = this.deps;
    const refusal = teamLeaveRefusal(this.membership(), store.hubOutbox.count(), discardPending ?? false, this.busy);
    if (refusal) throw refusalError(refusal);
    const config = readTeamConfig(store)!;
    this.busy = true;
    try {
      // Drafts and holds not yet on the hub go there now if it can be reached (they are the agent's, on any PC).
      await this.deps.beforeLeave?.();
      this.stop();
      try {
        store.tx(() => {
          // Asked again under the write lock: the app running beside this process (`jiedai team leave`
          // with the desk open) may have queued an action, or left, since the first look.
          const current = readTeamConfig(store);
          const now =
            current?.clientId === config.clientId
              ? teamLeaveRefusal(this.membership(), store.hubOutbox.count(), discardPending ?? false, false)
              : teamLeaveRefusal({ mode: 'standalone' }, 0, false, false);
          if (now) throw refusalError(now);
          store.hub.wipeTeam();
          // The agents' drafts and snoozes were in the team's conversations: they go with them.
          store.personal.clear();
          for (const key of TEAM_SETTING_KEYS) store.settings.remove(key);
          store.settings.remove('shop');
          store.settings.remove('currentAgentId');
          seedDemoShop(store, { now: this.deps.now() });
          this.deps.sync.renewFeed();
        });
      } catch (error) {
        // Refused under the lock: still the member, the engine goes on; left by another process meanwhile, that is taken up.
        if (readTeamConfig(store)?.clientId === config.clientId) this.start();
        else this.leftElsewhere();
        throw error;
      }
      this.deps.sessions.resetAll();
      this.deps.demo.configure({ enabled: this.deps.demoEnabled() });
      this.changed();
      await hubLogout(config.hubUrl, config.token, this.deps.http);
    } finally {
      this.busy = false;
    }
    return this.status();
  }

  /** Something the status shows may have moved: tell it, at most once per TEAM_STATUS_THROTTLE_MS. */
  private changed(): void {
    if (this.closed || this.timer) return;
    const wait = Math.max(0, this.lastTold + TEAM_STATUS_THROTTLE_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.closed) return;
      this.lastTold = Date.now();
      const status = this.status();
      // The time of the last pull moves with every pull; it is told with the next change that matters.
      const key = JSON.stringify({ ...status, lastSyncedAt: null });
      if (key === this.lastKey) return;
      this.lastKey = key;
      this.deps.events.emit('team.status', status);
    }, wait);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stop();
  }
}
