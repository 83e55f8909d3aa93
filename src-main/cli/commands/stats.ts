import { withCliSession } from '../caller';
import type { Command } from '../command';

export const statsCommand: Command = {
  name: 'stats',
  summary: 'print row counts per table',
  usage: 'jiedai stats [--data-dir DIR] [--json]',
  options: { json: { type: 'boolean', default: false } },
  async run({ values, dataDir }, io) {
    const counts = await withCliSession(dataDir, undefined, (cli) => cli.call('stats.counts', {}));
    if (values.json) io.out(JSON.stringify(counts));
    else for (const [table, n] of Object.entries(counts)) io.out(`${table.padEnd(20)} ${n}`);
    return 0;
  },
};
