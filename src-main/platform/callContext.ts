import type { Caller } from '../../shared/domain/policy';

/**
 * Who is calling: the connection the call came on (an IPC sender, a WebSocket, a CLI run) and the
 * agent signed in on it, with the role stored for that agent. The router hands it to every handler
 * and the handlers pass it on to the services; there is no "current agent" anywhere else.
 */
export type ConnectionCaller = Caller & { connection: string };
