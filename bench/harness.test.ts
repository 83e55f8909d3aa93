import { describe, expect, it } from 'vitest';
import { formatLine, meets, mergeReports, percentile, runBench, ScenarioSkipped, toResult, type Scenario } from './harness';

const fake = (value: number, baseline?: number): Scenario => ({
  name: 'fake',
  what: 'a scenario that reports a fixed figure',
  unit: 'ms',
  better: 'lower',
  target: 2,
  run: async () => ({ value, ...(baseline === undefined ? {} : { baseline: { label: 'bare', value: baseline } }) }),
});

describe('the bench harness', () => {
  it('takes percentiles by rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile([3, 1, 2], 100)).toBe(3);
  });

  it('checks targets in the right direction', () => {
    expect(meets(1.5, 2, 'lower')).toBe(true);
    expect(meets(2.5, 2, 'lower')).toBe(false);
    expect(meets(60_000, 50_000, 'higher')).toBe(true);
    expect(meets(40_000, 50_000, 'higher')).toBe(false);
  });

  it('reports the ratio to the same-run baseline and a MISS line when the target is missed', () => {
    const r = toResult(fake(3, 1.5), { value: 3, baseline: { label: 'bare', value: 1.5 } });
    expect(r).toMatchObject({ meetsTarget: false, ratio: 2 });
    expect(formatLine(r)).toMatch(/^MISS fake .* target ≤ 2.000 {2}×2\.00 vs bare/);
  });

  it('runs only the chosen scenarios, keeps going after a failure, and refuses unknown names', async () => {
    const broken: Scenario = { ...fake(1), name: 'broken', run: async () => Promise.reject(new Error('boom')) };
    const lines: string[] = [];
    const report = await runBench([fake(1), broken], { quick: true, log: (l) => lines.push(l) });
    expect(report.results.map((r) => r.name)).toEqual(['fake']);
    expect(report.failures[0]).toMatchObject({ name: 'broken' });
    expect(report.machine.cpus).toBeGreaterThan(0);
    await expect(runBench([fake(1)], { quick: true, only: ['nope'], log: () => undefined })).rejects.toThrow(/unknown scenario/);
  });

  it('leaves a long scenario out of a quick run unless named, and says why a scenario was skipped', async () => {
    const long: Scenario = { ...fake(1), name: 'long', long: true };
    const cannot: Scenario = { ...fake(1), name: 'cannot', run: async () => Promise.reject(new ScenarioSkipped('no PostgreSQL here')) };
    const lines: string[] = [];
    const quick = await runBench([fake(1), long, cannot], { quick: true, log: (l) => lines.push(l) });
    expect(quick.results.map((r) => r.name)).toEqual(['fake']);
    expect(quick.failures).toEqual([]);
    expect(quick.skipped).toEqual([
      { name: 'long', reason: expect.stringMatching(/quick/) },
      { name: 'cannot', reason: 'no PostgreSQL here' },
    ]);
    expect(lines).toContain('skip cannot: no PostgreSQL here');
    const named = await runBench([long], { quick: true, only: ['long'], log: () => undefined });
    expect(named.results.map((r) => r.name)).toEqual(['long']);
    const full = await runBench([long], { quick: false, log: () => undefined });
    expect(full.results.map((r) => r.name)).toEqual(['long']);
  });

  it('merges a run of some rows into the last full report, in the scenarios order, and never a quick run', async () => {
    const a: Scenario = { ...fake(1), name: 'a' };
    const b: Scenario = { ...fake(5), name: 'b' };
    const c: Scenario = { ...fake(1), name: 'c' };
    const full = await runBench([a, b, c], { quick: false, log: () => undefined });
    expect(full.results[0]!.load!.before).toBeGreaterThanOrEqual(0);
    const fixedB: Scenario = { ...b, run: async () => ({ value: 1.5 }) };
    const rerun = await runBench([a, fixedB, c], { quick: false, only: ['b'], log: () => undefined });
    const merged = mergeReports(full, rerun, ['a', 'b', 'c']);
    expect(merged.results.map((r) => [r.name, r.value, r.meetsTarget])).toEqual([
      ['a', 1, true],
      ['b', 1.5, true],
      ['c', 1, true],
    ]);
    expect(merged.results[0]!.measuredAt).toBe(full.results[0]!.measuredAt);
    const broken: Scenario = { ...b, run: async () => Promise.reject(new Error('boom')) };
    const failed = await runBench([broken], { quick: false, log: () => undefined });
    const kept = mergeReports(merged, failed, ['a', 'b', 'c']);
    expect(kept.results.find((r) => r.name === 'b')!.value).toBe(1.5);
    expect(kept.failures).toEqual([expect.objectContaining({ name: 'b' })]);
    const quick = await runBench([a], { quick: true, log: () => undefined });
    expect(() => mergeReports(full, quick, ['a'])).toThrow(/quick/);
  });
});
