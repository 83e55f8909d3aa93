import 'fake-indexeddb/auto';
import { CoreClient } from '../../src-main/core/coreClient';
import { ReplicaDb } from '../../src-renderer/db/replicaDb';
import { SyncEngine } from '../../src-renderer/db/syncEngine';
import { REPLICA_TABLES } from '../../shared/sync/replica';
import { directTransport } from '../../tests/sync/transport';
import { syncShop, type SyncBenchResult } from './sync-fixture';

/**
 * Bootstrap of a replica from an empty database, from a shop of 100k customers + 20k orders + 10k
 * phrases (and the demo shop's conversations): the replica takes the buyers of open conversations
 * (scope `open`, with their tags and orders) and every phrase, paged from the core's worker thread,
 * each page one Dexie transaction. Figure: milliseconds until the replica is ready (the first list waits
 * on it, so its target is the first list's 2 s); rows per second in the details. Rows per second was
 * the figure while the bootstrap took the whole shop; a scoped bootstrap of ~1,800 rows is mostly its
 * fixed cost, so a rate would read as slow however quick it is.
 */
export async function runSyncBootstrap(
  options: { quick?: boolean; customers?: number; orders?: number; phrases?: number } = {},
): Promise<SyncBenchResult> {
  const scale = options.quick ? 0.1 : 1;
  const size = {
    customers: options.customers ?? Math.round(100_000 * scale),
    orders: options.orders ?? Math.round(20_000 * scale),
    phrases: options.phrases ?? Math.round(10_000 * scale),
  };
  const shop = syncShop(size);
  const core = await CoreClient.start({ dataDir: shop.dir, demoBuyers: { enabled: false } });
  const db = new ReplicaDb(`bench-bootstrap-${Date.now()}`);
  try {
    const engine = new SyncEngine(db, directTransport(core), { pollMs: 0, log: () => undefined });
    const started = performance.now();
    engine.start();
    await engine.idle();
    const ms = performance.now() - started;
    engine.stop();
    let rows = 0;
    for (const t of REPLICA_TABLES) rows += await db.replica(t).count();
    const bare = await bareBulkPut(db);
    return {
      name: `sync-bootstrap-${Math.round(size.customers / 1000)}k`,
      value: Math.round(ms),
      unit: 'ms',
      target: 2_000,
      better: 'lower',
      baseline: { label: 'the same rows bulkPut into an empty replica, 1,000 a transaction', value: Math.round(bare) },
      details: { rowsPerSecond: Math.round(rows / (ms / 1000)), rows, ...size, storage: 'fake-indexeddb (Node)' },
    };
  } finally {
    db.close();
    await db.delete();
    await core.close();
    shop.dispose();
  }
}

/** Milliseconds to write the replica's rows into an empty one with nothing else: no core, no rebase. */
async function bareBulkPut(from: ReplicaDb): Promise<number> {
  const tables = await Promise.all(REPLICA_TABLES.map(async (t) => [t, await from.replica(t).toArray()] as const));
  const into = new ReplicaDb(`bench-bootstrap-bare-${Date.now()}`);
  try {
    await into.open();
    const started = performance.now();
    for (const [t, rows] of tables) {
      for (let i = 0; i < rows.length; i += 1000) {
        await into.transaction('rw', into.replica(t), () => into.replica(t).bulkPut(rows.slice(i, i + 1000)));
      }
    }
    return performance.now() - started;
  } finally {
    into.close();
    await into.delete();
  }
}

/**
 * The same bootstrap end to end in Debian's Chromium against browser mode (needs `npm run build`):
 * from opening the desk's address to the replica's `ready` mark in its IndexedDB, with the desk
 * rendering as the pages land. Figure: milliseconds (rows per second in the details).
 */
export async function runSyncBootstrapChromium(options: { quick?: boolean } = {}): Promise<SyncBenchResult> {
  const { launchChromium, startBrowserHost } = await import('../../tests/e2e/browserHost');
  const scale = options.quick ? 0.1 : 1;
  const size = { customers: Math.round(100_000 * scale), orders: Math.round(20_000 * scale), phrases: Math.round(10_000 * scale) };
  const shop = syncShop(size);
  const host = await startBrowserHost(shop.dir, ['--no-demo-buyers']);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const started = performance.now();
    await page.goto(host.url);
    // Poll the replica's `ready` mark from the page (evaluate awaits the promise; waitForFunction would not).
    const ready = () =>
      page.evaluate(
        () =>
          new Promise<boolean>((resolve) => {
            const open = indexedDB.open('jiedai-replica');
            open.onerror = () => resolve(false);
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains('meta')) {
                db.close();
                return resolve(false);
              }
              const get = db.transaction('meta').objectStore('meta').get('ready');
              get.onsuccess = () => {
                resolve(Boolean((get.result as { value?: unknown } | undefined)?.value));
                db.close();
              };
              get.onerror = () => resolve(false);
            };
          }),
      );
    const deadline = performance.now() + 600_000;
    while (!(await ready())) {
      if (performance.now() > deadline) throw new Error('the replica was not ready in 10 minutes');
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = performance.now() - started;
    const rows = await page.evaluate(
      (tables) =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open('jiedai-replica');
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction(tables);
            let total = 0;
            let left = tables.length;
            for (const t of tables) {
              const c = tx.objectStore(t).count();
              c.onsuccess = () => {
                total += c.result;
                if (--left === 0) resolve(total);
              };
            }
          };
        }),
      [...REPLICA_TABLES],
    );
    return {
      name: `sync-bootstrap-chromium-${Math.round(size.customers / 1000)}k`,
      value: Math.round(ms),
      unit: 'ms',
      target: 2_000,
      better: 'lower',
      details: { rowsPerSecond: Math.round(rows / (ms / 1000)), rows, ...size, storage: 'IndexedDB in Chromium' },
    };
  } finally {
    await browser.close();
    await host.stop();
    shop.dispose();
  }
}
