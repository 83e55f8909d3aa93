import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Core } from '../../core/core';
import { seedDemoShop } from '../../services/demo/seedDemo';
import { openDatabase } from '../connection';
import { createStore, type Store } from '../index';
import { searchTerm, type SearchFilter } from '../messageSearch';
import { copySqliteToPg, openPgStore } from './index';
import { freshPgDatabase, pgUnavailable, startPgWorkerForTests } from './testing';

const why = pgUnavailable();
if (why) process.stderr.write(`skipping the PostgreSQL search tests: ${why}\n`);

const dirs: string[] = [];
const closers: (() => void)[] = [];
afterAll(() => {
  for (const close of closers) close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Texts that tell the paths apart: one, two and more characters, punctuation between, Latin case, wildcards, emoji. */
const TEXTS = [
  '退款申请已提交',
  '我要退货',
  '退，款可以吗',
  '款式有几种',
  'ABC refund please',
  'abc',
  '100%满意',
  '100 满意',
  'a_b 型号',
  'axb 型号',
  '😀好评',
  '亲，在吗',
  '亲亲在吗',
  '"引号"里的字',
  '反斜杠 a\\b',
];

const TERMS = [
  '退',
  '款',
  '退款',
  '退款申',
  '退款申请',
  '亲',
  '在吗',
  'abc',
  'ABC',
  'Refund',
  '100%',
  '%',
  '_',
  'a_b',
  'a\\b',
  '"引号"',
  '，',
  '😀',
  '😀好',
  '型号',
  '不存在的词',
  'x',
];

describe.skipIf(why !== null)('search on PostgreSQL gives SQLite’s answers (issue 14)', () => {
  let sqlite: Store;
  let pg: Store;

  test('the same data on both backends', { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-pgsearch-'));
    dirs.push(dir);
    const core = new Core({ dataDir: dir, hub: {}, watchOtherWritersMs: false, presence: false, log: () => undefined });
    seedDemoShop(core.store, { now: Date.now() });
    const buyer = core.store.db.prepare('SELECT id FROM customers ORDER BY id LIMIT 1').pluck().get() as string;
    for (const text of TEXTS) core.receiveBuyerMessage({ customerId: buyer, text });
    core.close();
    const url = freshPgDatabase('search');
    await copySqliteToPg({ sqliteFile: path.join(dir, 'jiedai.sqlite'), url });
    sqlite = createStore(openDatabase(path.join(dir, 'jiedai.sqlite')));
    pg = openPgStore(url, startPgWorkerForTests);
    closers.push(
      () => sqlite.close(),
      () => pg.close(),
    );
    expect(pg.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(
      sqlite.db.prepare('SELECT count(*) FROM messages').pluck().get(),
    );
  });

  test('every term, with and without filters, page by page: the same messages and counts', () => {
    const filters: SearchFilter[] = [{}, { direction: 'buyer' }, { direction: 'agent' }];
    for (const q of TERMS) {
      const t = searchTerm(q)!;
      for (const f of filters) {
        let afterS: Parameters<Store['search']['search']>[3];
        let afterP: typeof afterS;
        for (let page = 0; page < 3; page++) {
          const a = sqlite.search.search(t, f, 20, afterS);
          const b = pg.search.search(t, f, 20, afterP);
          const what = `${q} ${JSON.stringify(f)} page ${page}`;
          expect(
            b.rows.map((r) => r.id),
            what,
          ).toEqual(a.rows.map((r) => r.id));
          expect({ total: b.total, bound: b.totalBound }, what).toEqual({ total: a.total, bound: a.totalBound });
          if (!a.next) break;
          afterS = a.next;
          afterP = b.next ?? undefined;
        }
      }
    }
    // The answers are not empty where they should not be.
    expect(sqlite.search.search(searchTerm('退款')!, {}, 20).rows.map((r) => r.text)).toEqual(expect.arrayContaining(['退款申请已提交']));
  });

  test('the indexes answer: pg_trgm for three or more characters, the characters index for one or two', () => {
    const q = (sql: string) => (pg.db as unknown as { query(t: string): { rows: Record<string, unknown>[] } }).query(sql).rows;
    // The database's character type knows Chinese letters, so pg_trgm makes trigrams of them.
    expect((q("SELECT show_trgm('退款申请') AS t")[0]!.t as string[]).length).toBeGreaterThan(0);
    q('SET enable_seqscan = off');
    const plan = (sql: string) =>
      q(`EXPLAIN ${sql}`)
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    expect(plan("SELECT rowid FROM messages WHERE lower(text) LIKE '%退款申请%'")).toContain('messages_text_trgm');
    expect(plan("SELECT rowid FROM messages WHERE string_to_array(lower(text), NULL) @> ARRAY['退', '款']")).toContain(
      'messages_text_chars',
    );
    q('RESET enable_seqscan');
  });
});
