import type { Store } from '../store';
import type { SharedPresence } from '../store/pg';
import type { Sessions } from './sessions';

/** How long presence settles before it is written (a desk reconnecting at once writes nothing). */
export const PRESENCE_DEBOUNCE_MS = 500;

/**
 * Who is at a connected desk (issue 12). Routing asks `live()` at each new buyer: the agents signed
 * in on a live connection of this core (on a hub: the desks' sockets). The team sees presence through
 * the roster's `present` column, which follows `live()` after `debounceMs` of quiet (one transaction,
 * a feed row per agent that changed), so every replica can show who is there without a write per
 * socket flap.
 *
 * A standalone desk with no window open counts the agent who last signed in here as present (new
 * buyers go to them, as before). A desk that is a member of a team writes nothing: the hub's roster
 * is the truth there, and it arrives through the hub's feed.
 */
export class Presence {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: {
      store: Store;
      sessions: Sessions;
      /** A hub counts nobody without a live connection. */
      hub: boolean;
      /** False while this desk is a member of a team (its roster is the hub's). */
      writes: () => boolean;
      now: () => number;
      debounceMs: number;
      log: (message: string, error?: unknown) => void;
      /** Several hub processes on one PostgreSQL database: who is at the others' desks (store/pg/sharedPresence.ts). */
      shared?: SharedPresence | undefined;
    },
  ) {
    const shared = deps.shared;
    if (shared) {
      // Renews this process's rows and learns of the others' (a process gone stops counting after the TTL).
      this.heartbeat = setInterval(() => this.flush(), shared.heartbeatMs);
      this.heartbeat.unref?.();
    }
  }

  private heartbeat: ReturnType<typeof setInterval> | undefined;
  /** The other processes' agents, read at most once a second (routing asks at every new buyer). */
  private others: { at: number; ids: Set<string> } | null = null;

  private othersNow(force = false): Set<string> {
    const { shared, now } = this.deps;
    if (!shared) return new Set();
    const at = now();
    if (!force && this.others && at - this.others.at < 1_000) return this.others.ids;
    try {
      this.others = { at, ids: shared.others(at) };
    } catch (error) {
      this.deps.log('could not read who is at the other hub processes’ desks', error);
      this.others ??= { at, ids: new Set() };
    }
    return this.others.ids;
  }

  /** The agents routing may give a buyer to now (if their state and load allow): at a desk here, or of another hub process. */
  live(): Set<string> {
    const local = this.local();
    if (!this.deps.shared) return local;
    for (const id of this.othersNow()) if (this.deps.store.agents.get(id) !== undefined) local.add(id);
    return local;
  }

  /** The agents at a desk connected to this process. */
  private local(): Set<string> {
    const { store, sessions, hub } = this.deps;
    const signed = sessions.signedIn().filter((id) => id !== '');
    // One read of the roster's ids, not one per desk: routing and auto-replies ask at each buyer message.
    const known = signed.length > 0 ? store.agents.ids() : new Set<string>();
    const ids = signed.filter((id) => known.has(id));
    if (ids.length === 0 && !hub) {
      const fallback = sessions.defaultAgent();
      if (fallback !== '' && store.agents.get(fallback)) ids.push(fallback);
    }
    return new Set(ids);
  }

  /** Sessions changed (a connection came, went, or switched agent): write presence once it settles. */
  changed(): void {
    if (this.stopped || this.timer !== undefined || !this.deps.writes()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.deps.debounceMs);
    this.timer.unref?.();
  }

  /** Writes the roster's presence to match `live()` now (nothing when it already does). */
  flush(): void {
    if (this.stopped || !this.deps.writes()) return;
    const { store, shared } = this.deps;
    try {
      if (shared) {
        shared.publish(this.local(), this.deps.now());
        this.othersNow(true);
      }
      const live = this.live();
      const stored = new Set(
        store.agents
          .list()
          .filter((a) => a.present)
          .map((a) => a.id),
      );
      if (stored.size === live.size && [...live].every((id) => stored.has(id))) return;
      store.tx(() => store.agents.setPresent(live, this.deps.now()));
    } catch (error) {
      this.deps.log('could not write who is at a desk', error);
    }
  }

  stop(): void {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.deps.shared && !this.stopped && this.deps.writes()) {
      try {
        this.deps.shared.leave();
      } catch (error) {
        this.deps.log('could not say this hub process’s desks are gone', error);
      }
    }
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
