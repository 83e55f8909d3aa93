import type { ArgsOut } from '../../shared/contract/methods';
import type { TeamStatus } from '../../shared/contract/team';
import type { Handlers } from './router';

type TeamMethod = 'team.status' | 'team.connect' | 'team.leave';

/** The desk's membership of a team hub (core/teamDesk.ts), reached late: the core makes it after the handlers. */
export type TeamDeps = {
  team: {
    status(): TeamStatus;
    connect(args: ArgsOut<'team.connect'>): Promise<TeamStatus>;
    leave(args: ArgsOut<'team.leave'>): Promise<TeamStatus>;
  };
};

/** `team.*`: who may join or leave is decided in shared/domain/policy.ts (teamConnectRefusal, teamLeaveRefusal). */
export function createTeamHandlers({ team }: TeamDeps): Pick<Handlers, TeamMethod> {
  return {
    'team.status': () => team.status(),
    'team.connect': (args) => team.connect(args),
    'team.leave': (args) => team.leave(args),
  };
}
