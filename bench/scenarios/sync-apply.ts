import 'fake-indexeddb/auto';
import { liveQuery } from 'dexie';
import type { Result } from '../../shared/contract/errors';
import type { ConversationSummary } from '../../shared/domain/types';
import { CoreClient } from '../../src-main/core/coreClient';
import { conversationSummaries } from '../../src-renderer/db/queries';
import { ReplicaDb } from '../../src-renderer/db/replicaDb';
import { SyncEngine, type SyncTransport } from '../../src-renderer/db/syncEngine';
import { directTransport } from '../../tests/sync/transport';
import { percentile, syncShop, type SyncBenchResult } from './sync-fixture';

/**
 * 1,000 changes arrive in one pull (500 agent replies across the open conversations: a message and
 * a conversation row each); the figure is the time from the pull's answer reaching the engine to the
 * conversation list's live query (the same query the desk's list runs) emitting the last of them:
 * one transaction of plan, rows, cursor and rebase, then the query re-run. p95 over the rounds.
 */
export async function runSyncApply1000(options: { quick?: boolean } = {}): Promise<SyncBenchResult> {
  const rounds = options.quick ? 8 : 30;
  const shop = syncShop({ customers: 2000, orders: 1000, phrases: 500, conversations: 200, messagesEach: 20 });
  const core = await CoreClient.start({ dataDir: shop.dir, demoBuyers: { enabled: false } });
  const db = new ReplicaDb(`bench-apply-${Date.now()}`);
  const direct = directTransport(core);
  let pulledAt = 0;
  // Marks when a pull's answer is handed to the engine.
  const transport: SyncTransport = {
    call: async (method, args) => {
      const result = await direct.call(method, args);
      if (method === 'sync.pull') pulledAt = performance.now();
      return result;
    },
    on: () => () => undefined, // no pokes: each round pulls once, on request
  };
  const engine = new SyncEngine(db, transport, { pollMs: 0, pullLimit: 1000, log: () => undefined });
  try {
    engine.start();
    await engine.idle();
    const list = (await core.call('conversations.list', { status: 'open' }, 'bench')) as Result<ConversationSummary[]>;
    if (!list.ok) throw new Error('no conversations');
    const ids = list.value.map((c) => c.id);
    const samples: number[] = [];
    for (let round = 0; round < rounds + 3; round++) {
      const marker = `第${round}轮的最后一条`;
      for (let i = 0; i < 499; i++)
        await core.call(
          'messages.send',
          { id: `r${round}-${i}`, conversationId: ids[i % ids.length]!, text: `批量回复 ${round}-${i}` },
          'bench',
        );
      await core.call('messages.send', { id: `r${round}-last`, conversationId: ids[0]!, text: marker }, 'bench');
      const seen = new Promise<number>((resolve) => {
        const sub = liveQuery(() => conversationSummaries(db)).subscribe((rows) => {
          if (rows?.some((c) => c.lastMessagePreview === marker)) {
            const at = performance.now();
            queueMicrotask(() => sub.unsubscribe());
            resolve(at);
          }
        });
      });
      engine.sync();
      const at = await seen;
      await engine.idle();
      if (round >= 3) samples.push(at - pulledAt); // the first rounds warm up
    }
    // Baseline: the list's query alone over the same replica (what any change costs to show).
    const query: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      await conversationSummaries(db);
      query.push(performance.now() - started);
    }
    const changes = 1000;
    return {
      baseline: { label: "the list's query alone", value: Number(percentile(query, 95).toFixed(1)) },
      name: 'sync-apply-1000',
      value: Number(percentile(samples, 95).toFixed(1)),
      unit: 'ms',
      target: 50,
      better: 'lower',
      details: {
        medianMs: Number(percentile(samples, 50).toFixed(1)),
        rounds,
        changesPerPull: changes,
        conversations: ids.length,
        storage: 'fake-indexeddb (Node)',
      },
    };
  } finally {
    engine.stop();
    db.close();
    await db.delete();
    await core.close();
    shop.dispose();
  }
}
