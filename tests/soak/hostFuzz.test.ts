import { describe, expect, it } from 'vitest';
import { runHostFuzz } from '../../src-main/host/testing/hostFuzz';

// The long host fuzz: seeded rounds of thousands of hostile calls, frames and protocol errors against
// the real core (the fast tier runs a sample: src-main/host/hostFuzz.test.ts). A failure names its
// seed; JIEDAI_HOST_FUZZ_SEED=n npx vitest run --project soak tests/soak/hostFuzz.test.ts reruns it.
const base = Number(process.env.JIEDAI_HOST_FUZZ_SEED ?? 7_010);
const seeds = process.env.JIEDAI_HOST_FUZZ_SEED ? [base] : [base, base + 1, base + 2];

describe('the host under a long hostile fuzz', () => {
  for (const seed of seeds) {
    it(`seed ${seed}: typed errors only, the host up, memory back near its baseline`, async () => {
      const report = await runHostFuzz({ seed, cases: 2_000, protocolRounds: 5, log: console.log });
      expect(report.problems, `seed ${seed}`).toEqual([]);
      expect(report.answered).toBeGreaterThan(1_700);
      expect(report.heapGrowthMb, `seed ${seed}: heap growth after GC`).toBeLessThan(48);
    }, 100_000);
  }
});
