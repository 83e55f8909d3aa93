import 'fake-indexeddb/auto';
import { newId } from '../../shared/domain/ids';
import { fail, type Result } from '../../shared/contract/errors';
import type { ConversationSummary, Tag } from '../../shared/domain/types';
import { CoreClient } from '../../src-main/core/coreClient';
import { ReplicaDb } from '../../src-renderer/db/replicaDb';
import { SyncEngine, type SyncTransport } from '../../src-renderer/db/syncEngine';
import { directTransport } from '../../tests/sync/transport';
import { percentile, syncShop, type SyncBenchResult } from './sync-fixture';

/**
 * 1,000 actions queued while the core was out of reach (replies, tags, remarks, flags and memos, in
 * the desk's proportions), then the connection comes back: the time from reconnecting until the
 * outbox is empty (every action pushed, applied once, and covered by a pulled change). Median of the
 * rounds; each round on a fresh replica and outbox.
 */
export async function runSyncPush1000(options: { quick?: boolean } = {}): Promise<SyncBenchResult> {
  const rounds = options.quick ? 2 : 5;
  const shop = syncShop({ customers: 2000, orders: 1000, phrases: 500, conversations: 200, messagesEach: 10 });
  const core = await CoreClient.start({ dataDir: shop.dir, demoBuyers: { enabled: false } });
  try {
    const list = (await core.call('conversations.list', { status: 'open' }, 'bench')) as Result<ConversationSummary[]>;
    const tags = (await core.call('tags.list', {}, 'bench')) as Result<Tag[]>;
    if (!list.ok || !tags.ok) throw new Error('fixture');
    const conversations = list.value;
    const samples: number[] = [];
    let pushes = 0;
    for (let round = 0; round < rounds; round++) {
      const db = new ReplicaDb(`bench-push-${round}-${Date.now()}`);
      let online = true;
      const direct = directTransport(core);
      const connection = new Set<(state: 'open' | 'closed') => void>();
      const transport: SyncTransport = {
        call: (method, args) => {
          if (method === 'sync.push') pushes += 1;
          return online ? direct.call(method, args) : Promise.resolve(fail('unavailable', 'offline'));
        },
        on: direct.on,
        onConnection: (listener) => {
          connection.add(listener);
          return () => connection.delete(listener);
        },
      };
      const engine = new SyncEngine(db, transport, { pollMs: 0, retryBaseMs: 60_000, retryMaxMs: 60_000, log: () => undefined });
      engine.start();
      await engine.idle();
      online = false;
      for (const l of connection) l('closed');
      for (let i = 0; i < 1000; i++) {
        const c = conversations[i % conversations.length]!;
        const kind = i % 10;
        if (kind < 5) await engine.mutate('messages.send', { id: `p${round}-${i}`, conversationId: c.id, text: `离线回复 ${round}-${i}` });
        else if (kind < 7)
          await engine.mutate(kind === 5 ? 'customers.addTag' : 'customers.removeTag', {
            customerId: c.customerId,
            tagId: tags.value[i % tags.value.length]!.id,
          });
        else if (kind < 8) await engine.mutate('customers.setRemark', { customerId: c.customerId, remark: `备注 ${i}` });
        else await engine.mutate('conversations.markRead', { conversationId: c.id });
      }
      const started = performance.now();
      online = true;
      for (const l of connection) l('open'); // the desk reconnects: pulls and pushes wake up
      await engine.idle();
      while ((await db.outbox.count()) > 0) {
        engine.sync();
        await engine.idle();
      }
      samples.push(performance.now() - started);
      engine.stop();
      db.close();
      await db.delete();
    }
    // Baseline: the same kinds of 1,000 mutations handed to the core's sync.push directly, 100 a call
    // (no replica, no outbox, no rebase): the core's own share of the time.
    const direct: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const mutations = Array.from({ length: 1000 }, (_, i) => {
        const c = conversations[i % conversations.length]!;
        const kind = i % 10;
        const mutationId = newId();
        if (kind < 5)
          return { mutationId, name: 'messages.send', args: { id: newId(), conversationId: c.id, text: `直接推送 ${round}-${i}` } };
        if (kind < 7)
          return {
            mutationId,
            name: kind === 5 ? 'customers.addTag' : 'customers.removeTag',
            args: { customerId: c.customerId, tagId: tags.value[i % tags.value.length]!.id },
          };
        if (kind < 8) return { mutationId, name: 'customers.setRemark', args: { customerId: c.customerId, remark: `直接 ${i}` } };
        return { mutationId, name: 'conversations.markRead', args: { conversationId: c.id } };
      });
      const started = performance.now();
      for (let i = 0; i < mutations.length; i += 100) {
        const result = await core.call('sync.push', { clientId: `bench-direct-${round}`, mutations: mutations.slice(i, i + 100) }, 'bench');
        if (!result.ok) throw new Error(`sync.push: ${result.error.message}`);
      }
      direct.push(performance.now() - started);
    }
    return {
      baseline: { label: 'the same mutations pushed to the core directly', value: Math.round(percentile(direct, 50)) },
      name: 'sync-push-1000',
      value: Math.round(percentile(samples, 50)),
      unit: 'ms',
      target: 5000,
      better: 'lower',
      details: { maxMs: Math.round(Math.max(...samples)), rounds, pushCalls: pushes, storage: 'fake-indexeddb (Node)' },
    };
  } finally {
    await core.close();
    shop.dispose();
  }
}
