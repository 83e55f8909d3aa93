import type { Store } from '../store';
import type { CallContext } from './router';

/** More live connections than any desk makes; past it the least recently used session is forgotten. */
export const MAX_SESSIONS = 1_000;
const MAX_CONNECTION_ID = 200;

/**
 * Who is signed in on each connection (an Electron window, a browser-mode socket, a CLI run). A new
 * connection starts as the PC's default agent: the one who last signed in here (the stored
 * `currentAgentId`). Switching changes that connection only, and the default for connections still
 * to come; the other windows keep acting as themselves.
 */
export class Sessions {
  /** connection → agent id, in least-recently-used order. */
  private readonly agents = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly max = MAX_SESSIONS,
  ) {}

  /** The agent a new connection starts as. */
  defaultAgent(): string {
    return this.store.settings.get<string>('currentAgentId', '');
  }

  static validConnection(connection: unknown): connection is string {
    return typeof connection === 'string' && connection.length > 0 && connection.length <= MAX_CONNECTION_ID;
  }

  agentOf(connection: string): string {
    const known = this.agents.get(connection);
    const agentId = known ?? this.defaultAgent();
    this.remember(connection, agentId);
    return agentId;
  }

  /** The caller of one call on this connection, its role read from the stored agent (never claimed). */
  context(connection: string): CallContext {
    const agentId = this.agentOf(connection);
    return { connection, agentId, role: this.store.agents.get(agentId)?.role ?? 'agent' };
  }

  /** Signs this connection in as the agent; `asDefault` also makes them the PC's default for new connections. */
  signIn(connection: string, agentId: string, asDefault: boolean): void {
    this.remember(connection, agentId);
    if (asDefault) this.store.settings.set('currentAgentId', agentId);
  }

  /** The connection is gone (window destroyed, socket closed): its session with it. */
  disconnect(connection: string): void {
    this.agents.delete(connection);
  }

  /** The agents signed in on live connections, each once, the most recently active first. */
  signedIn(): string[] {
    return [...new Set([...this.agents.values()].reverse())];
  }

  private remember(connection: string, agentId: string): void {
    this.agents.delete(connection);
    this.agents.set(connection, agentId);
    if (this.agents.size > this.max) this.agents.delete(this.agents.keys().next().value as string);
  }
}
