import type { Scenario } from '../harness';
import { runSyncApply1000 } from './sync-apply';
import { runSyncBootstrap, runSyncBootstrapChromium } from './sync-bootstrap';
import type { SyncBenchResult } from './sync-fixture';
import { runSyncPush1000 } from './sync-push';

/**
 * The sync layer's figures (issue 3) as harness scenarios: bootstrap of a large replica (in Node over
 * fake-indexeddb and end to end in Chromium), 1,000 pulled changes to the list's live query, and
 * 1,000 queued actions pushed after a reconnect. Each run function seeds its own shop.
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
      if (result.target !== target || result.unit !== unit) throw new Error(`${name}: the run function measured something else`);
      return { value: result.value, ...(result.baseline ? { baseline: result.baseline } : {}), details: result.details };
    },
  };
}

export const syncBootstrapScenario = scenario(
  'sync-bootstrap-100k',
  "bootstrap a replica from a shop of 100k customers + 20k orders + 10k phrases until the replica is ready (it takes the open conversations' buyers and every phrase, so the time is the figure, not rows/s; target: the first list's 2 s; Node, fake-indexeddb; --quick: a tenth)",
  'ms',
  'lower',
  2_000,
  runSyncBootstrap,
);

export const syncBootstrapChromiumScenario = scenario(
  'sync-bootstrap-chromium',
  'the same bootstrap end to end in Chromium against browser mode, into IndexedDB (needs npm run build)',
  'ms',
  'lower',
  2_000,
  runSyncBootstrapChromium,
);

export const syncApplyScenario = scenario(
  'sync-apply-1000',
  "1,000 pulled changes: from the pull's answer to the conversation list's live query seeing them (p95)",
  'ms',
  'lower',
  50,
  runSyncApply1000,
);

export const syncPushScenario = scenario(
  'sync-push-1000',
  '1,000 actions queued offline: from reconnecting to an empty outbox (median)',
  'ms',
  'lower',
  5000,
  runSyncPush1000,
);
