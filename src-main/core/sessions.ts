import type { Store } from '../store';
import type { CallContext } from './router';

/** More live connections than any desk makes; past it the least recently used session is forgotten. */
export const MAX_SESSIONS = 1_000;
const MAX_CONNECTION_ID = 200;

/**
 * Who is signed in on each connection (an Electron window, a browser-mode socket, a hub socket, a CLI
 * run). On a desk, a new connection starts as the PC's default agent: the one who last signed in here
 * (the stored `currentAgentId`). Switching changes that connection only, and the default for
 * connections still to come; the other windows keep acting as themselves.
 *
 * On a hub (`requireSignIn`) a connection is nobody until it signs in with a password or a session
 * token; it is then bound to that sign-in session, so ending the session finds its connections.
 */
export class Sessions {
  /** connection → agent id, in least-recently-used order. */
  private readonly agents = new Map<string, string>();
  /** connection → the sign-in session (a `sessions` row) it is bound to. */
  private readonly bound = new Map<string, string>();
  /** Shell connections signed in as the machine's operator of a shop without accounts (see Core.signIn). */
  private readonly operators = new Set<string>();
  /** Told when who is signed in may have changed (a connection came, went, or switched agent): presence follows. */
  onChange: () => void = () => undefined;

  constructor(
    private readonly store: Store,
    private readonly max = MAX_SESSIONS,
    private readonly requireSignIn = false,
  ) {}

  /** The agent a new connection starts as (on a hub: nobody). */
  defaultAgent(): string {
    return this.requireSignIn ? '' : this.store.settings.get<string>('currentAgentId', '');
  }

  static validConnection(connection: unknown): connection is string {
    return typeof connection === 'string' && connection.length > 0 && connection.length <= MAX_CONNECTION_ID;
  }

  agentOf(connection: string): string {
    const known = this.agents.get(connection);
    if (known === undefined && this.requireSignIn) return '';
    const agentId = known ?? this.defaultAgent();
    this.remember(connection, agentId);
    return agentId;
  }

  /** The caller of one call on this connection, its role read from the stored agent (never claimed). */
  context(connection: string): CallContext {
    if (this.operators.has(connection)) return { connection, agentId: '', role: 'owner' };
    const agentId = this.agentOf(connection);
    return { connection, agentId, role: this.store.agents.get(agentId)?.role ?? 'agent' };
  }

  /**
   * Signs this connection in as the agent; `asDefault` also makes them the PC's default for new
   * connections; `session` binds it to a sign-in session (auth.login, auth.resume).
   */
  signIn(connection: string, agentId: string, asDefault: boolean, session?: string): void {
    this.operators.delete(connection);
    this.remember(connection, agentId);
    if (session === undefined) this.bound.delete(connection);
    else this.bound.set(connection, session);
    if (asDefault) this.store.settings.set('currentAgentId', agentId);
  }

  /** The sign-in session this connection is bound to, if any. */
  sessionOf(connection: string): string | undefined {
    return this.bound.get(connection);
  }

  /** The live connections bound to any of these sign-in sessions. */
  connectionsOn(sessions: readonly string[]): string[] {
    const wanted = new Set(sessions);
    return [...this.bound].filter(([, session]) => wanted.has(session)).map(([connection]) => connection);
  }

  /** The connection is gone (window destroyed, socket closed) or signed out: its session with it. */
  disconnect(connection: string): void {
    const had = this.agents.delete(connection);
    this.bound.delete(connection);
    this.operators.delete(connection);
    if (had) this.onChange();
  }

  /** A shell's connection acting for whoever holds the data folder, in a shop with no accounts yet (role owner, no agent). */
  signInOperator(connection: string): void {
    if (this.agents.delete(connection)) this.onChange();
    this.operators.add(connection);
  }

  /** Everyone is signed in again as the default (the desk joined a team: its account is the hub's). */
  resetAll(): void {
    this.agents.clear();
    this.onChange();
  }

  /** The agents signed in on live connections, each once, the most recently active first. */
  signedIn(): string[] {
    return [...new Set([...this.agents.values()].reverse())];
  }

  private remember(connection: string, agentId: string): void {
    const before = this.agents.get(connection);
    this.agents.delete(connection);
    this.agents.set(connection, agentId);
    if (this.agents.size > this.max) {
      const oldest = this.agents.keys().next().value as string;
      this.agents.delete(oldest);
      this.bound.delete(oldest);
    }
    if (before !== agentId) this.onChange();
  }
}
