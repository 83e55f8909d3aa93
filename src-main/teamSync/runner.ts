import { backoffDelay } from '../../shared/sync/backoff';

/**
 * The same runner as the renderer's tier 1 (src-renderer/db/runner.ts; layers keep the two apart).
 * Runs one kind of sync work (pulling, pushing) one at a time. A request while it runs makes it run
 * once more; work that fails waits a growing, jittered delay and tries again, unless woken early
 * (the connection came back).
 */
export class Runner {
  private running = false;
  private dirty = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private wakeUp: (() => void) | null = null;
  private stopped = false;
  /** Settles when the runner is idle with nothing requested (tests, drain). */
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly work: () => Promise<'done' | 'again' | 'retry'>,
    private readonly options: { random: () => number; baseMs: number; maxMs: number; onError: (error: unknown) => void },
  ) {}

  request(): void {
    if (this.stopped) return;
    this.dirty = true;
    if (!this.running) void this.loop();
  }

  /** Ends a back-off wait now (and resets the delay): used when the connection comes back. */
  wake(): void {
    this.attempt = 0;
    this.request();
    this.wakeUp?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wakeUp?.();
    this.resolveIdle();
  }

  /** Running or requested; a stopped runner is never busy (its last call may still be on the way, but nothing follows it). */
  get busy(): boolean {
    return !this.stopped && (this.running || this.dirty);
  }

  idle(): Promise<void> {
    if (!this.busy || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private resolveIdle(): void {
    for (const r of this.idleWaiters.splice(0)) r();
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.dirty && !this.stopped) {
        this.dirty = false;
        let outcome: 'done' | 'again' | 'retry';
        try {
          outcome = await this.work();
        } catch (error) {
          this.options.onError(error);
          outcome = 'retry';
        }
        if (outcome === 'again') this.dirty = true;
        if (outcome !== 'retry') {
          this.attempt = 0;
          continue;
        }
        this.dirty = true;
        await this.sleep(backoffDelay(this.attempt++, this.options.random, this.options.baseMs, this.options.maxMs));
      }
    } finally {
      this.running = false;
      if (!this.dirty || this.stopped) this.resolveIdle();
      else void this.loop();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeUp = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.wakeUp = null;
        resolve();
      };
      this.timer = setTimeout(() => this.wakeUp?.(), ms);
    });
  }
}
