import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CoreClient, CoreStartError } from '../core/coreClient';
import { defaultDataDir } from '../core/dataDir';
import { startHost } from './hostServer';
import { portPlan, rememberPort } from './hostPort';
import { hostToken } from './hostToken';
import { createLogger } from '../platform/log';

// What the host tells whoever started it (the address, the transport's state, a refusal) is output,
// not logging: stdout and stderr as they are. Failures go to the host's logger.
const tell = (line: string) => void process.stdout.write(`${line}\n`);
const refuse = (line: string) => void process.stderr.write(`${line}\n`);
const log = createLogger('host');

/**
 * `npm run web`: the same core and renderer as the desktop app, served to a browser on this machine.
 * Flags: --port N (default 5180, 0 for any free port), --data-dir DIR, --no-demo-buyers,
 * --demo-interval MS, --start-paused (the transport starts paused: see below), --new-token (a new
 * desk token for this data folder: every address printed before stops working and says so).
 *
 * The token is kept in the data folder (hostToken.ts), so a host started again on the same folder
 * and port takes back the open desks: they reconnect by themselves and send what they queued.
 * The port is kept in the data folder too (hostPort.ts), so the desks' origin, and with it their
 * replica and queued actions, stays the same across starts. An explicit --port, or the folder's own
 * port, that is taken is an error (the desks' address names it); only a folder's very first start
 * falls back from a taken 5180 to any free port (and keeps that one).
 *
 * Pausing the transport (the offline demo, and tests): type `p` and Enter in this terminal to pause
 * or resume, or POST /dev/transport/pause (or /resume) with `Authorization: Bearer <token>`.
 */
const USAGE =
  'usage: node dist/main/host/server.js [--port N] [--data-dir DIR] [--no-demo-buyers] [--demo-interval MS] [--start-paused] [--new-token]';

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'no-demo-buyers': { type: 'boolean', default: false },
        'demo-interval': { type: 'string' },
        'start-paused': { type: 'boolean', default: false },
        'new-token': { type: 'boolean', default: false },
      },
      strict: true,
    });
    const port = values.port === undefined ? undefined : Number(values.port);
    const interval = values['demo-interval'] === undefined ? undefined : Number(values['demo-interval']);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
      throw new Error(`--port must be 0–65535, got ${values.port}`);
    if (interval !== undefined && (!Number.isInteger(interval) || interval < 200))
      throw new Error('--demo-interval must be a whole number of milliseconds ≥ 200');
    return {
      port,
      dataDir: values['data-dir'] ?? defaultDataDir(),
      noDemo: values['no-demo-buyers'],
      interval,
      startPaused: values['start-paused'],
      newToken: values['new-token'],
    };
  } catch (error) {
    refuse(`jiedai web: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const args = parse();
  const here = path.dirname(fileURLToPath(import.meta.url));
  const rendererDir = path.resolve(here, '../../renderer');
  const demoBuyers = args.noDemo ? { enabled: false } : args.interval ? { enabled: true, intervalMs: args.interval } : undefined;
  const core = await CoreClient.start({
    dataDir: args.dataDir,
    ...(demoBuyers ? { demoBuyers } : {}),
    version: process.env.npm_package_version ?? '0.0.0',
    hubLink: 'websocket',
  });
  const token = hostToken(args.dataDir, { renew: args.newToken });
  const downloads = { redeem: (ticket: string) => core.redeemDownload(ticket), exportsDir: path.resolve(args.dataDir, 'exports') };
  const plan = portPlan(args.dataDir, args.port);
  let host;
  try {
    host = await startHost({ core, rendererDir, port: plan.port, token, downloads });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (plan.whenTaken === 'refuse') {
      refuse(
        plan.kept
          ? `jiedai web: port ${plan.port}, this data folder's address, is in use (another host on this folder?). Stop it, or start with --port N (the desks then open at a new address and download the shop again).`
          : `jiedai web: port ${plan.port} is in use (another host?). Stop it, or choose another --port.`,
      );
      await core.close();
      process.exit(1);
    }
    host = await startHost({ core, rendererDir, port: 0, token, downloads });
  }
  rememberPort(args.dataDir, host.port);
  tell(`Jiedai (browser mode) — data in ${args.dataDir}`);
  tell(`Open: ${host.url}`);
  const h = host;
  const say = () => tell(h.paused() ? 'Transport paused: desks are offline (their actions wait, marked pending).' : 'Transport running.');
  if (args.startPaused) {
    host.pause();
    say();
  }
  if (process.stdin.isTTY) {
    tell('Type p and Enter to pause or resume the transport.');
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
  if (error instanceof CoreStartError && error.fault) refuse(`jiedai web: ${error.message}`);
  else log.error('jiedai web failed to start', error);
  process.exit(1);
});
