import { CoreClient } from '../../src-main/core/coreClient';
import { openHubDatabaseLink } from '../../src-main/core/hubStore';
import { startHub } from '../../src-main/hub/hubServer';

/**
 * One hub process for the hub-ceiling rows, started by hub-ceiling.ts as its own Node process: what
 * `jiedai hub --data-dir DIR --port 0` runs (src-main/cli/commands/hub.ts `serve`: the core in a
 * worker thread through CoreClient, on PostgreSQL the shared rate-limit store, the shared widget
 * buckets and the health check through the folder's database link, LISTEN/NOTIFY between processes)
 * with one difference: the per-address and per-visitor limits are raised, since every simulated
 * buyer and desk of the bench comes from 127.0.0.1 and a buyer here sends far faster than a person.
 * Prints `Listening on URL`; stops on SIGTERM.
 *
 *   node --import tsx bench/scenarios/ceilingHub.ts DATA_DIR
 */
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: ceilingHub.ts DATA_DIR');
const core = await CoreClient.start({ dataDir, hub: {}, version: 'bench' });
const link = openHubDatabaseLink(dataDir);
const wide = { capacity: 1_000_000, perSecond: 1_000_000 };
const hub = await startHub({
  core,
  ...(link
    ? {
        rateLimitStore: link.rateLimitStore(),
        sharedBuckets: (key: string, limits: { capacity: number; perSecond: number }) => link.take(key, limits),
        health: async () => ({ kind: 'postgres', ...(await link.health()) }),
      }
    : {}),
  port: 0,
  host: '127.0.0.1',
  login: { max: 100_000, windowMs: 60_000 },
  maxSockets: 1_000,
  api: { perToken: { max: 10_000_000, windowMs: 60_000 }, perAddress: { max: 10_000_000, windowMs: 60_000 } },
  widget: { limits: { maxSockets: 10_000, maxSocketsPerAddress: 10_000, perVisitor: wide, perAddress: wide } },
  metrics: { fromLoopback: true, database: link ? 'postgres' : 'sqlite' },
  dataDir,
  version: 'bench',
  log: (message, error) => process.stderr.write(`hub: ${message}${error ? ` ${String(error)}` : ''}\n`),
});
process.stdout.write(`Listening on ${hub.url}\n`);
// The bench gone, however it ended: so is this hub (its standard input reaches its end).
process.stdin.on('end', () => process.kill(process.pid, 'SIGKILL'));
process.stdin.resume();
await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
await hub.close();
await core.close();
await link?.close();
process.exit(0);
