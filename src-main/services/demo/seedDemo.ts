import type { Store } from '../../store';

export type DemoSeedOptions = { now: number; seed?: number };

/** PLACEHOLDER — being written: creates the demo shop in Chinese. */
export function seedDemoShop(store: Store, options: DemoSeedOptions): void {
  void store;
  void options;
}
