import 'fake-indexeddb/auto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newId } from '../../shared/domain/ids';
import { Core, DATA_FILE } from '../../src-main/core/core';
import { openStore } from '../../src-main/store';

/**
 * The sync scenarios' shop: the demo shop plus bulk rows written the way the store writes them (each
 * with its change-feed row), in transactions of 5,000. The replica in these scenarios is Dexie over
 * fake-indexeddb (an in-memory IndexedDB in Node): the engine, rules and transactions are the app's,
 * the storage under them is not Chromium's.
 */
export type SyncShop = { dir: string; dispose: () => void };

export function syncShop(size: {
  customers: number;
  orders: number;
  phrases: number;
  conversations?: number;
  messagesEach?: number;
}): SyncShop {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bench-sync-'));
  new Core({ dataDir: dir, demoBuyers: { enabled: false } }).close();
  const store = openStore(path.join(dir, DATA_FILE));
  const agentId = store.settings.get<string>('currentAgentId', '');
  const at = 1_700_000_000_000;
  const batches = <T>(n: number, make: (i: number) => T, write: (row: T) => void) => {
    for (let done = 0; done < n; done += 5000)
      store.tx(() => {
        for (let i = done; i < Math.min(n, done + 5000); i++) write(make(i));
      });
  };
  const customerIds: string[] = [];
  batches(
    size.customers,
    (i) => ({
      id: newId(),
      nick: `bench_买家${i}`,
      group_id: null,
      remark: i % 7 === 0 ? '老客户，发顺丰' : '',
      first_seen_at: at + i,
      updated_at: at + i,
    }),
    (row) => {
      customerIds.push(row.id);
      store.customers.insert(row);
    },
  );
  batches(
    size.orders,
    (i) => ({
      row: {
        id: newId(),
        order_no: `B${String(i).padStart(18, '0')}`,
        customer_id: customerIds[i % customerIds.length]!,
        status: 'shipped' as const,
        amount_cents: 9900 + i,
        address: '浙江省杭州市西湖区文三路 100 号',
        logistics_company: '中通快递',
        tracking_no: `ZT${i}`,
        created_at: at + i,
        paid_at: at + i,
        updated_at: at + i,
      },
      items: [{ id: newId(), title: '高腰阔腿牛仔裤', sku: '黑色 XL', price_cents: 9900, quantity: 1 }],
    }),
    ({ row, items }) => store.orders.insert(row, items),
  );
  const groupId = newId();
  store.tx(() => store.phrases.insertGroup({ id: groupId, scope: 'team', owner: '', name: '批量短语', sort: 99, created_at: at }));
  batches(
    size.phrases,
    (i) => ({
      id: newId(),
      scope: 'team' as const,
      owner: '',
      group_id: groupId,
      code: `b${i}`,
      title: `批量短语${i}`,
      content: `亲，这是第${i}条常用回复，发货后会第一时间通知您哦`,
      search_keys: `b${i} 批量短语${i} plhy${i}`,
      use_count: i % 50,
      last_used_at: null,
      sort: i,
      created_at: at,
      updated_at: at,
    }),
    (row) => store.phrases.insert(row),
  );
  const conversations = size.conversations ?? 0;
  for (let c = 0; c < conversations; c++) {
    const id = newId();
    store.tx(() => {
      store.conversations.insert({
        id,
        customer_id: customerIds[c]!,
        agent_id: agentId,
        status: 'open',
        last_message_at: at,
        last_message_preview: '',
        unread_count: 0,
        waiting_since: null,
        created_at: at,
        ended_at: null,
      });
      const rows = Array.from({ length: size.messagesEach ?? 0 }, (_, m) => ({
        id: newId(),
        conversation_id: id,
        sender: m % 2 ? ('agent' as const) : ('buyer' as const),
        agent_id: m % 2 ? agentId : null,
        kind: 'text' as const,
        text: `第${m}条消息`,
        order_id: null,
        created_at: at + m * 1000,
      }));
      store.conversations.applyMessages(id, store.messages.insertMany(rows));
    });
  }
  store.close();
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** What each sync scenario returns (the harness wires it: figure, target, which way is better, and the rest). */
export type SyncBenchResult = {
  name: string;
  value: number;
  unit: string;
  target: number;
  better: 'lower' | 'higher';
  /** The same work done the plainest way, in the same run. */
  baseline?: { label: string; value: number };
  details: Record<string, number | string>;
};
