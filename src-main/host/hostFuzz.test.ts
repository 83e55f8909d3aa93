import { describe, expect, it } from 'vitest';
import { runHostFuzz } from './testing/hostFuzz';

// A small, seeded sample of the host fuzz (the soak tier runs thousands: tests/soak/hostFuzz.test.ts).
// JIEDAI_HOST_FUZZ_SEED=n reruns one seed.
const seed = Number(process.env.JIEDAI_HOST_FUZZ_SEED ?? 20_251_010);

describe('the host under hostile frames and arguments (fast sample)', () => {
  it("answers every method's hostile arguments with typed errors only, stays up, and gives its memory back", async () => {
    const report = await runHostFuzz({ seed, cases: 300, protocolRounds: 1 });
    expect(report.problems, `seed ${seed}`).toEqual([]);
    expect(report.answered).toBeGreaterThan(250);
    expect(report.codes.invalid_argument ?? 0).toBeGreaterThan(100);
    expect(report.heapGrowthMb, `seed ${seed}: heap growth after GC`).toBeLessThan(32);
  }, 60_000);
});
