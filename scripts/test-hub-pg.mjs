// The hub's test suite a second time, on PostgreSQL (issue 14): every hub folder a test makes gets a
// database of its own (src-main/store/pg/testing.ts). JIEDAI_TEST_PG names the server (CI starts one,
// see .ci/run); without it a throwaway cluster is started per test process where Debian's PostgreSQL is
// installed; with neither, this says so and skips.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const HUB_SUITE = [
  'src-main/hub',
  'src-main/core/hubAuth.test.ts',
  'src-main/core/channelSeam.test.ts',
  'src-main/core/receiveBuyerMessage.test.ts',
  'tests/teamSync/teamConnect.test.ts',
  'tests/teamSync/realHub.test.ts',
  'tests/teamSync/personalHub.test.ts',
  'tests/teamSync/hubExport.test.ts',
  'tests/teamSync/reports.test.ts',
  'tests/teamSync/rendererOnTop.test.ts',
  'tests/teamSync/hubProcesses.test.ts',
];

const installed = (() => {
  try {
    return fs.readdirSync('/usr/lib/postgresql').some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  } catch {
    return false;
  }
})();
if (!process.env.JIEDAI_TEST_PG && !installed) {
  console.log('test:hub-pg skipped: no PostgreSQL (set JIEDAI_TEST_PG=postgres://… or install Debian’s postgresql package)');
  process.exit(0);
}
const result = spawnSync('npx', ['vitest', 'run', '--project', 'node', ...HUB_SUITE, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, JIEDAI_TEST_HUB_BACKEND: 'postgres' },
});
process.exit(result.status ?? 1);
