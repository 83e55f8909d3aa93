import type { Result } from '../../shared/contract/errors';
import type { EventName } from '../../shared/contract/events';
import type { StoreFaultKind } from '../store/faults';
import type { ChannelEvent } from '../services/channels';
import type { StartCoreOptions } from './recovery';
import type { ShellContext } from './shellContext';

/** What the shell hands the core worker at start (plain data: it crosses a thread boundary). */
export type CoreWorkerData = Omit<StartCoreOptions, 'now' | 'log'>;

/**
 * `call`: `connection` names where the call came from (an IPC sender, a WebSocket, a CLI run): the
 * core keeps who is signed in per connection, and `disconnect` forgets it. `shell` is what the shell
 * adds to a call (the save dialog's choice), beside the renderer's args. `redeem`: the browser-mode
 * host trading a download ticket for the file it stands for. `hubSetup` and `initShop`: the
 * hub's first-run page (shell-side calls, never a desk's).
 */
export type ToCore =
  | { type: 'call'; id: number; method: string; args: unknown; connection: string; shell?: ShellContext }
  | { type: 'redeem'; id: number; ticket: string }
  /** The hub's first start (its first-run page): whether the shop has an owner; then naming the shop and creating it. */
  | { type: 'hubSetup'; id: number }
  | { type: 'initShop'; id: number; shopName: string; ownerNick: string; password: string }
  /** The hub shell's channel operation (a bridge's or a widget visitor's, read off the network). */
  | { type: 'channel'; id: number; op: string; args: unknown }
  | { type: 'disconnect'; connection: string }
  | { type: 'close' };

export type FromCore =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: Result<unknown> }
  /** A successful answer many callers get as one object (a pull page): its JSON the first time, then its key. */
  | { type: 'sharedResult'; id: number; shared: { key: number; json?: string } }
  | { type: 'event'; name: EventName; payload: unknown }
  /** For the shell only: connections whose sign-in session ended (the hub closes their sockets). */
  | { type: 'connectionsEnded'; connections: string[] }
  /** For the hub shell only: what its channels must tell buyers' widgets, and webhook deliveries due. */
  | { type: 'channelEvents'; events: ChannelEvent[] }
  /** The core could not start. `message` is a sentence for the user when `fault` names a data-folder fault. */
  | { type: 'fatal'; message: string; fault?: StoreFaultKind; path?: string }
  | { type: 'closed' };
