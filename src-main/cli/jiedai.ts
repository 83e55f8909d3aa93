import { parseArgs } from 'node:util';
import { Core } from '../core/core';
import { defaultDataDir } from '../core/dataDir';
import { seedDemoShop } from '../services/demo/seedDemo';

/**
 * `jiedai` — the same core, headless. Shop owners schedule it; tests use it.
 *   jiedai seed-demo [--data-dir DIR]        create the demo shop in an empty data folder
 *   jiedai stats [--json] [--data-dir DIR]   row counts per table
 * Exit codes: 0 done, 1 failed, 2 bad arguments.
 */
export const USAGE = `usage: jiedai <command> [options]

commands:
  seed-demo            create the demo shop (Chinese) in an empty data folder
  stats                print row counts per table

options:
  --data-dir DIR       the shop's data folder (default: ${defaultDataDir()})
  --json               machine-readable output
  -h, --help           this help`;

export class UsageError extends Error {}

type Io = { out: (s: string) => void; err: (s: string) => void };

export async function run(argv: string[], io: Io = { out: (s) => console.log(s), err: (s) => console.error(s) }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.err(`jiedai: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (!command) {
    io.err(`jiedai: no command given\n\n${USAGE}`);
    return 2;
  }
  if (extra.length > 0) {
    io.err(`jiedai: unexpected argument "${extra[0]}"\n\n${USAGE}`);
    return 2;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  switch (command) {
    case 'seed-demo': {
      const core = new Core({ dataDir, seedDemo: false, demoBuyers: { enabled: false } });
      try {
        const counts = seedIfEmpty(core);
        if (values.json) io.out(JSON.stringify({ dataDir, seeded: counts.seeded, counts: counts.counts }));
        else io.out(counts.seeded ? `Demo shop created in ${dataDir}` : `${dataDir} already holds a shop; nothing changed`);
        return 0;
      } finally {
        core.close();
      }
    }
    case 'stats': {
      const core = new Core({ dataDir, seedDemo: false, demoBuyers: { enabled: false } });
      try {
        const result = await core.call('stats.counts', {});
        if (!result.ok) {
          io.err(`jiedai: ${result.error.message}`);
          return 1;
        }
        const counts = result.value as Record<string, number>;
        if (values.json) io.out(JSON.stringify(counts));
        else for (const [table, n] of Object.entries(counts)) io.out(`${table.padEnd(20)} ${n}`);
        return 0;
      } finally {
        core.close();
      }
    }
    default:
      io.err(`jiedai: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function seedIfEmpty(core: Core): { seeded: boolean; counts: Record<string, number> } {
  const seeded = !core.store.settings.get<unknown>('shop', null);
  if (seeded) seedDemoShop(core.store, { now: Date.now() });
  return { seeded, counts: core.store.stats.counts() };
}

// Run when executed directly (bundled as dist/main/cli/jiedai.js, or through tsx), not when imported by tests.
const entry = process.argv[1] ?? '';
if (/jiedai\.(ts|js)$/.test(entry) || entry.endsWith('/bin/jiedai.js')) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error('jiedai:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
