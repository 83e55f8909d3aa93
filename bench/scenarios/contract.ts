import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CoreClient } from '../../src-main/core/coreClient';
import { percentile, sample, type Scenario } from '../harness';

/** One contract call through the core's worker thread and back (router, zod parse, handler, Result). */
export const contractRoundtripScenario: Scenario = {
  name: 'contract-roundtrip',
  what: 'one contract call (app.info) to the core worker thread and back (p95)',
  unit: 'ms',
  better: 'lower',
  target: 2,
  async run({ quick }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bench-core-'));
    const core = await CoreClient.start({ dataDir: dir, demoBuyers: { enabled: false } });
    const echo = new Worker(
      `const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));`,
      { eval: true },
    );
    try {
      const runs = quick ? 300 : 2000;
      const ours = await sample(() => core.call('app.info', {}, 'bench'), runs, 50);
      const bare = await sample(
        () =>
          new Promise<void>((resolve) => {
            echo.once('message', () => resolve());
            echo.postMessage({ type: 'call', id: 1, method: 'app.info', args: {} });
          }),
        runs,
        50,
      );
      return {
        value: percentile(ours, 95),
        baseline: { label: 'bare postMessage echo', value: percentile(bare, 95) },
        details: { medianMs: percentile(ours, 50), runs },
      };
    } finally {
      await echo.terminate();
      await core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
