import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBrowserHost } from './browserHost';

/** One origin per data folder (issue 18): browser mode comes back on the folder's own port, or says why it cannot. */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("browser mode's address", () => {
  it('is the same across starts on one folder, and a taken one is refused with a sentence, never moved', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-port-'));
    dirs.push(dataDir);
    const first = await startBrowserHost(dataDir, ['--no-demo-buyers']);
    await first.stop();
    const again = await startBrowserHost(dataDir, ['--no-demo-buyers'], { port: 'folder' });
    expect(again.url).toBe(first.url);
    await again.stop();

    // Someone else has the port now: the host says so and stops, rather than opening at a new origin.
    const port = Number(new URL(first.url).port);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const server = path.resolve(import.meta.dirname, '../../dist/main/host/server.js');
      const run = spawnSync(process.execPath, [server, '--data-dir', dataDir, '--no-demo-buyers'], { encoding: 'utf8', timeout: 30_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`port ${port}, this data folder's address, is in use`);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
