import { parentPort, workerData } from 'node:worker_threads';
import { Core } from './core';
import type { CoreWorkerData, FromCore, ToCore } from './workerProtocol';

/**
 * The core's thread. It owns the SQLite connection so that no query ever stalls the shell's event
 * loop (and with it the windows' input). It speaks only the small protocol in workerProtocol.ts.
 */
const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');

const post = (message: FromCore) => port.postMessage(message);

let core: Core;
try {
  core = new Core(workerData as CoreWorkerData);
} catch (error) {
  post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  throw error;
}

core.on((name, payload) => post({ type: 'event', name, payload }));

port.on('message', (message: ToCore) => {
  if (message.type === 'call') {
    void core.call(message.method, message.args, message.connection, message.shell).then((result) => post({ type: 'result', id: message.id, result }));
  } else if (message.type === 'redeem') {
    post({ type: 'result', id: message.id, result: { ok: true, value: core.redeemDownload(message.ticket) } });
  } else if (message.type === 'disconnect') {
    core.disconnect(message.connection);
  } else if (message.type === 'close') {
    core.close();
    post({ type: 'closed' });
    port.close();
  }
});

post({ type: 'ready' });
