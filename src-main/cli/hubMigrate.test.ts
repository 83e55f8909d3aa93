import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from './jiedai';
import { Core } from '../core/core';
import { seedDemoShop } from '../services/demo/seedDemo';
import { openDatabase } from '../store/connection';
import { openPgStore, readHubDatabase } from '../store/pg';
import { SyncPg } from '../store/pg/syncPg';
import { freshPgDatabase, pgUnavailable, startPgWorkerForTests } from '../store/pg/testing';

const noPg = pgUnavailable();
if (noPg) process.stderr.write(`skipping jiedai hub migrate: ${noPg}\n`);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), env: {} }, out, err };
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A SQLite hub with a shop's worth of data: the demo shop's history, its owner, and buyers' messages on the feed. */
async function sqliteHub(): Promise<{ dir: string; buyer: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-migrate-'));
  dirs.push(dir);
  const core = new Core({ dataDir: dir, hub: {}, watchOtherWritersMs: false, presence: false, log: () => undefined });
  try {
    seedDemoShop(core.store, { now: Date.now() });
    await core.initShop('小店', '店长', 'owner-pass-123');
    const buyer = core.store.db.prepare('SELECT id FROM customers ORDER BY id LIMIT 1').pluck().get() as string;
    for (let i = 0; i < 30; i++) core.receiveBuyerMessage({ customerId: buyer, text: `在吗 ${i}` });
    // Some of the feed pruned: the head ever given is above the highest row kept.
    core.store.tx(() => core.store.changes.prune(5));
    return { dir, buyer };
  } finally {
    core.close();
  }
}

const TABLES = ['agents', 'customers', 'conversations', 'messages', 'orders', 'replies', 'changes', 'settings', 'sessions'];

describe.skipIf(noPg !== null)('jiedai hub migrate --from sqlite (issue 14)', () => {
  it(
    'copies a SQLite hub into an empty database with progress, checks it, and the hub then serves it from PostgreSQL',
    { timeout: 120_000 },
    async () => {
      const { dir, buyer } = await sqliteHub();
      const file = path.join(dir, 'jiedai.sqlite');
      const before = sha(file);
      const database = freshPgDatabase('migrate');
      const c = capture();
      expect(await run(['hub', 'migrate', '--from', 'sqlite', '--data-dir', dir, '--database', database], c.io), c.err.join('\n')).toBe(0);
      const said = c.out.join('\n');
      expect(said).toMatch(/messages: \d+ rows/);
      expect(said).toMatch(/Copied \d+ rows in \d+ tables/);
      // The SQLite file is as it was; the folder now names the database.
      expect(sha(file)).toBe(before);
      expect(readHubDatabase(dir)).toBe(database);

      // Table for table, row for row (read apart from the copy's own check).
      const sqlite = openDatabase(file, { readonly: true });
      const pgStore = openPgStore(database, startPgWorkerForTests);
      try {
        for (const table of TABLES) {
          const order = table === 'changes' ? 'seq' : table === 'settings' ? 'key' : 'id';
          const fromSqlite = sqlite.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();
          const fromPg = pgStore.db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();
          expect(fromPg.length, table).toBe(fromSqlite.length);
          expect(fromPg, table).toEqual(fromSqlite);
        }
        const sqliteHead = sqlite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").pluck().get() as number;
        expect(pgStore.changes.head()).toBe(sqliteHead);
        expect(pgStore.changes.floor()).toBe(5);
        // The feed goes on from the head: the next row's seq is the next one.
        const next = pgStore.tx(() => pgStore.changes.append('test', 'after', 'upsert', {}, Date.now()));
        expect(next).toBe(sqliteHead + 1);
      } finally {
        sqlite.close();
        pgStore.close();
      }

      // The hub on the folder now serves the shop from PostgreSQL: the owner's password came across.
      const core = new Core({ dataDir: dir, hub: {}, watchOtherWritersMs: false, presence: false, log: () => undefined });
      try {
        expect(core.database).toBe('postgres');
        expect(core.hubSetup()).toMatchObject({ hasOwner: true });
        const login = await core.call('auth.login', { account: '店长', password: 'owner-pass-123' }, 'cli-test');
        expect(login).toMatchObject({ ok: true });
        const message = core.receiveBuyerMessage({ customerId: buyer, text: '迁移后' });
        expect(message.text).toBe('迁移后');
      } finally {
        core.close();
      }

      // Refused: the folder is on PostgreSQL now; another SQLite hub into this (no longer empty) database.
      const again = capture();
      expect(await run(['hub', 'migrate', '--from', 'sqlite', '--data-dir', dir, '--database', database], again.io)).toBe(1);
      expect(again.err.join('\n')).toContain('on PostgreSQL already');
      const other = await sqliteHub();
      const full = capture();
      expect(await run(['hub', 'migrate', '--from', 'sqlite', '--data-dir', other.dir, '--database', database], full.io)).toBe(1);
      expect(full.err.join('\n')).toContain('not empty');
      expect(readHubDatabase(other.dir)).toBeUndefined();
      // Usage: only from SQLite, and a database to go to.
      expect(await run(['hub', 'migrate', '--from', 'mysql', '--data-dir', other.dir, '--database', database], capture().io)).toBe(2);
    },
  );
  it(
    'refuses a copy whose rows differ from SQLite with the same counts (a checksum per table), and rolls it all back',
    { timeout: 120_000 },
    async () => {
      const { dir } = await sqliteHub();
      const database = freshPgDatabase('tampered');
      // Something in the database that rewrites one buyer message as it is inserted: every count still agrees.
      const admin = new SyncPg(database, startPgWorkerForTests);
      try {
        admin.query(`CREATE FUNCTION tamper_row() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.text = '在吗 7' THEN NEW.text := '在吗 8'; END IF; RETURN NEW; END $$`);
        admin.query(`CREATE FUNCTION plant_tamper() RETURNS event_trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE object_identity = 'public.messages') THEN
              CREATE TRIGGER tamper BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION tamper_row();
            END IF;
          END $$`);
        admin.query("CREATE EVENT TRIGGER plant_tamper ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION plant_tamper()");
        const c = capture();
        expect(await run(['hub', 'migrate', '--from', 'sqlite', '--data-dir', dir, '--database', database], c.io)).toBe(1);
        const said = c.err.join('\n');
        expect(said).toMatch(/messages: the copy's checksum [0-9a-f]{16}… differs from SQLite's [0-9a-f]{16}…/);
        // The tables before messages were copied and checked; none is left, and the folder stays on SQLite.
        expect(c.out.join('\n')).toMatch(/agents: \d+ rows/);
        const left = admin.query(
          "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        );
        expect(Number((left.rows[0] as { n: unknown }).n)).toBe(0);
        expect(readHubDatabase(dir)).toBeUndefined();

        // Without the tamper the same copy goes through, each table with its checksum.
        admin.query('DROP EVENT TRIGGER plant_tamper');
        const again = capture();
        expect(
          await run(['hub', 'migrate', '--from', 'sqlite', '--data-dir', dir, '--database', database], again.io),
          again.err.join('\n'),
        ).toBe(0);
        expect(again.out.join('\n')).toContain('count and checksum');
      } finally {
        admin.close();
      }
    },
  );
});
