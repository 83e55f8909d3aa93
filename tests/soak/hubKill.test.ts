import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHubKill } from '../teamSync/hubKill';
import { hubCliBundle, killAllHubs } from '../teamSync/hubProcess';

/**
 * Soak tier of the kill test (tests/teamSync/hubKill.ts): seeds 100–107, each a new hub folder and
 * two new desks, 3 to 5 SIGKILLs of the real hub process in the middle of pushes (33 in all).
 * A failure names its seed; `JIEDAI_HUBKILL_SEED=n npx vitest run tests/teamSync/hubKill.test.ts`
 * reruns it (with 3 kills; the soak's own count is 3 + n % 3).
 */
const SEEDS = Array.from({ length: 8 }, (_, i) => 100 + i);
let cli = '';
beforeAll(async () => {
  cli = await hubCliBundle();
}, 60_000);
afterAll(killAllHubs);

describe('the real hub killed in the middle of pushes, over many seeds', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: every acknowledged action once on the hub, the desks resume and equal it`, { timeout: 240_000 }, async () => {
      const result = await runHubKill(seed, { cli, kills: 3 + (seed % 3) });
      if (process.env.JIEDAI_HUBKILL_STATS) console.log(`seed ${seed}`, JSON.stringify(result.stats));
      expect(result.problems, `seed ${seed}: ${JSON.stringify(result.stats)}`).toEqual([]);
      expect(result.stats.duringPush, `seed ${seed}: no kill landed while a push was on its way`).toBeGreaterThan(0);
    });
  }
});
