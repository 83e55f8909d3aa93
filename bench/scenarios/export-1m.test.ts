import { describe, expect, it } from 'vitest';
import { runExport1m } from './export-1m';

describe('the export-1m bench scenario', () => {
  it('runs end to end on a small store and reports every figure', async () => {
    const lines: string[] = [];
    const result = await runExport1m({ messages: 3000, runs: 1, log: (l) => lines.push(l) });
    expect(result.messages).toBeGreaterThanOrEqual(3000);
    expect(result.baseline.rows).toBe(result.messages);
    expect(result.fairBaseline.rows).toBe(result.messages);
    expect(result.fairBaseline.bytes).toBeGreaterThan(0);
    expect(result.exports.map((e) => e.name)).toEqual(['csv', 'jsonl', 'xlsx']);
    for (const e of result.exports) {
      expect(e.rows).toBe(result.messages);
      expect(e.ms).toBeGreaterThan(0);
      expect(e.ratioToBaseline).toBeGreaterThan(0);
    }
    expect(lines.join('\n')).toMatch(/csv .* pass|csv .* FAIL/);
  });
});
