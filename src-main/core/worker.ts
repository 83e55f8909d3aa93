import { parentPort, workerData } from 'node:worker_threads';
import { AppError, fail, ok, type Result } from '../../shared/contract/errors';
import { createLogger } from '../platform/log';
import { sharedSender } from '../platform/sharedAnswer';
import { classifyStoreError, StoreFaultError } from '../store/faults';
import { faultSentence } from './faultText';
import { startCore, type CoreHandle } from './recovery';
import type { CoreWorkerData, FromCore, ToCore } from './workerProtocol';

/**
 * The core's thread. It owns the SQLite connection so that no query ever stalls the shell's event
 * loop (and with it the windows' input). It speaks only the small protocol in workerProtocol.ts.
 */
const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');

const post = (message: FromCore) => port.postMessage(message);
const log = createLogger('core').error;

function start(): CoreHandle | null {
  try {
    return startCore(workerData as CoreWorkerData, log);
  } catch (error) {
    fatal(error);
    return null; // nothing listens any more: the thread ends once the message is out
  }
}

function fatal(error: unknown): void {
  // A fault of the data folder becomes a sentence the shell can print as it is; anything else keeps its message.
  const fault = classifyStoreError(error);
  const where = error instanceof StoreFaultError ? error.path : (workerData as CoreWorkerData).dataDir;
  post({
    type: 'fatal',
    message: fault
      ? faultSentence(fault, where, (workerData as CoreWorkerData).lang)
      : error instanceof Error
        ? error.message
        : String(error),
    ...(fault ? { fault, path: where } : {}),
  });
}

const core = start();

/** The hub's first-run steps (shell-side calls of the Core; a store waiting for recovery has none). */
async function shellStep(message: Extract<ToCore, { type: 'hubSetup' | 'initShop' }>): Promise<Result<unknown>> {
  const live = core?.core();
  if (!live) return fail('store_damaged', 'the data file is damaged: restore a backup first');
  try {
    if (message.type === 'hubSetup') return ok(live.hubSetup());
    return ok(await live.initShop(message.shopName, message.ownerNick, message.password));
  } catch (error) {
    if (error instanceof AppError) return fail(error.code, error.message);
    log('the shop could not be created', error);
    return fail('internal', 'the shop could not be created');
  }
}
if (core) {
  // A pull page every woken desk asks for crosses to the shell once, as JSON, not once per desk.
  const shared = sharedSender();
  const answer = (id: number, result: Result<unknown>) => {
    const sent = result.ok ? shared(result.value) : undefined;
    post(sent ? { type: 'sharedResult', id, shared: sent } : { type: 'result', id, result });
  };
  core.on((name, payload) => post({ type: 'event', name, payload }));
  core.onConnectionsEnded((connections) => post({ type: 'connectionsEnded', connections }));
  core.onChannelEvents((events) => post({ type: 'channelEvents', events }));
  port.on('message', (message: ToCore) => {
    if (message.type === 'call') {
      void core.call(message.method, message.args, message.connection, message.shell).then((result) => answer(message.id, result));
    } else if (message.type === 'channel') {
      void core.channel(message.op, message.args).then((result) => post({ type: 'result', id: message.id, result }));
    } else if (message.type === 'redeem') {
      post({ type: 'result', id: message.id, result: { ok: true, value: core.redeemDownload(message.ticket) } });
    } else if (message.type === 'hubSetup' || message.type === 'initShop') {
      void shellStep(message).then((result) => post({ type: 'result', id: message.id, result }));
    } else if (message.type === 'disconnect') {
      core.disconnect(message.connection);
    } else if (message.type === 'close') {
      core.close();
      post({ type: 'closed' });
      port.close();
    }
  });
  post({ type: 'ready' });
}
