import fs from 'node:fs';
import Database from 'better-sqlite3';
import { newId } from '../../shared/domain/ids';
import { openStore, type Store } from './index';
import { migrate } from './migrations';

/** Test helpers: a customer with an open conversation, written the way the services write them. */
export function addCustomerWithConversation(store: Store, nick: string, at = 1_700_000_000_000) {
  const customerId = newId();
  const conversationId = newId();
  store.tx(() => {
    store.customers.insert({ id: customerId, nick, group_id: null, remark: '', first_seen_at: at, updated_at: at });
    store.conversations.insert({
      id: conversationId,
      customer_id: customerId,
      agent_id: null,
      status: 'open',
      last_message_at: at,
      last_message_preview: '',
      unread_count: 0,
      waiting_since: null,
      created_at: at,
      ended_at: null,
    });
  });
  return { customerId, conversationId };
}

/** A closed store with enough rows to span many pages, as the shop's file is after a clean quit. */
export function writeShopFile(file: string, customers = 400): void {
  const store = openStore(file);
  for (let i = 0; i < customers; i++) addCustomerWithConversation(store, `买家${i}-${'很长的昵称'.repeat(20)}`);
  store.close();
}

/** Overwrites whole pages in the middle of the file, as a failing disk would. */
export function damagePages(file: string): void {
  const size = fs.statSync(file).size;
  const at = Math.floor(size / 2 / 4096) * 4096;
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(4096 * 4, 0xab), 0, 4096 * 4, at);
  fs.closeSync(fd);
}

/** A data file as an older release left it: migrated up to `version` only. */
export function writeOldSchemaFile(file: string, version: number): void {
  const db = new Database(file);
  migrate(db, version);
  db.close();
}
