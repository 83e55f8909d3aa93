import { accountQueries } from './accounts';
import { agentQueries } from './agents';
import { automationQueries } from './automation';
import { changeQueries } from './changes';
import { channelQueries } from './channels';
import { openDatabase, withBulkSettings, type Db, type OpenOptions } from './connection';
import { conversationQueries } from './conversations';
import { customerQueries } from './customers';
import { hubOutboxQueries } from './hubOutbox';
import { hubReplicaQueries } from './hubReplica';
import { logExportQueries } from './logExport';
import { messageQueries } from './messages';
import { messageSearchQueries } from './messageSearch';
import { mutationQueries } from './mutations';
import { orderQueries } from './orders';
import { personalQueries } from './personal';
import { phraseQueries } from './phrases';
import { redLineQueries } from './redLines';
import { reportQueries } from './reports';
import { seedingQueries } from './seeding';
import { settingsQueries } from './settings';
import { snapshotQueries } from './snapshot';
import { statsQueries } from './stats';

/**
 * The shop's store: one SQLite connection and the queries of each domain. All SQL of the app lives in
 * this folder. Multi-step writes run inside `store.tx(...)` so they land whole or not at all, together
 * with their change-feed rows.
 */
export function createStore(db: Db) {
  const changes = changeQueries(db);
  const customers = customerQueries(db, changes);
  const tagsOf = (customerId: string) => customers.get(customerId)?.tags ?? [];
  const conversations = conversationQueries(db, changes, tagsOf);
  const messages = messageQueries(db, changes);
  const orders = orderQueries(db, changes);
  const agents = agentQueries(db, changes);
  const commitListeners = new Set<() => void>();
  const beforeCommitListeners = new Set<() => void>();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  // This connection's commits through `tx` (SQLite's data_version does not count them).
  let ownCommits = 0;
  // On PostgreSQL another hub process commits with no cheap sign here (its "data_version" is the feed
  // head only: a session revoked elsewhere does not move it), so nothing is kept between calls there.
  const stampable = (db as { dialect?: string }).dialect !== 'postgres';
  /** Values kept for the rest of the outermost `tx` running now (see `perTransaction`); null outside one. */
  let txLocal: Map<object, unknown> | null = null;
  const othersStamp = (): number | null => (!stampable || db.inTransaction ? null : (dataVersion.get() as number));
  // total_changes(): every row this connection changed, in `tx` or not (an autocommitted write too).
  const commitStampRead = stampable ? db.prepare('SELECT data_version AS dv, total_changes() AS tc FROM pragma_data_version') : null;
  return {
    db,
    /**
     * A write transaction. The outermost one begins IMMEDIATE: it takes the write lock up front (and
     * waits for it under the busy timeout) instead of failing with SQLITE_BUSY when another connection
     * (the CLI importing while the app runs) wrote since its first read. Its `beforeCommit` listeners
     * run inside it, after `fn`; its `onCommit` listeners after the commit.
     */
    tx<T>(fn: () => T): T {
      if (db.inTransaction) return db.transaction(fn)();
      const local = new Map<object, unknown>();
      txLocal = local;
      let result: T;
      try {
        result = db
          .transaction(() => {
            const value = fn();
            for (const listener of beforeCommitListeners) listener();
            return value;
          })
          .immediate();
      } finally {
        if (txLocal === local) txLocal = null;
        // Even a rolled-back or failed one: the stamp only has to move whenever something might have.
        ownCommits++;
      }
      for (const listener of commitListeners) listener();
      return result;
    },
    /**
     * Called inside each outermost `tx`, after its work and before its commit: writes that must land
     * in the same commit as the change that calls for them (the hub's webhook deliveries and its feed
     * cursor), so they cost no commit of their own. A listener that throws fails the transaction.
     */
    beforeCommit(listener: () => void): () => void {
      beforeCommitListeners.add(listener);
      return () => beforeCommitListeners.delete(listener);
    },
    /**
     * A value kept for the rest of the outermost `tx` running now and dropped at its end, committed
     * or not (routing's roster for the buyers of one group commit); outside a `tx`, built each time.
     * Only for values whose staleness inside one transaction the caller checks or can afford.
     */
    perTransaction<T>(key: object, build: () => T): T {
      if (txLocal === null || !db.inTransaction) return build();
      if (txLocal.has(key)) return txLocal.get(key) as T;
      const value = build();
      txLocal.set(key, value);
      return value;
    },
    /** A long run of bulk `tx` batches (demo history) with bulk-write settings on this connection. */
    bulk<T>(fn: () => T): T {
      return withBulkSettings(db, fn);
    },
    /** Several reads that must see one state of the file (a pull's floor, page and head). */
    read<T>(fn: () => T): T {
      return db.inTransaction ? fn() : db.transaction(fn).deferred();
    },
    /** Called after each outermost `tx` commits (the core pokes replicas from here). */
    onCommit(listener: () => void): () => void {
      commitListeners.add(listener);
      return () => commitListeners.delete(listener);
    },
    /**
     * SQLite's counter of commits by *other* connections to the file (this connection's own do not
     * move it): the cheap way to hear that the CLI, or another process, wrote.
     */
    dataVersion(): number {
      return dataVersion.get() as number;
    },
    /**
     * SQLite's data_version where it can be kept between calls: null inside a transaction and on
     * PostgreSQL (another hub process commits there with no cheap sign here). Equal between two calls
     * only if no other connection (the CLI beside the app, `jiedai hub accounts`) committed between.
     */
    othersStamp,
    /**
     * A token equal between two calls only if nothing was committed to the file in between, by this
     * connection (a `tx`, or any row it changed: total_changes) or any other (data_version): what a
     * read outside a transaction may be kept under (a pull's head, floor and page). Null where
     * `othersStamp` is (read afresh there).
     */
    commitStamp(): string | null {
      if (!commitStampRead || db.inTransaction) return null;
      const { dv, tc } = commitStampRead.get() as { dv: number; tc: number };
      return `${ownCommits}:${tc}:${dv}`;
    },
    changes,
    settings: settingsQueries(db),
    agents,
    accounts: accountQueries(db),
    customers,
    conversations,
    messages,
    search: messageSearchQueries(db),
    orders,
    phrases: phraseQueries(db, changes),
    redLines: redLineQueries(db, changes),
    /** The reports' rollups (migration 0013), kept from the change feed by the report service. */
    reports: reportQueries(db),
    mutations: mutationQueries(db, changes),
    snapshot: snapshotQueries(db),
    stats: statsQueries(db),
    /** Tier 2 (team mode): hub rows into the desk's tables, and the desk's outbox for the hub. */
    hub: hubReplicaQueries(db, changes, { agents, customers, conversations, messages, orders }),
    hubOutbox: hubOutboxQueries(db),
    /** The hub's channels (issue 13): API tokens, channel buyers, idempotency keys, webhooks, images. */
    channels: channelQueries(db),
    seeding: seedingQueries(db),
    /** 催付 and auto-replies (migration 0014): rules, idempotency keys, windows, the reminder log. */
    automation: automationQueries(db),
    /** An agent's own holds, snoozes and drafts (migration 0019): never in the feed, never synced. */
    personal: personalQueries(db),
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type Store = ReturnType<typeof createStore>;

export function openStore(file: string, options: OpenOptions = {}): Store {
  return createStore(openDatabase(file, options));
}

export type { Db, OpenOptions };

/**
 * A read-only connection for the log export (its own worker thread). WAL lets it read one consistent
 * snapshot while the core goes on writing.
 */
export function openLogReader(file: string, options: Omit<OpenOptions, 'readonly'> = {}) {
  const db = openDatabase(file, { ...options, readonly: true });
  return {
    queries: logExportQueries(db),
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type LogReader = ReturnType<typeof openLogReader>;
export { LOG } from './logExport';
export type { LogConversationRow, LogExportQueries, LogFilter, LogRow, TranscriptRow } from './logExport';
