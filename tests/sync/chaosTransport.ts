import { fail, type Result } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { mulberry32 } from '../../src-main/services/demo/random';
import type { SyncTransport } from '../../src-renderer/db/syncEngine';
import type { CoreThread } from './coreWorker';

export type Faults = {
  /** The call never reaches the core. */
  dropRequest: number;
  /** The core does it; the answer is lost. */
  dropReply: number;
  /** The call reaches the core twice. */
  duplicate: number;
  /** Held back 1–20 ms on the way there or back (so calls overtake each other). */
  delay: number;
  /** A push is committed, then the core is killed before its answer leaves. */
  killAfterCommit: number;
  /** The core is killed a moment after the call arrives (before or after its commit). */
  killInFlight: number;
  dropEvent: number;
  duplicateEvent: number;
};

export type ChaosLog = { calls: number; dropped: number; lostReplies: number; duplicates: number; kills: number };

/** A number from the seed, the desk and a counter: the same decisions for the n-th call of a desk on every run. */
function decider(seed: number, desk: number) {
  let n = 0;
  return () => mulberry32((seed * 7919 + desk * 104_729 + n++ * 15_485_863) >>> 0)();
}

/**
 * The transport between one desk's replica and the core, made unreliable on purpose: it drops,
 * duplicates, delays (and so reorders) calls and events, and kills the core, including between a
 * push's commit and its answer. A call it drops resolves as `unavailable` after a short wait, as the
 * real client's timeout would.
 */
export class ChaosTransport implements SyncTransport {
  calm = false;
  readonly log: ChaosLog = { calls: 0, dropped: 0, lostReplies: 0, duplicates: 0, kills: 0 };
  private readonly roll: () => number;
  /** Each desk is its own connection to the core. */
  private readonly connection: string;

  constructor(
    private readonly core: CoreThread,
    seed: number,
    desk: number,
    private readonly faults: Faults,
    /** Kills the core and starts it again on the same file. */
    private readonly restart: () => Promise<void>,
  ) {
    this.roll = decider(seed, desk);
    this.connection = `desk-${desk}`;
  }

  private chance(p: number): boolean {
    return this.roll() < p;
  }

  private wait(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  async call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<Result<ResultOf<M>>> {
    this.log.calls += 1;
    const f = this.calm ? null : this.faults;
    const unavailable = fail('unavailable', `chaos: ${method} lost`) as Result<ResultOf<M>>;
    // Every decision is drawn up front, so a call's fate does not depend on timing.
    const d = {
      dropRequest: f ? this.chance(f.dropRequest) : false,
      dropReply: f ? this.chance(f.dropReply) : false,
      duplicate: f ? this.chance(f.duplicate) : false,
      delayThere: f && this.chance(f.delay) ? 1 + Math.floor(this.roll() * 20) : 0,
      delayBack: f && this.chance(f.delay) ? 1 + Math.floor(this.roll() * 20) : 0,
      killAfterCommit: f ? method === 'sync.push' && this.chance(f.killAfterCommit) : false,
      killInFlight: f ? this.chance(f.killInFlight) : false,
      killAfterMs: Math.floor(this.roll() * 3),
    };
    if (d.delayThere) await this.wait(d.delayThere);
    if (d.dropRequest) {
      this.log.dropped += 1;
      await this.wait(5);
      return unavailable;
    }
    const answer = this.core.call(method, args, this.connection) as Promise<Result<ResultOf<M>>>;
    if (d.duplicate) {
      this.log.duplicates += 1;
      void this.wait(1 + d.delayBack).then(() => this.core.call(method, args, this.connection));
    }
    if (d.killInFlight) {
      this.log.kills += 1;
      void this.wait(d.killAfterMs).then(() => this.restart());
    }
    const result = await answer;
    if (d.killAfterCommit && result.ok) {
      this.log.kills += 1;
      await this.restart();
      return unavailable;
    }
    if (d.delayBack) await this.wait(d.delayBack);
    if (d.dropReply && result.ok) {
      this.log.lostReplies += 1;
      return unavailable;
    }
    return result;
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    return this.core.on((name, payload) => {
      if (name !== event) return;
      const f = this.calm ? null : this.faults;
      if (f && this.chance(f.dropEvent)) return;
      const deliver = () => listener(payload as Events[E]);
      if (f && this.chance(f.duplicateEvent)) setTimeout(deliver, 3);
      if (f && this.chance(f.delay)) setTimeout(deliver, 1 + Math.floor(this.roll() * 15));
      else deliver();
    });
  }
}
