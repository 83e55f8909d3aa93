import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newId } from '../../shared/domain/ids';
import { conversationService } from '../../src-main/services/conversations';
import { openStore, type Store } from '../../src-main/store';
import { addCustomerWithConversation } from '../../src-main/store/testing';

/** A store in a fresh temp folder (WAL, synchronous=FULL, as the app runs), removed by `dispose`. */
export function tempStore(): { store: Store; dir: string; file: string; dispose: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bench-'));
  const file = path.join(dir, 'jiedai.sqlite');
  const store = openStore(file);
  return {
    store,
    dir,
    file,
    dispose: () => {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const LINES = [
  '亲，在的，请问有什么可以帮您？',
  '这件有XL码吗？',
  '今天下单什么时候发货',
  '好的，已经为您备注加急',
  '快递到哪里了',
  '可以便宜一点吗',
  '收到了，质量很好 👍',
  '退款什么时候到账',
];

/** A realistic message text, different for every index. */
export const messageText = (i: number): string => `${LINES[i % LINES.length]} #${i}`;

export type IngestRow = Parameters<ReturnType<typeof conversationService>['ingest']>[0][number];

/** `count` realistic messages spread over conversations, ids made as the app makes them (UUIDv7). */
export function makeMessages(conversationIds: string[], count: number, options: { start?: number; from?: number } = {}): IngestRow[] {
  const start = options.start ?? 1_700_000_000_000;
  const from = options.from ?? 0;
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      id: newId(),
      conversationId: conversationIds[n % conversationIds.length]!,
      sender: n % 3 === 0 ? ('agent' as const) : ('buyer' as const),
      agentId: null,
      text: messageText(n),
      createdAt: start + n * 10,
    };
  });
}

/**
 * Writes messages through the bulk ingest path (the conversation service's `ingest`: stored by id,
 * indexed for search per batch, aggregates folded, change rows written), in batches of `batch`.
 */
export function ingestRows(store: Store, rows: IngestRow[], batch = 1000): void {
  const service = conversationService(store, Date.now);
  for (let done = 0; done < rows.length; done += batch) service.ingest(rows.slice(done, done + batch));
}

export function ingest(store: Store, conversationIds: string[], count: number, options: { start?: number; from?: number } = {}): void {
  ingestRows(store, makeMessages(conversationIds, count, options));
}

export function conversations(store: Store, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addCustomerWithConversation(store, `买家${i}`).conversationId);
}
