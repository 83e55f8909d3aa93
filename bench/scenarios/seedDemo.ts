import path from 'node:path';
import { seedDemoShop } from '../../src-main/services/demo/seedDemo';
import { seedMessageHistory } from '../../src-main/services/demo/seedHistory';
import { median, type Scenario } from '../harness';
import { openBareIngest, type BareMessage } from './bareIngest';
import { tempStore } from './fixtures';

/**
 * `jiedai seed-demo --messages N`, which tests and newcomers wait on: the whole history seed
 * (buyers, tags, orders, conversations, messages, search index, change rows) in msgs/s.
 */
export const seedDemoScenario: Scenario = {
  name: 'seed-demo-200k',
  what: 'seed-demo history of 200k messages (buyers, orders, conversations, search index, change rows), as the CLI writes it',
  unit: 'msgs/s',
  better: 'higher',
  target: 50_000,
  async run({ quick }) {
    const count = quick ? 50_000 : 200_000;
    const rounds = quick ? 1 : 3;
    const results: { ours: number; fair: number }[] = [];
    for (let r = 0; r < rounds; r++) results.push(round(count));
    return {
      value: median(results.map((x) => x.ours)),
      baseline: {
        label:
          "bare batched INSERT of the same messages (same schema, FTS, change rows, the seed's bulk settings), without the seed's other rows",
        value: median(results.map((x) => x.fair)),
      },
      details: { messagesPerRound: count, rounds, roundsMsgsPerSecond: results.map((x) => Math.round(x.ours)).join(' ') },
    };
  },
};

function round(count: number): { ours: number; fair: number } {
  const t = tempStore();
  try {
    const now = Date.UTC(2024, 5, 18);
    seedDemoShop(t.store, { now });
    const before = t.store.db.prepare('SELECT coalesce(max(rowid), 0) FROM messages').pluck().get() as number;
    const result = seedMessageHistory(t.store, { messages: count, now });
    const rows = t.store.db
      .prepare(
        'SELECT id, conversation_id, sender, agent_id, kind, text, order_id, created_at FROM messages WHERE rowid > ? ORDER BY rowid',
      )
      .all(before) as BareMessage[];
    const fair = openBareIngest(path.join(t.dir, 'fair.sqlite'), rows, { bulk: true });
    const start = performance.now();
    try {
      for (let i = 0; i < rows.length; i += 50_000) fair.write(i, Math.min(rows.length, i + 50_000));
    } finally {
      fair.close();
    }
    const fairSeconds = (performance.now() - start) / 1000;
    return { ours: count / (result.ms / 1000), fair: rows.length / fairSeconds };
  } finally {
    t.dispose();
  }
}
