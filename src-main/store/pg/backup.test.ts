import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Core } from '../../core/core';
import { seedDemoShop } from '../../services/demo/seedDemo';
import { copySqliteToPg, openPgStore, writeHubDatabase } from './index';
import { freshPgDatabase, pgProgram, pgUnavailable, startPgWorkerForTests } from './testing';

const why = pgUnavailable() ?? (pgProgram('pg_dump') && pgProgram('pg_restore') ? null : 'no pg_dump/pg_restore installed');
if (why) process.stderr.write(`skipping the PostgreSQL backup test: ${why}\n`);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
const folder = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-pgbackup-'));
  dirs.push(dir);
  return dir;
};

const TABLES = ['agents', 'customers', 'conversations', 'messages', 'changes', 'settings', 'sessions', 'schema_migrations', 'feed_head'];

/**
 * A hub on PostgreSQL is backed up with PostgreSQL's own tools (README, "Backing up a hub on
 * PostgreSQL"): `pg_dump --format=custom` of the live database, `pg_restore --no-owner` into a new,
 * empty one, and a hub on the restored database serves the same shop and goes on with its feed.
 */
describe.skipIf(why !== null)('backup and restore of a hub on PostgreSQL (issue 14)', () => {
  test('pg_dump, pg_restore into a fresh database, and the hub serves the same data', { timeout: 120_000 }, async () => {
    // A shop's worth of data: the demo shop's history and an owner, on PostgreSQL.
    const sqliteDir = folder();
    const seeded = new Core({ dataDir: sqliteDir, hub: {}, watchOtherWritersMs: false, presence: false, log: () => undefined });
    seedDemoShop(seeded.store, { now: Date.now() });
    await seeded.initShop('小店', '店长', 'owner-pass-123');
    seeded.close();
    const live = freshPgDatabase('live');
    await copySqliteToPg({ sqliteFile: path.join(sqliteDir, 'jiedai.sqlite'), url: live });
    const hubDir = folder();
    writeHubDatabase(hubDir, live);
    const hub = new Core({ dataDir: hubDir, hub: {}, watchOtherWritersMs: false, presence: false, log: () => undefined });
    const buyer = hub.store.db.prepare('SELECT id FROM customers ORDER BY id LIMIT 1').pluck().get() as string;
    for (let i = 0; i < 10; i++) hub.receiveBuyerMessage({ customerId: buyer, text: `备份前 ${i}` });
    // A signed-in session, which the restored hub must know too.
    const signedIn = (await hub.call('auth.login', { account: '店长', password: 'owner-pass-123' }, 'before')) as {
      value: { token: string };
    };

    // The backup, taken while the hub runs.
    const dump = path.join(folder(), 'hub.dump');
    execFileSync(pgProgram('pg_dump')!, ['--format=custom', '--file', dump, '--dbname', live]);
    hub.close();
    const restored = freshPgDatabase('restored');
    execFileSync(pgProgram('pg_restore')!, ['--no-owner', '--exit-on-error', '--dbname', restored, dump]);

    const a = openPgStore(live, startPgWorkerForTests);
    const b = openPgStore(restored, startPgWorkerForTests);
    try {
      for (const table of TABLES) {
        const order = { changes: 'seq', settings: 'key', schema_migrations: 'version' }[table] ?? 'id';
        const rows = (store: typeof a) => store.db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();
        const back = rows(b);
        expect(back.length, table).toBeGreaterThan(0);
        expect(back, table).toEqual(rows(a));
      }
      expect(b.changes.head()).toBe(a.changes.head());
    } finally {
      a.close();
      b.close();
    }

    // A hub on the restored database: the owner signs in, and the feed goes on from the restored head.
    const restoredDir = folder();
    writeHubDatabase(restoredDir, restored);
    const back = new Core({ dataDir: restoredDir, hub: {}, watchOtherWritersMs: false, presence: false, log: () => undefined });
    try {
      expect(await back.call('auth.login', { account: '店长', password: 'owner-pass-123' }, 'r')).toMatchObject({ ok: true });
      // The session signed in before the backup resumes on the restored hub.
      expect(await back.call('auth.resume', { token: signedIn.value.token }, 'resumed')).toMatchObject({ ok: true });
      const head = back.store.changes.head();
      const texts = back.store.db
        .prepare("SELECT text FROM messages WHERE text LIKE '备份%' ORDER BY created_at, id")
        .pluck()
        .all() as string[];
      expect(texts).toEqual(Array.from({ length: 10 }, (_, i) => `备份前 ${i}`));
      back.receiveBuyerMessage({ customerId: buyer, text: '恢复后' });
      expect(back.store.changes.head()).toBeGreaterThan(head);
      expect(back.store.changes.page(head, 10)[0]!.seq).toBe(head + 1);
    } finally {
      back.close();
    }
  });
});
