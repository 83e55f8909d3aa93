import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './index';

describe('migration 0008 (red lines)', () => {
  it('gives a version-7 shop the shipped list, keyed by folded word, and refuses unknown categories', () => {
    const db = new Database(':memory:');
    migrate(db, 7);
    migrate(db, 8);
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    expect(db.prepare("SELECT word, category, caught_sent FROM red_line_words WHERE key = 'qq'").get()).toEqual({
      word: 'QQ',
      category: 'contact',
      caught_sent: 0,
    });
    expect(db.prepare("SELECT phrase FROM red_line_exceptions WHERE key = '第一时间'").pluck().get()).toBe('第一时间');
    expect(() => db.prepare("INSERT INTO red_line_words (key, word, category, sort) VALUES ('x', 'x', 'rude', 0)").run()).toThrow(/CHECK/);
  });
});
