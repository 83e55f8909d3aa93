import type { Worker } from 'node:worker_threads';
import type { Account } from '../../shared/contract/accounts';
import { AppError, fail, type Result } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import { spawnWorker } from '../platform/spawnWorker';
import { sharedReceiver } from '../platform/sharedAnswer';
import type { DownloadFile } from '../services/logExport/downloadTickets';
import type { StoreFaultKind } from '../store/faults';
import type { ChannelEvent } from '../services/channels';
import type { ShellContext } from './shellContext';
import type { CoreWorkerData, FromCore, ToCore } from './workerProtocol';

/** The core did not start; for a fault of the data folder `fault` names it and `message` says it in a sentence. */
export class CoreStartError extends Error {
  constructor(
    message: string,
    readonly fault: StoreFaultKind | null,
    readonly path: string | null,
  ) {
    super(message);
    this.name = 'CoreStartError';
  }
}

type Listener = <E extends EventName>(name: E, payload: Events[E]) => void;

/**
 * Starts the core in a worker thread. From the bundled app (dist/main/<entry>/x.js) the worker is
 * dist/main/core/worker.js; from source (tests, tsx) it is worker.ts, loaded through tsx.
 */
function spawnCoreWorker(data: CoreWorkerData): Worker {
  return spawnWorker(import.meta.url, { source: './worker.ts', bundled: '../core/worker.js' }, { workerData: data });
}

/** The shell's handle on the core: calls, events, and an orderly close. */
export class CoreClient {
  private nextId = 1;
  private pending = new Map<number, (result: Result<unknown>) => void>();
  private listeners = new Set<Listener>();
  private endedListeners = new Set<(connections: string[]) => void>();
  private channelListeners = new Set<(events: ChannelEvent[]) => void>();
  private exited = false;

  private constructor(private readonly worker: Worker) {
    const shared = sharedReceiver();
    worker.on('message', (message: FromCore) => {
      if (message.type === 'result') {
        this.pending.get(message.id)?.(message.result);
        this.pending.delete(message.id);
      } else if (message.type === 'sharedResult') {
        // Decoded once and marked with its JSON: every socket that asked sends those same bytes.
        const value = shared(message.shared);
        this.pending.get(message.id)?.({ ok: true, value });
        this.pending.delete(message.id);
      } else if (message.type === 'event') {
        for (const l of this.listeners) l(message.name, message.payload as never);
      } else if (message.type === 'connectionsEnded') {
        for (const l of this.endedListeners) l(message.connections);
      } else if (message.type === 'channelEvents') {
        for (const l of this.channelListeners) l(message.events);
      }
    });
    worker.on('exit', () => {
      this.exited = true;
      for (const resolve of this.pending.values()) resolve(fail('unavailable', 'the core stopped'));
      this.pending.clear();
    });
  }

  static start(data: CoreWorkerData): Promise<CoreClient> {
    const worker = spawnCoreWorker(data);
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromCore) => {
        if (message.type === 'ready') {
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve(new CoreClient(worker));
        } else if (message.type === 'fatal') {
          reject(new CoreStartError(message.message, message.fault ?? null, message.path ?? null));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new CoreStartError(`the core stopped while starting (exit code ${code})`, null, null)));
    });
  }

  /**
   * One contract call, made on a connection (each window, socket or CLI run names its own): the core
   * acts as the agent signed in on it. `shell` is for the Electron shell's own additions (see
   * ShellContext). Arguments that cannot cross to the thread (nested too deep for the structured
   * clone, functions, symbols) are refused as `invalid_argument`, never thrown.
   */
  call(method: string, args: unknown, connection: string, shell?: ShellContext): Promise<Result<unknown>> {
    if (this.exited) return Promise.resolve(fail('unavailable', 'the core stopped'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        this.post({ type: 'call', id, method, args, connection, ...(shell ? { shell } : {}) });
      } catch (error) {
        this.pending.delete(id);
        const why = error instanceof RangeError ? 'they nest too deep' : 'they are not plain data';
        resolve(fail('invalid_argument', `the arguments of ${String(method).slice(0, 80)} cannot be sent to the core: ${why}`));
      }
    });
  }

  /** The hub shell's channel operation (see Core.channel); `unavailable` once the core stopped. */
  channel(op: string, args: unknown): Promise<Result<unknown>> {
    if (this.exited) return Promise.resolve(fail('unavailable', 'the core stopped'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        this.post({ type: 'channel', id, op, args });
      } catch {
        this.pending.delete(id);
        resolve(fail('invalid_argument', 'the channel arguments cannot be sent to the core'));
      }
    });
  }

  /** For the hub: what its channels must tell buyers' widgets, and webhook deliveries due. */
  onChannelEvents(listener: (events: ChannelEvent[]) => void): () => void {
    this.channelListeners.add(listener);
    return () => this.channelListeners.delete(listener);
  }

  /** Browser mode: the finished export a download ticket stands for, once; null when unknown, used or expired. */
  async redeemDownload(ticket: string): Promise<DownloadFile | null> {
    if (this.exited) return null;
    const id = this.nextId++;
    const result = await new Promise<Result<unknown>>((resolve) => {
      this.pending.set(id, resolve);
      this.post({ type: 'redeem', id, ticket });
    });
    return result.ok ? (result.value as DownloadFile | null) : null;
  }

  /** The hub's first-run page: whether the shop has its owner yet, and its name. */
  async hubSetup(): Promise<{ hasOwner: boolean; shopName: string }> {
    const result = await this.request((id) => ({ type: 'hubSetup', id }));
    if (!result.ok) throw new AppError(result.error.code, result.error.message);
    return result.value as { hasOwner: boolean; shopName: string };
  }

  /** The hub's first-run page creates the shop and its owner; a refusal (an owner exists: `conflict`) is thrown as AppError. */
  async initShop(shopName: string, ownerNick: string, password: string): Promise<Account> {
    const result = await this.request((id) => ({ type: 'initShop', id, shopName, ownerNick, password }));
    if (!result.ok) throw new AppError(result.error.code, result.error.message);
    return result.value as Account;
  }

  private request(message: (id: number) => ToCore): Promise<Result<unknown>> {
    if (this.exited) return Promise.resolve(fail('unavailable', 'the core stopped'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post(message(id));
    });
  }

  /** The connection is gone (a window destroyed, a socket closed): the core forgets its session. */
  disconnect(connection: string): void {
    if (this.exited) return;
    this.post({ type: 'disconnect', connection });
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Connections whose sign-in session ended (logged out, revoked, disabled): the hub closes them. */
  onConnectionsEnded(listener: (connections: string[]) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Closes the database cleanly (checkpointing the WAL), then ends the thread. */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.post({ type: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), timeoutMs);
    await done;
    clearTimeout(timer);
  }

  /** Ends the thread at once, as a crash would (used by tests of durability). */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }

  private post(message: ToCore): void {
    this.worker.postMessage(message);
  }
}
