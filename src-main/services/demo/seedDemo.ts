import { newId } from '../../../shared/domain/ids';
import type { Shop } from '../../../shared/domain/types';
import type { Store } from '../../store';
import { SHOP_NAME } from './data/shop';
import { createRandom } from './random';
import type { SeedContext } from './seedContext';
import { planConversations, writeConversations } from './seedConversations';
import { planOrders, writeOrders } from './seedOrders';
import { planCustomers, writeAgents, writeCustomers } from './seedPeople';
import { writePhrases } from './seedPhrases';

export type DemoSeedOptions = {
  /** The moment the demo shop is created; every time in it lies before. */
  now: number;
  /** Same seed, same shop (default 20240618). */
  seed?: number;
  /** Where ids come from (default UUIDv7). Tests pass a counter to compare two seedings row by row. */
  ids?: () => string;
};

export const DEFAULT_DEMO_SEED = 20240618;

/**
 * Creates the demo shop in Chinese on an empty store, in one transaction: four agents (the first at
 * this desk), 72 buyers with groups and tags, 220 orders in every status with flags, memos and memo
 * history, the team's 48 quick phrases in five groups plus personal ones, 30 open and 10 ended
 * conversations. Contents depend only on `seed` and `now`. Returns false, changing nothing, when the
 * store already holds a shop.
 */
export function seedDemoShop(store: Store, options: DemoSeedOptions): boolean {
  const ctx: SeedContext = {
    store,
    rnd: createRandom(options.seed ?? DEFAULT_DEMO_SEED),
    ids: options.ids ?? newId,
    now: Math.round(options.now),
  };
  // The check is inside the (IMMEDIATE) transaction: of two processes seeding one file at once, the
  // second waits for the first's write lock, then finds the shop and writes nothing.
  return store.tx(() => {
    if (store.settings.get<Shop | null>('shop', null)) return false;
    const shop: Shop = { id: ctx.ids(), name: SHOP_NAME };
    const agents = writeAgents(ctx);
    // Plan first, write after: a buyer's first-seen time, group and tags follow from her orders and chats.
    const customers = planCustomers(ctx);
    const orders = planOrders(ctx, customers, agents);
    const conversations = planConversations(ctx, customers, orders, agents);
    writeCustomers(ctx, customers, orders, conversations);
    writeOrders(ctx, orders);
    writePhrases(ctx, agents.desk.id);
    writeConversations(ctx, conversations);
    store.settings.set('shop', shop);
    store.settings.set('currentAgentId', agents.desk.id);
    return true;
  });
}
