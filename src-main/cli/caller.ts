import type { ContractError } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import type { Agent } from '../../shared/domain/types';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { Core } from '../core/core';
import type { ShellContext } from '../core/shellContext';
import { UsageError } from './command';

/** The CLI run's own connection to its in-process core. */
export const CLI_CONNECTION = 'cli';

/** A contract call the core refused: the CLI prints the message; bad input exits 2, a refusal 1. */
export class CliCallError extends Error {
  constructor(
    readonly method: MethodName,
    readonly error: ContractError,
  ) {
    super(error.message);
  }

  /** invalid arguments and faults of the data folder are unusable input (2); any other refusal is 1. */
  get exitCode(): number {
    return ['invalid_argument', 'store_damaged', 'storage_full', 'storage_read_only'].includes(this.error.code) ? 2 : 1;
  }
}

/**
 * A CLI run's session with the shop: its own core on the data folder, called only through the
 * contract (router, argument schemas, the policy) on the `cli` connection, exactly as a desk calls
 * it. A running app's core hears the run's commits through `PRAGMA data_version` and pokes its desks.
 */
export type CliSession = {
  /** Who the run acts as. */
  caller: { agentId: string; role: Agent['role']; nick: string | null };
  /** One contract call; a refusal throws CliCallError. `shell` is the CLI's own (an export's --out). */
  call<M extends MethodName>(method: M, args: ArgsIn<M>, shell?: ShellContext): Promise<ResultOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  close(): void;
};

export type CliSessionOptions = {
  /**
   * Talk to the team hub while the run lasts (`jiedai join` downloads the shop). Without it a run on
   * a team desk's folder never syncs: its writes wait for the app.
   */
  hubLink?: 'websocket';
};

/**
 * Opens the data folder and signs the run in: as the shop owner (someone at this machine with the
 * shop's data folder), or as `--as NICK` with that account's role and personal phrases; never as
 * whoever last used the desk, so a scheduled job does not depend on it. A shop without accounts
 * yet (an empty start) is the operator's, with the owner's rights.
 */
export async function openCliSession(dataDir: string, as?: unknown, options: CliSessionOptions = {}): Promise<CliSession> {
  const core = new Core({
    dataDir,
    seedDemo: false,
    demoBuyers: { enabled: false },
    watchOtherWritersMs: false,
    presence: false,
    ...(options.hubLink ? { hubLink: options.hubLink } : {}),
  });
  const call = async <M extends MethodName>(method: M, args: ArgsIn<M>, shell?: ShellContext): Promise<ResultOf<M>> => {
    const result = await core.call(method, args, CLI_CONNECTION, shell);
    if (!result.ok) throw new CliCallError(method, result.error);
    return result.value as ResultOf<M>;
  };
  try {
    const agents = await call('agents.list', {});
    let agent: Agent | undefined;
    if (typeof as === 'string') {
      agent = agents.find((a) => a.nick === as);
      if (!agent) throw new UsageError(`--as: no account named ${as} (accounts: ${agents.map((a) => a.nick).join(', ') || 'none'})`);
    } else {
      agent = agents.find((a) => a.role === 'owner');
    }
    core.signIn(CLI_CONNECTION, agent?.id ?? null);
    return {
      caller: agent ? { agentId: agent.id, role: agent.role, nick: agent.nick } : { agentId: '', role: 'owner', nick: null },
      call,
      on: <E extends EventName>(event: E, listener: (payload: Events[E]) => void) =>
        core.on((name: EventName, payload: unknown) => {
          if (name === (event as EventName)) listener(payload as Events[E]);
        }),
      close: () => core.close(),
    };
  } catch (error) {
    core.close();
    throw error;
  }
}

/** Opens a session, runs `fn`, and closes the core whatever happens. */
export async function withCliSession<T>(
  dataDir: string,
  as: unknown,
  fn: (session: CliSession) => Promise<T>,
  options: CliSessionOptions = {},
): Promise<T> {
  const session = await openCliSession(dataDir, as, options);
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}
