import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHubKill } from './hubKill';
import { hubCliBundle, killAllHubs } from './hubProcess';

/**
 * Issue 12's proof: kill -9 the real hub process in the middle of a push, start it again, and every
 * acknowledged action is stored once and the desks resume (tests/teamSync/hubKill.ts). One seed,
 * three kills, 200 actions a desk here (seed 2: both desks retry quickly, both joined before the kills); many seeds in the soak tier (tests/soak/hubKill.test.ts).
 * `JIEDAI_HUBKILL_SEED=n` runs another seed.
 */
let cli = '';
beforeAll(async () => {
  cli = await hubCliBundle();
}, 60_000);
afterAll(killAllHubs);

describe('the hub killed (SIGKILL) in the middle of pushes and started again', () => {
  it('keeps every acknowledged action once, and the desks resume and end equal to the hub', { timeout: 90_000 }, async () => {
    const seed = Number(process.env.JIEDAI_HUBKILL_SEED ?? 2);
    const result = await runHubKill(seed, { cli, kills: 3, actionsPerDesk: 200 });
    if (process.env.JIEDAI_HUBKILL_STATS) console.log(`seed ${seed}`, JSON.stringify(result.stats));
    expect(result.problems, `seed ${seed}: ${JSON.stringify(result.stats)}`).toEqual([]);
    expect(result.stats.kills).toBe(3);
    expect(result.stats.duringPush, 'no kill landed while a push was on its way').toBeGreaterThan(0);
    expect(result.stats.actions).toBeGreaterThan(50);
  });
});
