import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedDemoShop } from '../services/demo/seedDemo';
import { seedMessageHistory } from '../services/demo/seedHistory';
import { openStore, type Store } from '.';
import { FTS_DEFAULT_HASH_BYTES, ftsHashSize } from './connection';
import { matchClause, searchTerm } from './messageSearch';

const dirs: string[] = [];
const stores: Store[] = [];
function demoStore(): Store {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bulk-'));
  dirs.push(dir);
  const store = openStore(path.join(dir, 'jiedai.sqlite'));
  stores.push(store);
  seedDemoShop(store, { now: Date.UTC(2024, 5, 18) });
  return store;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('bulk write settings', () => {
  it("raise both search indexes' in-memory buffer for the bulk run only, and put every setting back", () => {
    const store = demoStore();
    const db = store.db;
    const before = ['cache_size', 'wal_autocheckpoint', 'synchronous'].map((p) => db.pragma(p, { simple: true }));
    expect(ftsHashSize(db, 'messages_fts')).toBe(FTS_DEFAULT_HASH_BYTES);
    store.bulk(() => {
      expect(ftsHashSize(db, 'messages_fts')).toBe(64 * 1024 * 1024);
      expect(ftsHashSize(db, 'messages_uni')).toBe(64 * 1024 * 1024);
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
    });
    expect(ftsHashSize(db, 'messages_fts')).toBe(FTS_DEFAULT_HASH_BYTES);
    expect(ftsHashSize(db, 'messages_uni')).toBe(FTS_DEFAULT_HASH_BYTES);
    expect(['cache_size', 'wal_autocheckpoint', 'synchronous'].map((p) => db.pragma(p, { simple: true }))).toEqual(before);
  });

  it('leave search indexes that answer exactly what a scan of the text finds', () => {
    const store = demoStore();
    const db = store.db;
    seedMessageHistory(store, { messages: 20_000, now: Date.UTC(2024, 5, 18), batch: 20_000 });
    // FTS5's own check of the trigram index against the messages it was built from.
    expect(() => db.exec("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    for (const term of ['发货', '退款', '尺码', '谢谢亲', '订单号', '快递']) {
      const scan = db.prepare('SELECT rowid FROM messages WHERE instr(text, ?) > 0 ORDER BY rowid').pluck().all(term);
      const t = searchTerm(term);
      if (!t) throw new Error(`no search term for ${term}`);
      // The index's own candidates (a two-character term: the unigram index, without the text check).
      const { candidates, params } = matchClause(t, 'm');
      const hits = db.prepare(`${candidates} ORDER BY rowid`).pluck().all({ match: params.match });
      expect(scan.length, term).toBeGreaterThan(0);
      expect(hits, term).toEqual(scan);
    }
  });
});
