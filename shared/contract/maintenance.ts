import { z } from 'zod';
import { define } from './define';
import type { BackupInfo } from './recovery';

/**
 * Work on the shop's data as a whole, which the CLI does for an owner (`jiedai seed-demo`,
 * `jiedai backups create`) through the same contract, router and policy as a desk. Owner only.
 */

/** At most this many history messages per `demo.seedHistory` call: a call holds the core for about a second; the CLI loops. */
export const SEED_HISTORY_MAX_PER_CALL = 100_000;

/** What one `demo.seedHistory` call added. */
export type HistorySeedReport = { messages: number; conversations: number; customers: number; orders: number; ms: number };

export const maintenanceMethods = {
  /** Creates the demo shop in a store that holds no shop yet; `seeded: false`, changing nothing, when it holds one. */
  'demo.seedShop': define<{ seeded: boolean }>()(z.object({}).strict()),
  /**
   * Adds messages of ended conversations over the past year to the demo shop (large stores for tests
   * and benchmarks). The same `seed` writes the same history; give each call of a series its own.
   */
  'demo.seedHistory': define<HistorySeedReport>()(
    z
      .object({
        messages: z.number().int().min(1).max(SEED_HISTORY_MAX_PER_CALL),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31)
          .optional(),
      })
      .strict(),
  ),
  /** Takes an online backup into the data folder's backups/ now (the desk goes on working meanwhile). */
  'backups.create': define<BackupInfo>()(z.object({}).strict()),
} as const;
