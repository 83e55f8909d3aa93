import fs from 'node:fs';
import { accountNick, accountPassword, shopName, type Account } from '../../../shared/contract/accounts';
import type { Result } from '../../../shared/contract/errors';
import { newId } from '../../../shared/domain/ids';
import { isLang, type Lang } from '../../../shared/domain/lang';
import { translate } from '../../../shared/i18n';
import { Core } from '../../core/core';
import { CoreClient } from '../../core/coreClient';
import { startHub } from '../../hub/hubServer';
import { chooseHubDatabase, hubStoreLabel, migrateHubToPg, openHubDatabaseLink } from '../../core/hubStore';
import { newSetupCode } from '../../hub/setupRoutes';
import { UsageError, type Command, type Io } from '../command';

const USAGE =
  'jiedai hub init --data-dir DIR --shop NAME --owner NICK [--password-stdin]   (or the password in JIEDAI_OWNER_PASSWORD)\n' +
  '  jiedai hub --data-dir DIR [--port N] [--host ADDR] [--tls-cert FILE --tls-key FILE] [--trust-proxy ADDRS] [--metrics-loopback] [--lang zh-CN|en]\n' +
  '      (GET /metrics: with a full-scope API token; --metrics-loopback: also without one from this machine)\n' +
  '      (a folder with no owner yet serves the first-run page at / and prints its one-time setup code)\n' +
  '  jiedai hub accounts list --data-dir DIR\n' +
  '  jiedai hub accounts add --data-dir DIR --nick NICK [--role agent|supervisor] [--password-stdin]   (or JIEDAI_ACCOUNT_PASSWORD)\n' +
  '  jiedai hub accounts disable --data-dir DIR --nick NICK\n' +
  '  (each takes --database postgres://USER@HOST:PORT/NAME: the shop on PostgreSQL, remembered by the folder)\n' +
  '  jiedai hub migrate --from sqlite --data-dir DIR --database postgres://USER@HOST:PORT/NAME\n' +
  '      (stop the hub first: copies its SQLite store into an empty database, checks the counts and checksums; the folder then uses PostgreSQL)';

const DEFAULT_PORT = 5190;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A password: never on the command line (it would sit in the shell's history and `ps`). */
async function readPassword(values: Record<string, unknown>, io: Io, variable: string, whose: string): Promise<string> {
  let password: string | undefined;
  if (values['password-stdin']) password = (await (io.stdin ?? readStdin)()).replace(/\r?\n$/, '');
  else password = (io.env ?? process.env)[variable];
  if (password === undefined || password === '')
    throw new UsageError(`give ${whose} password on standard input with --password-stdin, or in ${variable}`);
  const checked = accountPassword.safeParse(password);
  if (!checked.success) throw new UsageError(checked.error.issues[0]!.message);
  return password;
}

async function init(values: Record<string, unknown>, dataDir: string, io: Io): Promise<number> {
  const name = shopName.safeParse(typeof values.shop === 'string' ? values.shop : '');
  if (!name.success) throw new UsageError(`--shop NAME: ${name.error.issues[0]!.message}`);
  const shop = name.data;
  const nick = accountNick.safeParse(values.owner ?? '');
  if (!nick.success) throw new UsageError(`--owner NICK: ${nick.error.issues[0]!.message}`);
  const password = await readPassword(values, io, 'JIEDAI_OWNER_PASSWORD', "the owner's");
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
  const lang = langOf(values);
  const version = process.env.npm_package_version ?? '0.0.0';
  // Opened once here first: a damaged or unusable folder is said as such before anything listens.
  const check = new Core({ dataDir, hub: {}, watchOtherWritersMs: false, presence: false });
  const { hasOwner: ready, shopName: shop } = check.hubSetup();
  check.close();
  // A shop with no owner yet is set up on the first-run page, by whoever can read this terminal.
  const setupCode = ready ? undefined : newSetupCode();
  const core = await CoreClient.start({ dataDir, hub: {}, version });
  // On PostgreSQL: the limits every hub process on the database shares, and the health check's connection.
  const link = openHubDatabaseLink(dataDir);
  let hub;
  try {
    hub = await startHub({
      core,
      ...(link
        ? {
            rateLimitStore: link.rateLimitStore(),
            sharedBuckets: (key, limits) => link.take(key, limits),
            health: async () => ({ kind: 'postgres', ...(await link.health()) }),
          }
        : {}),
      ...options,
      ...(trustProxy ? { trustProxy } : {}),
      metrics: { fromLoopback: values['metrics-loopback'] === true, database: link ? 'postgres' : 'sqlite' },
      dataDir,
      setupCode,
      lang,
      version,
      onSetup: (created, owner) => io.out(translate(lang, 'cli.hub.setupDone', { shop: created, owner })),
    });
  } catch (error) {
    await core.close();
    await link?.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
      io.err(`jiedai: cannot listen on ${options.host}:${options.port} (${code})`);
      return 1;
    }
    throw error;
  }
  io.out(`Jiedai hub — shop ${ready ? shop : '(not set up yet)'}, data in ${dataDir} (${hubStoreLabel(dataDir)})`);
  io.out(`Listening on ${hub.url}`);
  if (setupCode) io.out(translate(lang, 'cli.hub.setupCode', { url: `${hub.url}/#code=${setupCode}`, code: setupCode }));
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
  await link?.close();
  return 0;
}

function langOf(values: Record<string, unknown>): Lang {
  const lang = values.lang ?? 'zh-CN';
  if (!isLang(lang)) throw new UsageError(`--lang takes zh-CN or en, not "${String(lang)}"`);
  return lang;
}

/** The CLI's own connection to the hub's folder, signed in as the shop's owner for `hub accounts`. */
const ACCOUNTS_CONNECTION = 'cli-accounts';

/**
 * `jiedai hub accounts list|add|disable`: the owner keeps the shop's accounts from the hub's machine,
 * through the contract's `accounts.*` methods on an owner session (the hub's role checks, password
 * hashing and session ends apply as for any call). A hub running on the folder meanwhile sees the
 * change at once (it reads accounts and sessions from the store at every call).
 */
async function accounts(action: string | undefined, values: Record<string, unknown>, dataDir: string, io: Io): Promise<number> {
  if (action !== 'list' && action !== 'add' && action !== 'disable')
    throw new UsageError(`jiedai hub accounts takes list, add or disable${action ? `, not "${action}"` : ''}`);
  const lang = langOf(values);
  const nick = action === 'list' ? null : accountNick.safeParse(values.nick ?? '');
  if (nick && !nick.success) throw new UsageError(`--nick NICK: ${nick.error.issues[0]!.message}`);
  const role = values.role ?? 'agent';
  if (role !== 'agent' && role !== 'supervisor') throw new UsageError(`--role takes agent or supervisor, not "${String(role)}"`);
  const password = action === 'add' ? await readPassword(values, io, 'JIEDAI_ACCOUNT_PASSWORD', "the account's") : null;
  const core = new Core({ dataDir, hub: {}, watchOtherWritersMs: false, presence: false });
  const call = async <T>(method: string, args: unknown): Promise<T> => {
    const result = (await core.call(method, args, ACCOUNTS_CONNECTION)) as Result<T>;
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  };
  const roleName = (r: Account['role']) => translate(lang, `role.${r}`);
  try {
    if (!core.hubSetup().hasOwner) {
      io.err(`jiedai: ${translate(lang, 'cli.hub.noOwner', { dir: dataDir })}`);
      return 2;
    }
    core.signInAsOwner(ACCOUNTS_CONNECTION);
    try {
      if (action === 'list') {
        for (const a of await call<Account[]>('accounts.list', {})) {
          const status = a.disabled ? 'cli.hub.accountOff' : a.hasPassword ? 'cli.hub.accountActive' : 'cli.hub.accountNoPassword';
          io.out(translate(lang, 'cli.hub.accountRow', { nick: a.nick, role: roleName(a.role), status: translate(lang, status) }));
        }
        return 0;
      }
      if (action === 'add') {
        const made = await call<Account>('accounts.create', { id: newId(), nick: nick!.data, role, password });
        io.out(translate(lang, 'cli.hub.accountAdded', { nick: made.nick, role: roleName(made.role) }));
        return 0;
      }
      const found = (await call<Account[]>('accounts.list', {})).find((a) => a.nick === nick!.data);
      if (!found) {
        io.err(`jiedai: ${translate(lang, 'cli.hub.noAccount', { nick: nick!.data })}`);
        return 1;
      }
      await call<Account>('accounts.disable', { agentId: found.id });
      io.out(translate(lang, 'cli.hub.accountDisabled', { nick: found.nick }));
      return 0;
    } catch (error) {
      io.err(`jiedai: ${(error as Error).message}`);
      return (error as { code?: string }).code === 'invalid_argument' ? 2 : 1;
    } finally {
      // The run's session ends with it.
      await core.call('auth.logout', {}, ACCOUNTS_CONNECTION);
    }
  } finally {
    core.close();
  }
}

/** `jiedai hub migrate --from sqlite`: the folder's SQLite hub into an empty PostgreSQL database, with progress. */
async function migrate(values: Record<string, unknown>, dataDir: string, io: Io): Promise<number> {
  if (values.from !== 'sqlite') throw new UsageError('jiedai hub migrate takes --from sqlite');
  if (typeof values.database !== 'string') throw new UsageError('jiedai hub migrate needs --database postgres://…');
  const started = Date.now();
  let lastSaid = 0;
  try {
    const report = await migrateHubToPg(dataDir, values.database, (p) => {
      if (p.done) io.out(`  ${p.table}: ${p.total} rows`);
      else if (p.total >= 50_000 && Date.now() - lastSaid > 1_000) {
        lastSaid = Date.now();
        io.out(`  ${p.table}: ${p.copied} / ${p.total}…`);
      }
    });
    const rows = report.tables.reduce((n, t) => n + t.rows, 0);
    io.out(
      `Copied ${rows} rows in ${report.tables.length} tables in ${((Date.now() - started) / 1000).toFixed(1)} s; every table's count and checksum (sha256 of its rows in key order) checked; feed head ${report.feedHead}.`,
    );
    io.out(
      `${dataDir} now uses PostgreSQL (hub-database.json); jiedai.sqlite is left as it was. Start the hub: jiedai hub --data-dir ${dataDir}`,
    );
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    io.err(`jiedai: ${(error as Error).message}`);
    if (code === 'invalid_argument') return 2;
    return 1;
  }
}

export const hubCommand: Command = {
  name: 'hub',
  summary: "the shop's team hub: `hub init` sets up the shop and its owner, `hub accounts` keeps its accounts, `hub` serves the desks",
  usage: USAGE,
  positionals: { min: 0, max: 2 },
  options: {
    shop: { type: 'string' },
    nick: { type: 'string' },
    role: { type: 'string' },
    lang: { type: 'string' },
    owner: { type: 'string' },
    'password-stdin': { type: 'boolean', default: false },
    port: { type: 'string' },
    host: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'trust-proxy': { type: 'string' },
    'metrics-loopback': { type: 'boolean' },
    database: { type: 'string' },
    from: { type: 'string' },
  },
  async run({ values, positionals, dataDir }, io) {
    const [action, sub] = positionals;
    // Never the desk's own folder by default: a hub keeps the shop's data apart.
    if (typeof values['data-dir'] !== 'string') throw new UsageError('a hub needs its own --data-dir DIR');
    // Before the folder is told of the database: it is remembered only once the copy is in.
    if (action === 'migrate') return migrate(values, dataDir, io);
    // The shop on PostgreSQL instead of the folder's SQLite file: the folder remembers it (issue 14).
    if (typeof values.database === 'string') {
      try {
        chooseHubDatabase(dataDir, values.database);
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
    }
    if (action === 'accounts') return accounts(sub, values, dataDir, io);
    if (sub !== undefined) throw new UsageError(`unexpected "${sub}" after hub ${action}`);
    if (action === 'init') return init(values, dataDir, io);
    if (action !== undefined) throw new UsageError(`unknown hub action "${action}" (init, accounts, migrate, or none to serve)`);
    return serve(values, dataDir, io);
  },
};
