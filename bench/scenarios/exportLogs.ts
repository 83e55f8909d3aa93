import type { Scenario } from '../harness';
import { runExport1m, type Export1mResult } from './export-1m';

/**
 * Exporting 1,000,000 messages (issue 6): one seeded shop, measured once for all three formats
 * (the CSV, JSONL and XLSX scenarios share the run), each against the bare SELECT of the message
 * columns streamed to a file (issue 18's yardstick: CSV ≤ 1.5× it). The export's own SELECT (the same
 * columns, joins and order) written through the export's file writer is in the details: what is left
 * above it is the export's formatting alone; the gap between the two is the joins for nicks and agents.
 * Memory (peak RSS above the start, target ≤ 200 MB) is in each result's details.
 */
let shared: Promise<Export1mResult> | null = null;
let sharedQuick: boolean | null = null;

function once(quick: boolean): Promise<Export1mResult> {
  if (!shared || sharedQuick !== quick) {
    sharedQuick = quick;
    // Medians of 3 for the baselines, CSV and JSONL (5–10 s each here): one run of either baseline
    // varied 2–3× with the machine's load, the fsync of ~200 MB most of all.
    shared = runExport1m(quick ? { messages: 100_000, runs: 1, xlsxRuns: 1 } : { runs: 3, xlsxRuns: 1 });
  }
  return shared;
}

function scenario(format: 'csv' | 'jsonl' | 'xlsx', target: number): Scenario {
  return {
    name: `export-1m-${format}`,
    what: `export every message of a 1M-message shop to .${format} (streamed; --quick: 100k)`,
    unit: 'ms',
    better: 'lower',
    target,
    async run({ quick }) {
      const result = await once(quick);
      const m = result.exports.find((e) => e.name === format);
      if (!m) throw new Error(`no ${format} measurement`);
      return {
        value: m.ms,
        baseline: { label: 'bare SELECT to a file', value: result.baseline.ms },
        details: {
          ownSelectThroughWriterMs: result.fairBaseline.ms,
          ratioToOwnSelect: Math.round((m.ms / result.fairBaseline.ms) * 100) / 100,
          rows: m.rows,
          rowsPerSecond: Math.round(m.rowsPerSecond),
          peakExtraRssMb: m.peakExtraRssMb,
          memoryTargetMb: 200,
          bytes: m.bytes,
          // XLSX: the chosen writer's own floor on the same rows, and how far above it the export is.
          ...(format === 'xlsx'
            ? { writerFloorMs: result.xlsxFloor.ms, ratioToWriterFloor: Math.round((m.ms / result.xlsxFloor.ms) * 100) / 100 }
            : {}),
        },
      };
    },
  };
}

export const exportCsvScenario = scenario('csv', 10_000);
export const exportJsonlScenario = scenario('jsonl', 10_000);
export const exportXlsxScenario = scenario('xlsx', 60_000);
