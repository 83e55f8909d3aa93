import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './index';

describe('migration 0016 (pictures)', () => {
  it('keeps every buyer and phrase of a version-13 file, none taking pictures from a bridge and none with a picture yet', () => {
    const db = new Database(':memory:');
    migrate(db, 13);
    db.exec(`
      INSERT INTO customers (id, nick, first_seen_at, updated_at) VALUES ('b1', '微信买家', 0, 0), ('b2', '访客AB12', 0, 0);
      INSERT INTO channel_buyers (channel, source, external_id, customer_id, created_at) VALUES
        ('api', 'wechat', 'oWx-1', 'b1', 0), ('widget', '', 'visitor-aaaaaaaaaaaa', 'b2', 0);
      INSERT INTO reply_groups (id, scope, owner, name, sort, created_at) VALUES ('g1', 'team', '', '售前', 0, 0);
      INSERT INTO replies (id, scope, owner, group_id, code, title, content, search_keys, created_at, updated_at)
        VALUES ('r1', 'team', '', 'g1', 'cm', '尺码', '请看尺码表', 'cm', 0, 0);
    `);
    migrate(db, 16);
    expect(db.pragma('user_version', { simple: true })).toBe(16);
    expect(db.prepare('SELECT customer_id, accepts_images FROM channel_buyers ORDER BY customer_id').raw().all()).toEqual([
      ['b1', 0],
      ['b2', 0],
    ]);
    expect(db.prepare("SELECT content, image FROM replies WHERE id = 'r1'").raw().get()).toEqual(['请看尺码表', null]);
    expect(() => db.exec("UPDATE channel_buyers SET accepts_images = 2 WHERE customer_id = 'b1'")).toThrow(/CHECK/);
  });
});
