import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CoreClient } from '../../src-main/core/coreClient';
import { openStore } from '../../src-main/store';
import { addCustomerWithConversation } from '../../src-main/store/testing';
import { percentile, sample, type Scenario } from '../harness';
import { ingest } from './fixtures';

/**
 * Opening a search result (issue 15): the agent picked a hit somewhere in a 10k-message
 * conversation; the desk asks the core for the messages around it (`messages.around`, 30 before and
 * 200 after, as ConversationAt does) through the core's worker thread, and gets the answer back.
 * Hits are spread over the whole conversation (old ones too), each a 退款 message found by search.
 */
export const searchOpenScenario: Scenario = {
  name: 'search-open-10k',
  what: 'open a search hit in a 10k-message conversation: messages.around (30 before, 200 after) through the core worker (p95)',
  unit: 'ms',
  better: 'lower',
  target: 200,
  async run({ quick }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bench-open-'));
    const file = path.join(dir, 'jiedai.sqlite');
    const seeding = openStore(file);
    const conversationId = addCustomerWithConversation(seeding, '买家-长对话').conversationId;
    ingest(seeding, [conversationId], 10_000);
    const other = addCustomerWithConversation(seeding, '买家-其他').conversationId;
    ingest(seeding, [other], 2_000, { from: 10_000 });
    // The 退款 messages of the long conversation, as the search finds them, oldest to newest.
    const hits = seeding.db
      .prepare(`SELECT id FROM messages WHERE conversation_id = ? AND text LIKE '%退款%' ORDER BY created_at`)
      .pluck()
      .all(conversationId) as string[];
    seeding.close();
    const core = await CoreClient.start({ dataDir: dir, demoBuyers: { enabled: false } });
    try {
      const runs = quick ? 100 : 400;
      const step = Math.max(1, Math.floor(hits.length / runs));
      let n = 0;
      const open = async () => {
        const messageId = hits[(n++ * step) % hits.length]!;
        const r = await core.call('messages.around', { conversationId, messageId, before: 30, after: 200 }, 'bench');
        if (!r.ok) throw new Error(`messages.around failed: ${JSON.stringify(r)}`);
      };
      await open(); // the first open pays for statement preparation, as a desk's first search does
      const ours = await sample(open, runs, 20);
      let m = 0;
      const bare = await sample(() => core.call('app.info', {}, 'bench').then(() => m++), runs, 20);
      return {
        value: percentile(ours, 95),
        baseline: { label: 'bare contract call (app.info) through the worker', value: percentile(bare, 95) },
        details: { medianMs: percentile(ours, 50), runs, hits: hits.length, messagesInConversation: 10_000 },
      };
    } finally {
      await core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
