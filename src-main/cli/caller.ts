import type { Caller } from '../../shared/domain/policy';
import type { Core } from '../core/core';
import { UsageError } from './command';

/** The CLI run's own connection to its in-process core. */
export const CLI_CONNECTION = 'cli';

/**
 * Who a CLI run acts as: someone at this machine with the shop's data folder, so the shop owner,
 * unless `--as NICK` names another account (whose personal phrases it then reads and writes). Never
 * the desk's last sign-in: a scheduled job must not depend on who used the app last.
 */
export function cliCaller(core: Core, as: unknown): Caller {
  const agents = core.store.agents.list();
  if (typeof as === 'string') {
    const agent = agents.find((a) => a.nick === as);
    if (!agent) throw new UsageError(`--as: no account named ${as} (accounts: ${agents.map((a) => a.nick).join(', ') || 'none'})`);
    core.signIn(CLI_CONNECTION, agent.id);
    return { agentId: agent.id, role: agent.role };
  }
  const owner = agents.find((a) => a.role === 'owner');
  if (owner) core.signIn(CLI_CONNECTION, owner.id);
  // A shop without accounts yet: the team's library is still the operator's to fill.
  return { agentId: owner?.id ?? '', role: 'owner' };
}
