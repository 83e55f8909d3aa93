import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fail, type Result } from '../../shared/contract/errors';
import type { Agent } from '../../shared/domain/types';
import { mulberry32 } from '../../src-main/services/demo/random';
import type { HubLink, HubState } from '../../src-main/teamSync/hubLink';

/** What a test's hub is: anything that answers calls on a connection and sends events (an in-process Core, a worker). */
export type HubEnd = {
  call(method: string, args: unknown, connection: string): Promise<Result<unknown>>;
  on(listener: (name: string, payload: unknown) => void): () => void;
};

export type LinkFaults = {
  /** The call never reaches the hub. */
  dropRequest: number;
  /** The hub does it; the answer is lost. */
  dropReply: number;
  /** The call reaches the hub twice. */
  duplicate: number;
  /** Held back 1–20 ms each way (so calls overtake each other). */
  delay: number;
  dropPoke: number;
  duplicatePoke: number;
};

export const NO_FAULTS: LinkFaults = { dropRequest: 0, dropReply: 0, duplicate: 0, delay: 0, dropPoke: 0, duplicatePoke: 0 };

export type LinkLog = { calls: number; dropped: number; lostReplies: number; duplicates: number; partitions: number };

/**
 * A desk core's link to a hub in the same test, made unreliable on purpose: it drops, duplicates,
 * delays (and so reorders) calls and pokes, and can be cut (a partition: the desk sees the hub
 * closed, every call fails) and mended. A dropped call resolves `unavailable` after a moment, as a
 * real socket's timeout would. Every decision comes from the seed and a counter.
 */
export class ChaosHubLink implements HubLink {
  calm = false;
  readonly log: LinkLog = { calls: 0, dropped: 0, lostReplies: 0, duplicates: 0, partitions: 0 };
  private up = true;
  private n = 0;
  private readonly stateListeners = new Set<(s: HubState) => void>();
  private readonly pokeListeners = new Set<(head: number) => void>();
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(
    private hub: () => HubEnd | null,
    private readonly connection: string,
    private readonly seed: number,
    private readonly faults: LinkFaults = NO_FAULTS,
  ) {
    this.attach();
  }

  private roll(): number {
    return mulberry32((this.seed * 7919 + this.n++ * 15_485_863) >>> 0)();
  }

  private chance(p: number): boolean {
    return this.roll() < p;
  }

  /** (Re)subscribes to the hub's events: after the hub restarts, call again. */
  attach(): void {
    this.unsubscribe?.();
    const hub = this.hub();
    this.unsubscribe = hub
      ? hub.on((name, payload) => {
          if (name !== 'sync.poked' || !this.up || this.closed) return;
          const f = this.calm ? null : this.faults;
          if (f && this.chance(f.dropPoke)) return;
          const head = (payload as { head: number }).head;
          const deliver = () => {
            for (const l of [...this.pokeListeners]) l(head);
          };
          if (f && this.chance(f.duplicatePoke)) setTimeout(deliver, 3);
          if (f && this.chance(f.delay)) setTimeout(deliver, 1 + Math.floor(this.roll() * 15));
          else deliver();
        })
      : null;
  }

  /** The desk loses the hub (its network, or the hub going down) until `mend`. */
  cut(): void {
    if (!this.up) return;
    this.up = false;
    this.log.partitions += 1;
    for (const l of [...this.stateListeners]) l('closed');
  }

  mend(): void {
    if (this.up) return;
    this.up = true;
    this.attach();
    for (const l of [...this.stateListeners]) l('open');
  }

  state(): HubState {
    return this.up && this.hub() !== null ? 'open' : 'closed';
  }

  private wait(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  async call(method: string, args: unknown): Promise<Result<unknown>> {
    this.log.calls += 1;
    const unavailable = fail('unavailable', `chaos: ${method} lost`);
    const f = this.calm ? null : this.faults;
    const d = {
      dropRequest: f ? this.chance(f.dropRequest) : false,
      dropReply: f ? this.chance(f.dropReply) : false,
      duplicate: f ? this.chance(f.duplicate) : false,
      delayThere: f && this.chance(f.delay) ? 1 + Math.floor(this.roll() * 20) : 0,
      delayBack: f && this.chance(f.delay) ? 1 + Math.floor(this.roll() * 20) : 0,
    };
    if (d.delayThere) await this.wait(d.delayThere);
    const hub = this.hub();
    if (!this.up || this.closed || !hub) {
      await this.wait(2);
      return unavailable;
    }
    if (d.dropRequest) {
      this.log.dropped += 1;
      await this.wait(3);
      return unavailable;
    }
    const answer = hub.call(method, args, this.connection);
    if (d.duplicate) {
      this.log.duplicates += 1;
      void this.wait(1 + d.delayBack).then(() => this.hub()?.call(method, args, this.connection));
    }
    const result = await answer;
    if (d.delayBack) await this.wait(d.delayBack);
    if (!this.up) return unavailable;
    if (d.dropReply && result.ok) {
      this.log.lostReplies += 1;
      return unavailable;
    }
    return result;
  }

  onPoke(listener: (head: number) => void): () => void {
    this.pokeListeners.add(listener);
    return () => this.pokeListeners.delete(listener);
  }

  onState(listener: (state: HubState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** The same link handed to a desk core started again on its folder (a restart of the app). */
  reopen(): this {
    this.closed = false;
    this.attach();
    return this;
  }

  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.pokeListeners.clear();
    this.stateListeners.clear();
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `jiedai-${prefix}-`));
}

/** The hub's agents as a desk joins with them (the account a login would answer with). */
export async function hubAgents(hub: HubEnd): Promise<Agent[]> {
  const r = await hub.call('agents.list', {}, 'test');
  if (!r.ok) throw new Error(r.error.message);
  return r.value as Agent[];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
