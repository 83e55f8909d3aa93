import type { AutomationService } from './index';

/** The longest a runner waits between 催付 rounds: orders placed meanwhile are seen within this. */
export const ROUND_MAX_WAIT_MS = 5_000;

/**
 * The shop's one automation runner: a 催付 round now, then again at the engine's next moment (at most
 * every `maxWaitMs`), while `active()` (a standalone desk or the hub; a desk of a team never runs
 * one: the hub reminds for the whole shop). A failed round is logged and tried again; the timer is
 * unref'd, so it never keeps a process alive.
 */
export function startAutomationRunner(options: {
  automation: AutomationService;
  active: () => boolean;
  now: () => number;
  maxWaitMs?: number;
  log: (message: string, error?: unknown) => void;
}): { stop(): void; runNow(): void } {
  const maxWait = options.maxWaitMs ?? ROUND_MAX_WAIT_MS;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, Math.max(50, Math.min(ms, maxWait)));
    timer.unref?.();
  };
  function run(): void {
    timer = null;
    let next: number | null = null;
    try {
      if (options.active()) next = options.automation.round().nextAt;
    } catch (error) {
      options.log('a 催付 round failed', error);
    }
    schedule(next === null ? maxWait : next - options.now());
  }
  schedule(0);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    runNow: run,
  };
}
