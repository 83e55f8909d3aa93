import { Core } from '../../core/core';
import { CLI_CONNECTION } from '../caller';
import type { Command } from '../command';

export const statsCommand: Command = {
  name: 'stats',
  summary: 'print row counts per table',
  usage: 'jiedai stats [--data-dir DIR] [--json]',
  options: { json: { type: 'boolean', default: false } },
  async run({ values, dataDir }, io) {
    const core = new Core({ dataDir, seedDemo: false, demoBuyers: { enabled: false } });
    try {
      const result = await core.call('stats.counts', {}, CLI_CONNECTION);
      if (!result.ok) {
        io.err(`jiedai: ${result.error.message}`);
        return 1;
      }
      const counts = result.value as Record<string, number>;
      if (values.json) io.out(JSON.stringify(counts));
      else for (const [table, n] of Object.entries(counts)) io.out(`${table.padEnd(20)} ${n}`);
      return 0;
    } finally {
      core.close();
    }
  },
};
