import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from './harness';
import { BEGIN, END, renderTable, withTable } from './readmeTable';

const root = path.resolve(import.meta.dirname, '..');

describe("the README's bench figures", () => {
  it('are the table bench/results/latest.json gives (run `npm run bench:readme` after a bench run)', () => {
    const report = JSON.parse(fs.readFileSync(path.join(root, 'bench/results/latest.json'), 'utf8')) as BenchReport;
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const shown = readme.slice(readme.indexOf(BEGIN), readme.indexOf(END) + END.length);
    expect(shown).toBe(renderTable(report));
  });

  it('says a missed target and a failed row as such, with the load beside each figure', () => {
    const report: BenchReport = {
      date: '2026-12-03T09:00:00.000Z',
      machine: { cpus: 2, cpuModel: 'Test CPU', totalMemMb: 1, node: 'v20', platform: 'linux x64' },
      quick: false,
      results: [
        {
          name: 'reply-latency-chromium',
          what: '',
          unit: 'ms',
          value: 245.1,
          target: 150,
          better: 'lower',
          meetsTarget: false,
          baseline: { label: 'bare | echo', value: 20 },
          ratio: 12.255,
          details: {},
          measuredAt: '2026-12-03T09:00:00.000Z',
          load: { before: 3.2, after: 4 },
        },
      ],
      failures: [{ name: 'hub-ceiling-pg-1', error: 'boom\nstack' }],
      skipped: [],
    };
    const table = renderTable(report);
    expect(table).toContain('| `reply-latency-chromium` | 245 ms | ≤ 150 | **missed** | ×12.26 bare \\| echo | 2026-12-03 | 3.20–4.00 |');
    expect(table).toContain('| `hub-ceiling-pg-1` | failed: boom |');
    expect(withTable(`a\n${BEGIN}\nold\n${END}\nb`, report)).toBe(`a\n${table}\nb`);
    expect(() => withTable('no markers', report)).toThrow(/markers/);
  });
});
