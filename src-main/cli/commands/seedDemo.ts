import { Core } from '../../core/core';
import { seedDemoShop } from '../../services/demo/seedDemo';
import type { Command } from '../command';

export const seedDemoCommand: Command = {
  name: 'seed-demo',
  summary: 'create the demo shop (Chinese) in an empty data folder',
  usage: 'jiedai seed-demo [--data-dir DIR] [--json]',
  options: { json: { type: 'boolean', default: false } },
  async run({ values, dataDir }, io) {
    const core = new Core({ dataDir, seedDemo: false, demoBuyers: { enabled: false } });
    try {
      const seeded = !core.store.settings.get<unknown>('shop', null);
      if (seeded) seedDemoShop(core.store, { now: Date.now() });
      const counts = core.store.stats.counts();
      if (values.json) io.out(JSON.stringify({ dataDir, seeded, counts }));
      else io.out(seeded ? `Demo shop created in ${dataDir}` : `${dataDir} already holds a shop; nothing changed`);
      return 0;
    } finally {
      core.close();
    }
  },
};
