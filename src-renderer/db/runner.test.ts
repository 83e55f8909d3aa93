import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from '../../shared/sync/backoff';
import { Runner, type RunOutcome } from './runner';

afterEach(() => vi.useRealTimers());

/** Work whose runs the test ends one by one. */
function scriptedWork() {
  const runs: { finish: (outcome: RunOutcome | Error) => void }[] = [];
  let running = 0;
  let most = 0;
  const work = () =>
    new Promise<RunOutcome>((resolve, reject) => {
      running += 1;
      most = Math.max(most, running);
      runs.push({
        finish: (outcome) => {
          running -= 1;
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        },
      });
    });
  return { work, runs, most: () => most };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('the retry runner', () => {
  it('runs one piece of work at a time, and once more for requests made while it ran', async () => {
    vi.useFakeTimers();
    const { work, runs, most } = scriptedWork();
    const runner = new Runner(work, { random: () => 0.5, baseMs: 100, maxMs: 1000, onError: () => undefined });
    runner.request();
    runner.request();
    await settle();
    expect(runs).toHaveLength(1);
    runner.request();
    runner.request(); // two requests while running: one more run, not two
    runs[0]!.finish('done');
    await settle();
    expect(runs).toHaveLength(2);
    runs[1]!.finish('done');
    await settle();
    expect(runs).toHaveLength(2);
    expect(most()).toBe(1);
    expect(runner.busy).toBe(false);
  });

  it('runs again at once when the work says there is more, and idles only when it is done', async () => {
    vi.useFakeTimers();
    const { work, runs } = scriptedWork();
    const runner = new Runner(work, { random: () => 0.5, baseMs: 100, maxMs: 1000, onError: () => undefined });
    runner.request();
    await settle();
    let idle = false;
    void runner.idle().then(() => (idle = true));
    runs[0]!.finish('again');
    await settle();
    expect(runs).toHaveLength(2);
    expect(idle).toBe(false);
    runs[1]!.finish('done');
    await settle();
    expect(idle).toBe(true);
  });

  it('waits a growing, jittered delay after each failure, and starts again from the base after a success', async () => {
    vi.useFakeTimers();
    const { work, runs } = scriptedWork();
    const errors: unknown[] = [];
    const runner = new Runner(work, { random: () => 0.5, baseMs: 100, maxMs: 1000, onError: (e) => errors.push(e) });
    runner.request();
    await settle();
    runs[0]!.finish(new Error('core busy'));
    await settle();
    expect(errors).toHaveLength(1);
    // attempt 0 waits backoffDelay(0): not a moment earlier
    await vi.advanceTimersByTimeAsync(backoffDelay(0, () => 0.5, 100, 1000) - 1);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    runs[1]!.finish('retry');
    await settle();
    await vi.advanceTimersByTimeAsync(backoffDelay(1, () => 0.5, 100, 1000) - 1);
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(3);
    expect(backoffDelay(1, () => 0.5, 100, 1000)).toBeGreaterThan(backoffDelay(0, () => 0.5, 100, 1000));
    runs[2]!.finish('done');
    await settle();
    // a later failure waits the base delay again
    runner.request();
    await settle();
    runs[3]!.finish('retry');
    await settle();
    await vi.advanceTimersByTimeAsync(backoffDelay(0, () => 0.5, 100, 1000));
    expect(runs).toHaveLength(5);
  });

  it('never waits longer than the maximum, however often it failed', async () => {
    vi.useFakeTimers();
    const { work, runs } = scriptedWork();
    const runner = new Runner(work, { random: () => 0.999, baseMs: 100, maxMs: 1000, onError: () => undefined });
    runner.request();
    for (let i = 0; i < 12; i++) {
      await settle();
      runs[i]!.finish('retry');
      await settle();
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(runs).toHaveLength(13);
  });

  it('ends a back-off wait when woken (the connection came back), and resets the delay', async () => {
    vi.useFakeTimers();
    const { work, runs } = scriptedWork();
    const runner = new Runner(work, { random: () => 0.5, baseMs: 5_000, maxMs: 60_000, onError: () => undefined });
    runner.request();
    await settle();
    runs[0]!.finish('retry');
    await settle();
    runner.wake();
    await settle();
    expect(runs).toHaveLength(2); // no 5 s wait
    runs[1]!.finish('retry');
    await settle();
    // the attempt count started over: the wait is the base one, not a doubled one
    await vi.advanceTimersByTimeAsync(backoffDelay(0, () => 0.5, 5_000, 60_000));
    expect(runs).toHaveLength(3);
  });

  it('once stopped with a request left over, is not busy, and idle() waits only for the run in flight', async () => {
    vi.useFakeTimers();
    const { work, runs } = scriptedWork();
    const runner = new Runner(work, { random: () => 0.5, baseMs: 100, maxMs: 1000, onError: () => undefined });
    runner.request();
    await settle();
    runner.request(); // asked for again while running: would run once more
    runner.stop();
    expect(runner.busy).toBe(true); // the run in flight
    let idle = false;
    void runner.idle().then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    runs[0]!.finish('done');
    await settle();
    expect(idle).toBe(true);
    expect(runner.busy).toBe(false);
    expect(runs).toHaveLength(1);
  });

  it('does nothing more once stopped, and its idle() resolves', async () => {
    vi.useFakeTimers();
    const { work, runs } = scriptedWork();
    const runner = new Runner(work, { random: () => 0.5, baseMs: 100, maxMs: 1000, onError: () => undefined });
    runner.request();
    await settle();
    runs[0]!.finish('retry');
    await settle();
    const idle = runner.idle();
    runner.stop();
    await expect(idle).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(10_000);
    runner.request();
    await settle();
    expect(runs).toHaveLength(1);
  });
});
