import { setImmediate as nextTurn } from 'node:timers/promises';
import { ExportCancelled } from './output';

/** Rows between two looks at cancel, progress and backpressure (a power of two: `(n & STEP_MASK) === 0`). */
export const STEP_ROWS = 512;
export const STEP_MASK = STEP_ROWS - 1;

export type PaceOptions = {
  total: number;
  signal?: AbortSignal | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** At most one progress report per interval (default 250 ms). */
  intervalMs?: number;
  /** Waits until the output can take more (the file stream's or the zip's backpressure). */
  drain: () => Promise<void>;
};

/**
 * The rhythm of a streaming writer: every STEP_ROWS rows it checks for cancel, waits for the output to
 * drain, reports progress now and then, and lets the thread's event loop turn (so a cancel message
 * gets in) even when the disk never pushes back.
 */
export class Pace {
  done = 0;
  private lastReport = 0;
  private steps = 0;
  private readonly intervalMs: number;

  constructor(private readonly options: PaceOptions) {
    this.intervalMs = options.intervalMs ?? 250;
  }

  get total(): number {
    return this.options.total;
  }

  async step(): Promise<void> {
    if (this.options.signal?.aborted) throw new ExportCancelled();
    await this.options.drain();
    if (++this.steps % 8 === 0) await nextTurn();
    if (this.options.signal?.aborted) throw new ExportCancelled();
    const now = Date.now();
    if (now - this.lastReport >= this.intervalMs) {
      this.lastReport = now;
      this.options.onProgress?.(this.done, this.options.total);
    }
  }

  /** The last report, with every row done. */
  end(): void {
    this.options.onProgress?.(this.done, this.options.total);
  }
}
