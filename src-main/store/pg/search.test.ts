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

describe.skipIf(why !== null)('a 3+-character term with many matches on PostgreSQL (issue 14: search p95 at 10M)', () => {
  let sqlite: Store;
  let pg: Store;

  test('the data: 1,600 messages of one phrase among the demo shop’s', { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-pgsearch-many-'));
    dirs.push(dir);
    const core = new Core({ dataDir: dir, hub: {}, watchOtherWritersMs: false, presence: false, log: () => undefined });
    seedDemoShop(core.store, { now: Date.now() });
    const conversations = core.store.db.prepare('SELECT id FROM conversations ORDER BY id').pluck().all() as string[];
    const row = (i: number) => ({
      id: `many-${i}`,
      conversation_id: conversations[i % conversations.length]!,
      sender: 'buyer' as const,
      agent_id: null,
      kind: 'text' as const,
      // Every third a phrase of its own; equal times (a tie broken by rowid) every fifth.
      text: i % 3 ? `请问有货吗 ${i}` : `发什么快递 ${i}`,
      order_id: null,
      created_at: 1_000_000 + i - (i % 5 === 0 ? 1 : 0),
    });
    core.store.tx(() => core.store.messages.insertMany(Array.from({ length: 1_600 }, (_, i) => row(i))));
    core.close();
    const url = freshPgDatabase('search_many');
    await copySqliteToPg({ sqliteFile: path.join(dir, 'jiedai.sqlite'), url });
    sqlite = createStore(openDatabase(path.join(dir, 'jiedai.sqlite')));
    pg = openPgStore(url, startPgWorkerForTests);
    closers.push(
      () => sqlite.close(),
      () => pg.close(),
    );
    (pg.db as unknown as { query(t: string): unknown }).query('ANALYZE messages');
    expect(pg.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(
      sqlite.db.prepare('SELECT count(*) FROM messages').pluck().get(),
    );
  });

  test('the same pages and counts as SQLite: more than 1,000 ("1,000+"), fewer (exact)', () => {
    for (const q of ['有货吗', '请问有货', '发什么快递', '什么快']) {
      const t = searchTerm(q)!;
      let afterS: Parameters<Store['search']['search']>[3];
      let afterP: typeof afterS;
      for (let page = 0; page < 4; page++) {
        const a = sqlite.search.search(t, {}, 50, afterS);
        const b = pg.search.search(t, {}, 50, afterP);
        expect(
          b.rows.map((r) => r.id),
          `${q} page ${page}`,
        ).toEqual(a.rows.map((r) => r.id));
        expect({ total: b.total, bound: b.totalBound }).toEqual({ total: a.total, bound: a.totalBound });
        afterS = a.next ?? undefined;
        afterP = b.next ?? undefined;
      }
    }
    expect(pg.search.search(searchTerm('有货吗')!, {}, 50)).toMatchObject({ total: 1_000, totalBound: 'atLeast' });
    expect(pg.search.search(searchTerm('发什么快递')!, {}, 50)).toMatchObject({ total: 534, totalBound: 'exact' });
  });

  test('the plans: the trigram index or the time index, never a sequential scan of the messages', () => {
    // Each statement the search sends is explained first, in its own transaction and settings.
    const db = pg.db as unknown as { query(t: string, v?: unknown[]): { rows: Record<string, unknown>[] } };
    const query = db.query.bind(db);
    const plans: string[] = [];
    db.query = (text: string, values: unknown[] = []) => {
      if (/^\s*(WITH|SELECT)\b/i.test(text) && /\bmessages\b/.test(text))
        plans.push(
          query(`EXPLAIN ${text}`, values)
            .rows.map((r) => r['QUERY PLAN'])
            .join('\n'),
        );
      return query(text, values);
    };
    try {
      for (const q of ['有货吗', '发什么快递', '不存在的词']) pg.search.search(searchTerm(q)!, {}, 50);
    } finally {
      db.query = query;
    }
    expect(plans.length).toBeGreaterThan(3);
    for (const plan of plans) expect(plan).not.toMatch(/Seq Scan on messages/);
    // The count stops at the cap inside a bitmap scan of the trigram index.
    expect(plans.filter((p) => /Limit/.test(p) && /messages_text_trgm/.test(p)).length).toBeGreaterThan(0);
  });
});
