import { afterAll, describe, expect, test } from 'vitest';
import type { Store } from '../index';
import { openPgStore } from './index';
import { PgNotifier } from './notifier';
import { freshPgDatabase, pgUnavailable, startPgWorkerForTests } from './testing';

const why = pgUnavailable();
if (why) process.stderr.write(`skipping the PostgreSQL notifier tests: ${why}\n`);

const until = async (what: string, ok: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const backend = (store: Store) => store.db.prepare('SELECT pg_backend_pid()').pluck().get() as number;

describe.skipIf(why !== null)('several hub processes on one database (issue 14)', () => {
  const closers: (() => unknown)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  test("a commit by another connection is heard at once; this process's own commits are not news", async () => {
    const url = freshPgDatabase('notify');
    const mine = openPgStore(url, startPgWorkerForTests);
    const other = openPgStore(url, startPgWorkerForTests);
    closers.push(
      () => mine.close(),
      () => other.close(),
    );
    let heard = 0;
    const notifier = new PgNotifier({ url, ownBackend: backend(mine), onFeed: () => heard++, log: () => undefined });
    closers.push(() => notifier.close());
    await notifier.ready;
    // Once on connecting: whatever came before it listened.
    expect(heard).toBe(1);
    mine.tx(() => mine.changes.append('test', 'own', 'upsert', {}, 1));
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toBe(1);
    const sent = performance.now();
    // Three feed rows in one transaction: one notification.
    other.tx(() => {
      for (const id of ['a', 'b', 'c']) other.changes.append('test', id, 'upsert', {}, 2);
    });
    await until('the other connection’s commit heard', () => heard === 2);
    expect(performance.now() - sent).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toBe(2);
    // A transaction that writes no feed row (a setting) does not notify; a rolled-back one does not either.
    other.tx(() => other.settings.set('x', 1));
    expect(() =>
      other.tx(() => {
        other.changes.append('test', 'lost', 'upsert', {}, 3);
        throw new Error('no');
      }),
    ).toThrow('no');
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toBe(2);
  });

  test('exactly one process leads; when its connection goes, another takes over', async () => {
    const url = freshPgDatabase('leader');
    const store = openPgStore(url, startPgWorkerForTests);
    closers.push(() => store.close());
    const notifiers = [0, 1, 2].map(
      () => new PgNotifier({ url, ownBackend: null, onFeed: () => undefined, lead: true, retryMs: 100, log: () => undefined }),
    );
    closers.push(() => Promise.all(notifiers.map((n) => n.close())));
    await Promise.all(notifiers.map((n) => n.ready));
    await until('a leader', () => notifiers.some((n) => n.leader));
    await new Promise((r) => setTimeout(r, 400));
    expect(notifiers.filter((n) => n.leader)).toHaveLength(1);
    const first = notifiers.find((n) => n.leader)!;
    await first.close();
    const rest = notifiers.filter((n) => n !== first);
    await until('another leader', () => rest.some((n) => n.leader), 3_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(rest.filter((n) => n.leader)).toHaveLength(1);
    // The server ending the leader's session (a crash, a network cut) frees the lock too.
    const second = rest.find((n) => n.leader)!;
    const third = rest.find((n) => n !== second)!;
    store.db
      .prepare("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = 18974 AND objid = 2 AND granted")
      .all();
    await until('the last one leads', () => third.leader && !second.leader, 3_000);
  });
});
