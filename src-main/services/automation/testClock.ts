import fs from 'node:fs';
import path from 'node:path';

/** The file a test writes to move the automation clock of a running core (`{"offsetMs": n}`). */
export const TEST_CLOCK_FILE = 'test-clock.json';

/**
 * For end-to-end tests only (`JIEDAI_TEST_CLOCK=1` in the environment of `npm run web`): the
 * automation runner's clock is the wall clock plus the offset written in `<dataDir>/test-clock.json`,
 * read again whenever the file changes, so a test in a browser can move time for 催付 without
 * waiting ten real minutes. Without the variable the core's own clock is used.
 */
export function automationClock(dataDir: string, base: () => number, env: NodeJS.ProcessEnv = process.env): () => number {
  if (env.JIEDAI_TEST_CLOCK !== '1') return base;
  const file = path.join(dataDir, TEST_CLOCK_FILE);
  let seen = -1;
  let offset = 0;
  return () => {
    try {
      const stat = fs.statSync(file);
      if (stat.mtimeMs !== seen) {
        seen = stat.mtimeMs;
        const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { offsetMs?: unknown };
        offset = typeof parsed.offsetMs === 'number' && Number.isFinite(parsed.offsetMs) ? parsed.offsetMs : 0;
      }
    } catch {
      offset = 0;
    }
    return base() + offset;
  };
}
