import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core, DATA_FILE } from '../../src-main/core/core';
import { coreWorkerBundle } from '../sync/coreWorker';
import { runSeed } from './scenario';

/**
 * The randomized tier-2 test over a range of seeds: a sample in the fast tier
 * (tests/teamSync/randomized-sample.test.ts) and 1,000 more in the soak tier (tests/soak/teamSync-*).
 * A failure names its seed. Environment: JIEDAI_TEAM_SEED=n runs that seed alone (in the file whose
 * range starts at 1); JIEDAI_TEAM_STEPS changes the actions per seed (default 30).
 */
export function teamRandomizedSuite(first: number, count: number): void {
  const only = process.env.JIEDAI_TEAM_SEED;
  const seeds = only ? (first === 1 ? [Number(only)] : []) : Array.from({ length: count }, (_, i) => first + i);
  const steps = Number(process.env.JIEDAI_TEAM_STEPS ?? 30);
  let bundle = '';
  let templateDir = '';

  beforeAll(async () => {
    bundle = await coreWorkerBundle();
    templateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-t2-template-'));
    new Core({ dataDir: templateDir, demoBuyers: { enabled: false } }).close();
  }, 60_000);

  afterAll(() => {
    if (templateDir) fs.rmSync(templateDir, { recursive: true, force: true });
  });

  describe(`tier-2 sync under faults, seeds ${first}–${first + count - 1}`, () => {
    if (seeds.length === 0) it.skip('(no seed of this file was asked for)', () => undefined);
    for (const seed of seeds) {
      it(`seed ${seed}: every acknowledged action lands on the hub once in its desk's order, every desk equals the hub, cursors only move forward`, async () => {
        const result = await runSeed(seed, { bundle, template: path.join(templateDir, DATA_FILE), steps });
        if (process.env.JIEDAI_TEAM_STATS) console.log(`seed ${seed}`, JSON.stringify(result.stats));
        if (result.problems.length > 0) {
          console.error(
            `tier-2 randomized test failed for seed ${seed} (rerun: JIEDAI_TEAM_SEED=${seed} npx vitest run tests/teamSync/randomized-sample.test.ts)\n${JSON.stringify(result.stats)}\n${result.problems.join('\n')}`,
          );
        }
        expect(result.problems, `seed ${seed}`).toEqual([]);
        expect(result.stats.mutations, `seed ${seed} made no actions`).toBeGreaterThan(0);
      }, 60_000);
    }
  });
}
