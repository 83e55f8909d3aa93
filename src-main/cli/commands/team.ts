import { teamFailure, type TeamStatus } from '../../../shared/contract/team';
import { LANGS, type Lang } from '../../../shared/domain/lang';
import { formatCount, translator, type Translate } from '../../../shared/i18n';
import type { MessageKey } from '../../../shared/i18n/translate';
import { CliCallError, withCliSession, type CliSession } from '../caller';
import { progressLine, UsageError, type Command, type Io } from '../command';
import { promptHidden } from '../prompt';

/** How long `jiedai join` waits for the shop's data before leaving the rest to the app. */
const DEFAULT_WAIT_SECONDS = 120;

function langOf(value: unknown): Lang {
  if (value === undefined) return 'zh-CN';
  if (typeof value === 'string' && (LANGS as readonly string[]).includes(value)) return value as Lang;
  throw new UsageError(`--lang takes ${LANGS.join(' or ')}`);
}

/** A refusal of `team.*` in the user's words (`words` overrides a reason's sentence); anything else as the core said it. */
async function saying<T>(t: Translate, io: Io, fn: () => Promise<T>, words: Partial<Record<string, MessageKey>> = {}): Promise<T | number> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof CliCallError)) throw error;
    const failure = teamFailure(error.error);
    if (!failure) throw error;
    const key: MessageKey = words[failure.reason] ?? `team.error.${failure.reason}`;
    io.err(`jiedai: ${t(key, { seconds: failure.retryAfterSeconds ?? 60, n: formatCount(failure.pending ?? 0) })}`);
    return error.exitCode;
  }
}

/**
 * `team leave --wait`: while the desk's actions wait for the hub and the app beside this run sends
 * them (the CLI itself never talks to the hub), waits up to `seconds` for the count to reach 0.
 */
async function waitForPushed(cli: CliSession, seconds: number, t: Translate, io: Io): Promise<void> {
  const draw = progressLine(io);
  const deadline = Date.now() + seconds * 1000;
  try {
    for (;;) {
      const s = await cli.call('team.status', {});
      if (s.mode !== 'team' || s.pending === 0 || Date.now() >= deadline) return;
      draw(t('team.cli.leaveWaiting', { n: formatCount(s.pending) }));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    draw(null);
  }
}

function printStatus(s: TeamStatus, t: Translate, lang: Lang, io: Io): void {
  if (s.mode === 'standalone') {
    io.out(t('team.cli.standalone'));
    return;
  }
  io.out(t('team.cli.hub', { hub: s.hubUrl ?? '' }));
  io.out(t('team.cli.account', { nick: s.account?.nick ?? '', role: t(`role.${s.account?.role ?? 'agent'}`) }));
  if (s.bootstrap.loading) io.out(t('team.cli.loading', { done: s.bootstrap.partsDone, total: s.bootstrap.partsTotal }));
  io.out(t('team.cli.pending', { n: formatCount(s.pending) }));
  const when = s.lastSyncedAt === null ? t('team.status.never') : new Date(s.lastSyncedAt).toLocaleString(lang, { hour12: false });
  io.out(t('team.cli.lastSynced', { time: when }));
  if (!s.syncing) io.out(t('team.cli.notSyncing'));
}

/** Waits for the first snapshot (TTY progress), up to `seconds`; whether it is in. */
async function waitForShop(cli: CliSession, seconds: number, t: Translate, io: Io): Promise<boolean> {
  const draw = progressLine(io);
  const deadline = Date.now() + seconds * 1000;
  try {
    for (;;) {
      const s = await cli.call('team.status', {});
      if (s.bootstrap.ready && !s.bootstrap.loading) return true;
      if (s.link === 'signed-out' || Date.now() >= deadline) return false;
      draw(t('team.cli.downloading', { done: s.bootstrap.partsDone, total: s.bootstrap.partsTotal, rows: formatCount(s.bootstrap.rows) }));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    draw(null);
  }
}

async function password(nick: string, t: Translate, io: Io): Promise<string> {
  const fromEnv = (io.env ?? process.env).JIEDAI_PASSWORD;
  if (fromEnv) return fromEnv;
  const typed = await (io.prompt ?? promptHidden)(t('team.cli.password', { nick }));
  if (!typed) throw new UsageError(t('team.cli.noPassword'));
  return typed;
}

export const joinCommand: Command = {
  name: 'join',
  summary: "connect this desk's data folder to a team hub (password from JIEDAI_PASSWORD or typed on a terminal)",
  usage: 'jiedai join --hub URL --account NICK [--wait SECONDS] [--lang zh-CN|en] [--json] [--data-dir DIR]',
  options: {
    hub: { type: 'string' },
    account: { type: 'string' },
    wait: { type: 'string' },
    lang: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ values, dataDir }, io) {
    const lang = langOf(values.lang);
    const t = translator(lang);
    if (typeof values.hub !== 'string' || values.hub === '') throw new UsageError("--hub URL: the team hub's address");
    if (typeof values.account !== 'string' || values.account === '') throw new UsageError('--account NICK: your account on the hub');
    const wait = values.wait === undefined ? DEFAULT_WAIT_SECONDS : Number(values.wait);
    if (!Number.isInteger(wait) || wait < 0 || wait > 3600) throw new UsageError('--wait takes 0 to 3600 seconds');
    const secret = await password(values.account, t, io);
    return withCliSession(
      dataDir,
      undefined,
      async (cli) => {
        const joined = await saying(t, io, () =>
          cli.call('team.connect', { hubUrl: values.hub as string, account: values.account as string, password: secret }),
        );
        if (typeof joined === 'number') return joined;
        if (!values.json) io.out(t('team.cli.joined', { hub: joined.hubUrl ?? '', nick: joined.account?.nick ?? '' }));
        const ready = await waitForShop(cli, wait, t, io);
        const status = await cli.call('team.status', {});
        if (values.json) {
          io.out(JSON.stringify(status));
        } else if (ready) {
          const info = await cli.call('app.info', {});
          io.out(t('team.cli.ready', { shop: info.shop.name }));
        } else {
          io.out(t('team.cli.stillLoading'));
        }
        return 0;
      },
      { hubLink: 'websocket' },
    );
  },
};

export const teamCommand: Command = {
  name: 'team',
  summary: 'the desk’s team hub: `team status` (mode, account, actions waiting), `team leave` (back to the demo shop)',
  usage: 'jiedai team status|leave [--wait SECONDS] [--discard-pending] [--lang zh-CN|en] [--json] [--data-dir DIR]',
  positionals: { min: 1, max: 1 },
  options: {
    lang: { type: 'string' },
    json: { type: 'boolean', default: false },
    'discard-pending': { type: 'boolean', default: false },
    wait: { type: 'string' },
  },
  async run({ values, positionals, dataDir }, io) {
    const lang = langOf(values.lang);
    const t = translator(lang);
    const [action] = positionals;
    if (action === 'status') {
      const status = await withCliSession(dataDir, undefined, (cli) => cli.call('team.status', {}));
      if (values.json) io.out(JSON.stringify(status));
      else printStatus(status, t, lang, io);
      return 0;
    }
    if (action === 'leave') {
      // The app may be open on this folder: it takes the leave up without a restart (TeamDesk.adoptLeave),
      // and while it is online it is what sends the actions still waiting, which --wait gives time to.
      const wait = values.wait === undefined ? 0 : Number(values.wait);
      if (!Number.isInteger(wait) || wait < 0 || wait > 3600) throw new UsageError('--wait takes 0 to 3600 seconds');
      const discardPending = values['discard-pending'] === true;
      return withCliSession(dataDir, undefined, async (cli) => {
        if (wait > 0 && !discardPending) await waitForPushed(cli, wait, t, io);
        const left = await saying(t, io, () => cli.call('team.leave', { discardPending }), { pending: 'team.cli.leavePending' });
        if (typeof left === 'number') return left;
        if (values.json) io.out(JSON.stringify(left));
        else io.out(t('team.cli.left'));
        return 0;
      });
    }
    throw new UsageError(`unknown team action "${String(action)}" (status or leave)`);
  },
};
