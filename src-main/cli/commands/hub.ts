import fs from 'node:fs';
import { accountNick, accountPassword } from '../../../shared/contract/accounts';
import { Core } from '../../core/core';
import { CoreClient } from '../../core/coreClient';
import { startHub } from '../../hub/hubServer';
import { UsageError, type Command, type Io } from '../command';

const USAGE =
  'jiedai hub init --data-dir DIR --shop NAME --owner NICK [--password-stdin]   (or the password in JIEDAI_OWNER_PASSWORD)\n' +
  '  jiedai hub --data-dir DIR [--port N] [--host ADDR] [--tls-cert FILE --tls-key FILE] [--trust-proxy ADDRS]';

const DEFAULT_PORT = 5190;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The owner's password: never on the command line (it would sit in the shell's history and `ps`). */
async function ownerPassword(values: Record<string, unknown>, io: Io): Promise<string> {
  let password: string | undefined;
  if (values['password-stdin']) password = (await (io.stdin ?? readStdin)()).replace(/\r?\n$/, '');
  else password = (io.env ?? process.env).JIEDAI_OWNER_PASSWORD;
  if (password === undefined || password === '')
    throw new UsageError("give the owner's password on standard input with --password-stdin, or in JIEDAI_OWNER_PASSWORD");
  const checked = accountPassword.safeParse(password);
  if (!checked.success) throw new UsageError(checked.error.issues[0]!.message);
  return password;
}

async function init(values: Record<string, unknown>, dataDir: string, io: Io): Promise<number> {
  const shop = typeof values.shop === 'string' ? values.shop.trim() : '';
  if (!shop || Array.from(shop).length > 40) throw new UsageError("--shop NAME: the shop's name, 1 to 40 characters");
  const nick = accountNick.safeParse(values.owner ?? '');
  if (!nick.success) throw new UsageError(`--owner NICK: ${nick.error.issues[0]!.message}`);
  const password = await ownerPassword(values, io);
  const core = new Core({ dataDir, hub: {}, watchOtherWritersMs: false, presence: false });
  try {
    if (core.hubSetup().hasOwner) {
      io.err(`jiedai: the hub in ${dataDir} already has an owner; nothing changed`);
      return 1;
    }
    const owner = await core.initShop(shop, nick.data, password);
    io.out(`Hub set up in ${dataDir}: shop ${shop}, owner ${owner.nick}. Start it with: jiedai hub --data-dir ${dataDir}`);
    return 0;
  } finally {
    core.close();
  }
}

function port(value: unknown): number {
  if (value === undefined) return DEFAULT_PORT;
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || n > 65535) throw new UsageError(`--port takes 0 to 65535, not "${String(value)}"`);
  return n;
}

function tls(values: Record<string, unknown>) {
  const cert = values['tls-cert'];
  const key = values['tls-key'];
  if (cert === undefined && key === undefined) return undefined;
  if (typeof cert !== 'string' || typeof key !== 'string') throw new UsageError('--tls-cert and --tls-key go together');
  try {
    return { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
  } catch (error) {
    throw new UsageError(`cannot read the TLS files: ${(error as Error).message}`);
  }
}

async function serve(values: Record<string, unknown>, dataDir: string, io: Io): Promise<number> {
  const options = { port: port(values.port), host: typeof values.host === 'string' ? values.host : '127.0.0.1', tls: tls(values) };
  const trustProxy = typeof values['trust-proxy'] === 'string' ? values['trust-proxy'] : undefined;
  // Opened once here first: a damaged or unusable folder is said as such, and a hub without an owner is refused.
  const check = new Core({ dataDir, hub: {}, watchOtherWritersMs: false, presence: false });
  const { hasOwner: ready, shopName: shop } = check.hubSetup();
  check.close();
  if (!ready) {
    io.err(
      `jiedai: the hub in ${dataDir} has no owner yet. Set it up first: jiedai hub init --data-dir ${dataDir} --shop NAME --owner NICK`,
    );
    return 2;
  }
  const core = await CoreClient.start({ dataDir, hub: {}, version: process.env.npm_package_version ?? '0.0.0' });
  let hub;
  try {
    hub = await startHub({ core, ...options, ...(trustProxy ? { trustProxy } : {}) });
  } catch (error) {
    await core.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
      io.err(`jiedai: cannot listen on ${options.host}:${options.port} (${code})`);
      return 1;
    }
    throw error;
  }
  io.out(`Jiedai hub — shop ${shop}, data in ${dataDir}`);
  io.out(`Listening on ${hub.url}`);
  const loopback = /^(127\.|::1$|localhost$)/.test(options.host);
  if (!options.tls && !loopback)
    io.err(
      'jiedai: warning: serving without TLS on a network address; passwords and tokens cross in the clear. Give --tls-cert/--tls-key or put a TLS reverse proxy in front.',
    );
  await (io.stop ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }));
  await hub.close();
  await core.close();
  return 0;
}

export const hubCommand: Command = {
  name: 'hub',
  summary: "the shop's team hub: `hub init` sets up the shop and its owner, `hub` serves the desks",
  usage: USAGE,
  positionals: { min: 0, max: 1 },
  options: {
    shop: { type: 'string' },
    owner: { type: 'string' },
    'password-stdin': { type: 'boolean', default: false },
    port: { type: 'string' },
    host: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'trust-proxy': { type: 'string' },
  },
  async run({ values, positionals, dataDir }, io) {
    const [action] = positionals;
    // Never the desk's own folder by default: a hub keeps the shop's data apart.
    if (typeof values['data-dir'] !== 'string') throw new UsageError('a hub needs its own --data-dir DIR');
    if (action === 'init') return init(values, dataDir, io);
    if (action !== undefined) throw new UsageError(`unknown hub action "${action}" (init, or none to serve)`);
    return serve(values, dataDir, io);
  },
};
