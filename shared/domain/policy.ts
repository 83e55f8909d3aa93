import { AppError } from '../contract/errors';
import type { AgentRole, PhraseScope } from './types';

/**
 * Who may do what: the one place the role rules live. The core asks it before every write, always
 * with the row as stored (never the scope or owner a caller claims); the renderer asks it only to
 * hide what the core would refuse anyway.
 */

/** Who is calling: the agent signed in on the connection, with the role stored for that agent. */
export type Caller = { agentId: string; role: AgentRole };

/** What a phrase or phrase group is, as stored: its library, and for a personal one its owner's id. */
export type LibraryRow = { scope: PhraseScope; owner: string };

/** Shop-wide actions that only some roles may take. */
export type RoleAction =
  /** Team phrases and their groups (统一口径): create, edit, move, delete. */
  | 'keepTeamLibrary'
  /** Importing a file of phrases (it may write the team's library). */
  | 'importPhrases'
  /** Taking the shop's chat logs out (a whole shop's conversations leave the app). */
  | 'exportLogs'
  /** Writing the demo shop or generated history into the store (the CLI's seed-demo). */
  | 'seedDemoData'
  /** Taking a backup of the whole shop by hand (the CLI's backups create). */
  | 'takeBackups'
  /** The platform's red lines: the word list, its exceptions and its import; saving a phrase that holds one. */
  | 'keepRedLines'
  /** The team's routing: the supervisor's view, reassigning anyone's conversation, each agent's maximum of open conversations. */
  | 'superviseTeam'
  /** Reports (数据分析): every agent's numbers, the shop's sales, the table's export, the working hours they count. */
  | 'viewReports'
  /** The hub's channels: API tokens, webhook endpoints and their dead letters, the chat widget's settings. */
  | 'keepChannels'
  /** Automation (issue 16): auto-replies, keyword rules, 催付 rules and their template. */
  | 'keepAutomation';

const LEADS: readonly AgentRole[] = ['supervisor', 'owner'];
const OWNER: readonly AgentRole[] = ['owner'];

const WHO: Record<RoleAction, readonly AgentRole[]> = {
  keepTeamLibrary: LEADS,
  importPhrases: LEADS,
  exportLogs: LEADS,
  seedDemoData: OWNER,
  takeBackups: OWNER,
  keepRedLines: LEADS,
  superviseTeam: LEADS,
  viewReports: LEADS,
  keepChannels: OWNER,
  keepAutomation: LEADS,
};

const REFUSAL: Record<RoleAction, string> = {
  keepTeamLibrary: 'team phrases are kept by supervisors and the shop owner',
  importPhrases: 'importing phrases is for supervisors and the shop owner',
  exportLogs: 'exporting chat logs is for the shop owner and supervisors',
  seedDemoData: 'seeding demo data is for the shop owner',
  takeBackups: 'taking a backup by hand is for the shop owner',
  keepRedLines: 'the red-line list is kept by supervisors and the shop owner',
  superviseTeam: 'reassigning conversations and routing are for supervisors and the shop owner',
  viewReports: 'reports are for supervisors and the shop owner',
  keepChannels: 'API tokens, webhooks and the chat widget are kept by the shop owner',
  keepAutomation: 'auto-replies and payment reminders are set by supervisors and the shop owner',
};

/** Whether an agent of this role may take the action. An unknown role may not. */
export function may(role: AgentRole | undefined, action: RoleAction): boolean {
  return role !== undefined && WHO[action].includes(role);
}

/** Refuses (unauthorized) unless the caller's role may take the action. */
export function requireRole(caller: Caller, action: RoleAction): void {
  if (!may(caller.role, action)) throw new AppError('unauthorized', REFUSAL[action]);
}

/** The library a new phrase or group of this scope belongs to, for this caller. */
export function libraryFor(caller: Caller, scope: PhraseScope): LibraryRow {
  return { scope, owner: scope === 'team' ? '' : caller.agentId };
}

/** Team rows are the whole shop's; a personal row is seen only by its owner. */
export function canSee(caller: Caller, row: LibraryRow): boolean {
  return row.scope === 'team' || row.owner === caller.agentId;
}

/** Everyone keeps their own phrases; the team's are kept by the roles that keep the team library. */
export function canWrite(caller: Caller, row: LibraryRow): boolean {
  return canSee(caller, row) && (row.scope === 'personal' || may(caller.role, 'keepTeamLibrary'));
}

/**
 * Returns the stored row if the caller may see it: a missing row and another agent's personal row
 * are both `not_found`, so nobody learns what someone else keeps.
 */
export function visible<T extends LibraryRow>(caller: Caller, row: T | undefined, what: string): T {
  if (!row || !canSee(caller, row)) throw new AppError('not_found', `no ${what}`);
  return row;
}

/**
 * Returns the (stored or about-to-be-stored) row if the caller may write it: `not_found` as in
 * `visible`, `unauthorized` for a team row and a role that does not keep the team's library.
 */
export function requireWrite<T extends LibraryRow>(caller: Caller, row: T | undefined, what: string): T {
  const seen = visible(caller, row, what);
  if (!canWrite(caller, seen)) throw new AppError('unauthorized', REFUSAL.keepTeamLibrary);
  return seen;
}

// ── Assignment and routing (issue 12) ──

/**
 * Who may hand a conversation on (转接, or back to the queue): its owner as stored, or a lead, who may
 * reassign anyone's and give one from the queue to a colleague. Anyone may take one from the queue
 * (接入: `conversations.take`), which is not a transfer.
 */
export function mayTransfer(caller: Caller, storedOwner: string | null): boolean {
  return (storedOwner !== null && storedOwner === caller.agentId) || may(caller.role, 'superviseTeam');
}

/** Refuses (unauthorized) unless `mayTransfer`. */
export function requireTransfer(caller: Caller, storedOwner: string | null): void {
  if (!mayTransfer(caller, storedOwner))
    throw new AppError('unauthorized', 'only its owner, a supervisor or the shop owner may transfer this conversation');
}

// ── Accounts and the team hub (issue 12) ──

export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 256;

/** Only the shop owner keeps accounts: creates them, disables them, sets their passwords. */
export function requireOwner(caller: Caller): void {
  if (caller.role !== 'owner') throw new AppError('unauthorized', 'accounts are kept by the shop owner');
}

/**
 * Methods a hub never serves, whoever calls: on a hub roles are real, so nobody switches who sits at
 * a desk; there is no demo channel; and nothing may open a folder on the hub's machine.
 */
const HUB_REFUSED: Record<string, string> = {
  'session.switchAgent': 'on a team hub each desk signs in with its own account',
  'demo.configureBuyers': 'a team hub has no demo buyers',
  'logExport.reveal': 'a team hub does not open folders on its own machine',
  'team.status': 'a team hub is not a member of another hub',
  'team.connect': 'a team hub is not a member of another hub',
  'team.leave': 'a team hub is not a member of another hub',
};

/** Why a hub refuses this method outright, or null. */
export function hubRefusal(method: string): string | null {
  return Object.prototype.hasOwnProperty.call(HUB_REFUSED, method) ? HUB_REFUSED[method]! : null;
}

/** On a hub, a connection that has not signed in may call only these. */
export function allowedBeforeSignIn(method: string): boolean {
  return method === 'auth.login' || method === 'auth.resume';
}

// ── A desk joining and leaving a team hub (issue 12, the desk side) ──

/** What a desk is, as `team.connect` and `team.leave` see it. */
export type DeskMembership =
  | { mode: 'standalone' }
  | {
      mode: 'team';
      /** The hub's address as kept (normalized). */
      hubUrl: string;
      /** The account signed in at this desk. */
      agentId: string;
    };

export type TeamRefusal = { reason: 'already_member' | 'busy' | 'pending' | 'not_member'; message: string; pending?: number };

/**
 * Who may connect a desk to a team hub: anyone at a standalone desk, whatever role the demo's
 * account menu shows. Those roles are a menu anyone at the PC can switch, so checking them would
 * protect nothing; what guards the shop is the hub's account and password, and the desk's own data
 * is kept in a backup before the hub's shop replaces it.
 *
 * A member of a team may connect again only to the same hub as the same account (its sign-in ended,
 * or it renews it): the token is replaced and its waiting actions are kept, since they are that
 * account's. Another hub or another account: leave first. The account is compared by the id the hub
 * answered for the password (`request.agentId`, known only after the sign-in), never by the name typed.
 */
export function teamConnectRefusal(
  desk: DeskMembership,
  request: { hubUrl: string; agentId?: string | undefined },
  busy: boolean,
): TeamRefusal | null {
  if (busy) return { reason: 'busy', message: 'this desk is signing in or leaving already' };
  if (desk.mode === 'standalone') return null;
  if (desk.hubUrl !== request.hubUrl)
    return { reason: 'already_member', message: `this desk is a member of the team at ${desk.hubUrl}: leave it first` };
  if (request.agentId !== undefined && request.agentId !== desk.agentId)
    return { reason: 'already_member', message: 'this desk is signed in to this hub as another account: leave the team first' };
  return null;
}

/**
 * Leaving a team: anyone at a member desk (it is that account's desk). Actions the hub has not taken
 * in yet would be lost, so leaving waits for them unless the caller says to drop them.
 */
export function teamLeaveRefusal(desk: DeskMembership, pending: number, discardPending: boolean, busy: boolean): TeamRefusal | null {
  if (busy) return { reason: 'busy', message: 'this desk is signing in or leaving already' };
  if (desk.mode === 'standalone') return { reason: 'not_member', message: 'this desk is not a member of a team' };
  if (pending > 0 && !discardPending)
    return { reason: 'pending', pending, message: `${pending} actions have not reached the hub yet: wait, or leave with discardPending` };
  return null;
}
