import { afterEach } from 'vitest';
import type { TestShop } from '../../test/testShop';
import { ReplicaDb } from '../replicaDb';
import { SyncEngine, type SyncEngineOptions } from '../syncEngine';

let n = 0;
const open: { engine: SyncEngine; db: ReplicaDb }[] = [];

afterEach(async () => {
  for (const { engine, db } of open.splice(0)) {
    engine.stop();
    await engine.idle();
    db.close();
  }
});

/** A replica name of its own (two engines given the same one are two windows of one replica). */
export const replicaName = () => `engine-test-${++n}-${Date.now()}`;

/** A sync engine for one desk of the shop, on a replica of its own unless named; stopped after the test. */
export function engineOn(shop: TestShop, name = replicaName(), options: SyncEngineOptions = {}) {
  const db = new ReplicaDb(name);
  const client = shop.client();
  const engine = new SyncEngine(db, client, { pollMs: 0, retryBaseMs: 5, retryMaxMs: 20, log: () => undefined, ...options });
  open.push({ engine, db });
  return { engine, db, client };
}

/** Pull and push until nothing is left to do. */
export async function drained(engine: SyncEngine): Promise<void> {
  engine.sync();
  await engine.idle();
}
