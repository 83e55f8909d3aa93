import { Core } from '../../core/core';
import { seedMessageHistory } from '../../services/demo/seedHistory';
import { seedDemoShop } from '../../services/demo/seedDemo';
import { progressLine, UsageError, type Command } from '../command';

/** More than this is almost surely a typo (and would take hours). */
const MAX_MESSAGES = 100_000_000;

export const seedDemoCommand: Command = {
  name: 'seed-demo',
  summary: 'create the demo shop (Chinese) in an empty data folder; --messages N adds N messages of history',
  usage: 'jiedai seed-demo [--messages N] [--data-dir DIR] [--json]',
  options: { json: { type: 'boolean', default: false }, messages: { type: 'string' } },
  async run({ values, dataDir }, io) {
    let messages = 0;
    if (values.messages !== undefined) {
      const raw = String(values.messages).replace(/_/g, '');
      if (!/^\d+$/.test(raw) || Number(raw) > MAX_MESSAGES) {
        throw new UsageError(`--messages takes a whole number from 0 to ${MAX_MESSAGES}, not "${String(values.messages)}"`);
      }
      messages = Number(raw);
    }
    const core = new Core({ dataDir, seedDemo: false, demoBuyers: { enabled: false } });
    try {
      const seeded = seedDemoShop(core.store, { now: Date.now() });
      let history;
      if (messages > 0) {
        const progress = progressLine(io);
        history = seedMessageHistory(core.store, {
          messages,
          now: Date.now(),
          onProgress: (written) => progress(`seeding ${written.toLocaleString('en-US')} / ${messages.toLocaleString('en-US')} messages`),
        });
        progress(null);
      }
      const counts = core.store.stats.counts();
      if (values.json) {
        io.out(JSON.stringify({ dataDir, seeded, ...(history ? { history } : {}), counts }));
      } else {
        io.out(seeded ? `Demo shop created in ${dataDir}` : `${dataDir} already holds a shop`);
        if (history) {
          const rate = Math.round(history.messages / Math.max(0.001, history.ms / 1000));
          io.out(`Added ${history.messages} messages in ${history.conversations} conversations (${history.customers} new buyers, ${history.orders} orders) in ${(history.ms / 1000).toFixed(1)} s, ${rate} messages/s`);
        } else if (!seeded) {
          io.out('nothing changed');
        }
      }
      return 0;
    } finally {
      core.close();
    }
  },
};
