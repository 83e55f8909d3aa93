import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CoreClient, CoreStartError } from '../core/coreClient';
import { defaultDataDir } from '../core/dataDir';
import { startHost } from './hostServer';

/**
 * `npm run web`: the same core and renderer as the desktop app, served to a browser on this machine.
 * Flags: --port N (default 5180, 0 for any free port), --data-dir DIR, --no-demo-buyers,
 * --demo-interval MS, --start-paused (the transport starts paused: see below).
 *
 * Pausing the transport (the offline demo, and tests): type `p` and Enter in this terminal to pause
 * or resume, or POST /dev/transport/pause (or /resume) with `Authorization: Bearer <token>`.
 */
const USAGE = 'usage: node dist/main/host/server.js [--port N] [--data-dir DIR] [--no-demo-buyers] [--demo-interval MS] [--start-paused]';

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: '5180' },
        'data-dir': { type: 'string' },
        'no-demo-buyers': { type: 'boolean', default: false },
        'demo-interval': { type: 'string' },
        'start-paused': { type: 'boolean', default: false },
      },
      strict: true,
    });
    const port = Number(values.port);
    const interval = values['demo-interval'] === undefined ? undefined : Number(values['demo-interval']);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${values.port}`);
    if (interval !== undefined && (!Number.isInteger(interval) || interval < 200)) throw new Error('--demo-interval must be a whole number of milliseconds ≥ 200');
    return { port, dataDir: values['data-dir'] ?? defaultDataDir(), noDemo: values['no-demo-buyers'], interval, startPaused: values['start-paused'] };
  } catch (error) {
    console.error(`jiedai web: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const args = parse();
  const here = path.dirname(fileURLToPath(import.meta.url));
  const rendererDir = path.resolve(here, '../../renderer');
  const demoBuyers = args.noDemo ? { enabled: false } : args.interval ? { enabled: true, intervalMs: args.interval } : undefined;
  const core = await CoreClient.start({ dataDir: args.dataDir, ...(demoBuyers ? { demoBuyers } : {}), version: process.env.npm_package_version ?? '0.0.0' });
  let host;
  try {
    host = await startHost({ core, rendererDir, port: args.port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    host = await startHost({ core, rendererDir, port: 0 });
  }
  console.log(`Jiedai (browser mode) — data in ${args.dataDir}`);
  console.log(`Open: ${host.url}`);
  const h = host;
  const say = () => console.log(h.paused() ? 'Transport paused: desks are offline (their actions wait, marked pending).' : 'Transport running.');
  if (args.startPaused) {
    host.pause();
    say();
  }
  if (process.stdin.isTTY) {
    console.log('Type p and Enter to pause or resume the transport.');
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (line: string) => {
      if (line.trim() !== 'p') return;
      if (h.paused()) h.resume();
      else h.pause();
      say();
    });
  }
  const stop = async () => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  // A fault of the data folder (read-only, full, not a folder) arrives as a sentence: print it alone.
  if (error instanceof CoreStartError && error.fault) console.error(`jiedai web: ${error.message}`);
  else console.error('jiedai web failed to start:', error);
  process.exit(1);
});
