import { SEED_HISTORY_MAX_PER_CALL, type HistorySeedReport } from '../../../shared/contract/maintenance';
import { withCliSession } from '../caller';
import { progressLine, UsageError, type Command } from '../command';

/** More than this is almost surely a typo (and would take hours). */
const MAX_MESSAGES = 100_000_000;
/**
 * Messages per `demo.seedHistory` call: the most one call takes (two of the service's transactions),
 * so progress moves every few seconds. Each call ends with a checkpoint and gives back its page
 * cache; calls of 20,000 made a million-message seed a third slower (measured: 28.6 s against 21.5 s).
 */
const PER_CALL = SEED_HISTORY_MAX_PER_CALL;
/** The demo's history seed; each call of the series takes the next one, so no two calls write the same history. */
const FIRST_SEED = 20240618;

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
    return withCliSession(dataDir, undefined, async (cli) => {
      const { seeded } = await cli.call('demo.seedShop', {});
      let history: HistorySeedReport | undefined;
      if (messages > 0) {
        const progress = progressLine(io);
        const started = performance.now();
        history = { messages: 0, conversations: 0, customers: 0, orders: 0, ms: 0 };
        try {
          for (let call = 0; history.messages < messages; call++) {
            const part = await cli.call('demo.seedHistory', {
              messages: Math.min(PER_CALL, messages - history.messages),
              seed: FIRST_SEED + call,
            });
            history.messages += part.messages;
            history.conversations += part.conversations;
            history.customers += part.customers;
            history.orders += part.orders;
            if (part.messages === 0) break; // nothing more fits: never loop on an empty answer
            progress(`seeding ${history.messages.toLocaleString('en-US')} / ${messages.toLocaleString('en-US')} messages`);
          }
        } finally {
          progress(null);
        }
        history.ms = Math.round(performance.now() - started);
      }
      const counts = await cli.call('stats.counts', {});
      if (values.json) {
        io.out(JSON.stringify({ dataDir, seeded, ...(history ? { history } : {}), counts }));
      } else {
        io.out(seeded ? `Demo shop created in ${dataDir}` : `${dataDir} already holds a shop`);
        if (history) {
          const rate = Math.round(history.messages / Math.max(0.001, history.ms / 1000));
          io.out(
            `Added ${history.messages} messages in ${history.conversations} conversations (${history.customers} new buyers, ${history.orders} orders) in ${(history.ms / 1000).toFixed(1)} s, ${rate} messages/s`,
          );
        } else if (!seeded) {
          io.out('nothing changed');
        }
      }
      return 0;
    });
  },
};
