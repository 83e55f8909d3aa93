import os from 'node:os';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import FlakyReporter from './tests/setup/flakyReporter';

/**
 * Two tiers, one runner. The fast tier (`npm test`: node, renderer, e2e) stays well under 10 minutes on
 * a 2-core machine; the soak tier (`npm run test:soak`: 1,000 randomized sync seeds, kill tests,
 * fuzzers) runs after it in CI.
 * - node: shared/, src-main/ (store, core, host, CLI) and cross-process tests under tests/cross
 * - renderer: React features in jsdom with Testing Library
 * - e2e: Debian's Chromium driven by playwright-core against browser mode (needs `npm run build`)
 */
export default defineConfig({
  test: {
    // At least two: the sync reliability test (tests/sync) keeps a core thread and a test thread busy per file.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // The default output, and the list of tests that passed only on their second try (below).
    reporters: ['default', new FlakyReporter()],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'shared/**/*.test.ts',
            'src-main/**/*.test.ts',
            'tests/cross/**/*.test.ts',
            'tests/sync/**/*.test.ts',
            'tests/teamSync/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          setupFiles: ['tests/setup/everyTestAsserts.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'soak',
          environment: 'node',
          include: ['tests/soak/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['src-renderer/**/*.test.{ts,tsx}'],
          // The last installs the real core behind every renderer test's shop (tests/renderer/realCore.ts).
          setupFiles: ['tests/setup/everyTestAsserts.ts', 'src-renderer/test/setup.ts', 'tests/renderer/setup.ts'],
          // gc() for the tests that check the desk lets go of what it no longer shows (app/deskMemory.test.tsx).
          execArgv: ['--expose-gc'],
          // A renderer test renders the whole desk over a real core and bootstraps its replica into
          // fake-indexeddb: about 1–3 s on a quiet 2-core machine, several times that beside other
          // work (measured beside two busy loops: up to 9 s; 26 s once with the machine shared more).
          // Each wait inside names what it waits for (findBy…, waitFor, expect.poll); this limit
          // only catches a test that hangs.
          testTimeout: 30_000,
          // Once more after a failure: a wait that loses a race under load is listed by FlakyReporter
          // at the end of the run; a test that fails twice fails the run.
          retry: 1,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // Two files at a time (each its own host, data folder and Chromium on a free port): most of
          // an e2e test waits on its host or the page, so two overlap well on 2 cores (254 s → 139 s).
          fileParallelism: true,
          // As the renderer's: once more after a failure, listed at the end of the run (FlakyReporter).
          retry: 1,
          // expect.poll waits here on a page and a host (a replica update, a dry run on the host), which
          // a loaded machine slows past vitest's default 1 s: at load ~9, supervisor.test.ts's 导入 button
          // stayed disabled for more than 1 s after 跳过无效行 (its dry run for the new setting) and the
          // poll failed. As long as Playwright's own waits allow (30 s) would hide a hang; 10 s does not.
          // A poll that passes returns at once, whatever its limit.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
