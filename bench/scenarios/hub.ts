import type { Scenario } from '../harness';
import { runHubFanout, runHubMemory } from './hub-fanout';
import { runHubPush1000 } from './hub-push';
import { runWidget1000 } from './widget-1000';
import type { SyncBenchResult } from './sync-fixture';

/**
 * The team hub's figures (issue 12) as harness scenarios, all on 127.0.0.1: buyer messages fanned
 * out to 50 desks, 1,000 actions pushed after a reconnect, and what a connected desk costs the hub.
 */
function scenario(
  name: string,
  what: string,
  unit: string,
  better: 'lower' | 'higher',
  target: number,
  run: (options: { quick: boolean }) => Promise<SyncBenchResult>,
): Scenario {
  return {
    name,
    what,
    unit,
    better,
    target,
    async run({ quick }) {
      const result = await run({ quick });
      if (result.name !== name || result.target !== target || result.unit !== unit)
        throw new Error(`${name}: the run function measured something else`);
      return { value: result.value, ...(result.baseline ? { baseline: result.baseline } : {}), details: result.details };
    },
  };
}

export const hubFanoutScenario = scenario(
  'hub-fanout-50',
  "buyer messages at 1,000/s for 10 s (--quick: 3 s) on a hub with 50 desks: due → the routed agent's replica (p95)",
  'ms',
  'lower',
  200,
  runHubFanout,
);

export const hubPushScenario = scenario(
  'hub-push-1000',
  "a desk core's 1,000 actions queued while the hub was down: from its socket back to an empty outbox (median)",
  'ms',
  'lower',
  5000,
  runHubPush1000,
);

export const hubMemoryScenario = scenario(
  'hub-memory-per-desk',
  "what one connected idle desk costs the hub's process: JS heap after GC, 50 desks (RSS in the details)",
  'KB',
  'lower',
  256,
  runHubMemory,
);

export const hubWidgetScenario = scenario(
  'hub-widget-1000',
  'a message every 4 s from each of 1,000 widget buyers connected at once, 10 desks: buyer → every desk replica (p95)',
  'ms',
  'lower',
  200,
  runWidget1000,
);
