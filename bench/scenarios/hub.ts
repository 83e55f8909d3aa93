import type { Scenario } from '../harness';
import { runHubCeiling } from './hub-ceiling';
import { runHubFanout, runHubMemory } from './hub-fanout';
import { runHubIngest, runHubSearch } from './hub-history';
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
  long = false,
): Scenario {
  return {
    name,
    ...(long ? { long } : {}),
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

/**
 * Issue 14, the hub on PostgreSQL beside the SQLite hub in the same run (hub-ceiling.ts,
 * hub-history.ts): each PG row starts its own durable throwaway cluster (or uses JIEDAI_BENCH_PG) and
 * is skipped, saying so, where there is no PostgreSQL.
 */
const ceiling = (backend: 'sqlite' | 'postgres', processes: 1 | 2, name: string, where: string) =>
  scenario(
    name,
    `the ceiling on ${where}: highest offered rate of widget-buyer messages (100…3,000/s, 10 s steps; --quick: 100, 500 for 4 s) with buyer → every desk p95 ≤ 200 ms, 200 desks, 2,000 buyers`,
    'msg/s',
    'higher',
    2000,
    ({ quick }) => runHubCeiling({ backend, processes, quick, log: (l) => console.log(l) }),
  );

export const hubCeilingSqliteScenario = ceiling('sqlite', 1, 'hub-ceiling-sqlite', 'one SQLite hub process');
export const hubCeilingPg1Scenario = ceiling('postgres', 1, 'hub-ceiling-pg-1', 'one PostgreSQL hub process');
export const hubCeilingPg2Scenario = ceiling(
  'postgres',
  2,
  'hub-ceiling-pg-2',
  'two hub processes on one PostgreSQL (desks and buyers split)',
);

const ingest = (backend: 'sqlite' | 'postgres', name: string) =>
  scenario(
    name,
    `1M messages of history into a ${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL (durable)'} hub store through its write path (--quick: 50k)`,
    'msgs/s',
    'higher',
    10_000,
    ({ quick }) => runHubIngest(backend, { quick }),
  );

export const hubIngestSqliteScenario = ingest('sqlite', 'hub-ingest-1m-sqlite');
export const hubIngestPgScenario = ingest('postgres', 'hub-ingest-1m-pg');

const search = (backend: 'sqlite' | 'postgres', name: string) =>
  scenario(
    name,
    `message search, 3+ characters, over 10M messages generated in SQL on a ${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'} hub store (p95; long: --quick leaves it out)`,
    'ms',
    'lower',
    100,
    ({ quick }) => runHubSearch(backend, { quick }),
    true,
  );

export const hubSearchSqliteScenario = search('sqlite', 'hub-search-10m-sqlite');
export const hubSearchPgScenario = search('postgres', 'hub-search-10m-pg');
