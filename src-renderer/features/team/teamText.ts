import type { ContractError } from '../../../shared/contract/errors';
import { teamFailure, type TeamStatus } from '../../../shared/contract/team';
import { formatCount, type MessageKey, type Translate, type Vars } from '../../../shared/i18n';
import { errorText } from '../../i18n';

/** A refusal of `team.*` as one sentence: its reason's words, or the code's for anything else. */
export function teamErrorText(t: Translate, error: ContractError): string {
  const failure = teamFailure(error);
  if (!failure) return errorText(t, error);
  return t(`team.error.${failure.reason}`, { seconds: failure.retryAfterSeconds ?? 60, n: formatCount(failure.pending ?? 0) });
}

export type Tone = 'ok' | 'busy' | 'warn' | 'alert';

/** What the header says of the link to the hub (null: a standalone desk shows nothing). */
export function teamIndicator(s: TeamStatus | null): { key: MessageKey; vars?: Vars; tone: Tone } | null {
  if (!s || s.mode !== 'team') return null;
  switch (s.link) {
    case 'signed-out':
      return { key: 'team.header.signedOut', tone: 'alert' };
    case 'offline':
      return s.pending > 0
        ? { key: 'team.header.offlinePending', vars: { n: formatCount(s.pending) }, tone: 'warn' }
        : { key: 'team.header.offline', tone: 'warn' };
    case 'connecting':
      return { key: 'team.header.connecting', tone: 'busy' };
    default:
      return s.pending > 0 || s.bootstrap.loading
        ? { key: 'team.header.syncing', tone: 'busy' }
        : { key: 'team.header.online', tone: 'ok' };
  }
}

/** The shop is on this desk and the link is up: a sign-in is finished. */
export function teamSettled(s: TeamStatus | null): boolean {
  return !!s && s.mode === 'team' && s.link === 'online' && s.bootstrap.ready && !s.bootstrap.loading;
}
