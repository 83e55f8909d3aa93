import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from './index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function oldFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-m11-'));
  dirs.push(dir);
  const file = path.join(dir, 'shop.sqlite');
  const db = new Database(file);
  migrate(db, 9);
  db.exec(`
    INSERT INTO customers (id, nick, first_seen_at, updated_at) VALUES ('c1', '买家', 1, 1);
    INSERT INTO conversations (id, customer_id, status, last_message_at, created_at) VALUES ('v1', 'c1', 'open', 1, 1);
    INSERT INTO messages (id, conversation_id, sender, kind, text, created_at) VALUES ('m1', 'v1', 'buyer', 'text', '在吗', 1);
  `);
  db.close();
  return file;
}

describe('migration 0011 (channels)', () => {
  it('adds the channel tables to a version-9 file, keeps its messages, and lets a message be an image', () => {
    const file = oldFile();
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    expect(() =>
      db
        .prepare("INSERT INTO messages (id, conversation_id, sender, kind, text, created_at) VALUES ('x', 'v1', 'buyer', 'image', '', 2)")
        .run(),
    ).toThrow(/CHECK/);
    migrate(db, 11);
    expect(db.pragma('user_version', { simple: true })).toBe(11);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare("SELECT text FROM messages WHERE id = 'm1'").pluck().get()).toBe('在吗');

    db.prepare(
      "INSERT INTO messages (id, conversation_id, sender, kind, text, created_at) VALUES ('m2', 'v1', 'buyer', 'image', '[图片]', 2)",
    ).run();
    // Still refused: a kind nobody knows.
    expect(() =>
      db
        .prepare("INSERT INTO messages (id, conversation_id, sender, kind, text, created_at) VALUES ('m3', 'v1', 'buyer', 'video', '', 3)")
        .run(),
    ).toThrow(/CHECK/);
    // The search index's delete trigger still follows the table.
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'messages'").pluck().get()).toBeGreaterThan(
      0,
    );

    db.prepare(
      "INSERT INTO api_tokens (id, name, token_hash, scope, created_by, created_at) VALUES ('t1', '公众号', 'h1', 'inbound', 'o', 1)",
    ).run();
    expect(() =>
      db
        .prepare("INSERT INTO api_tokens (id, name, token_hash, scope, created_by, created_at) VALUES ('t2', 'x', 'h1', 'full', 'o', 1)")
        .run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare("INSERT INTO api_tokens (id, name, token_hash, scope, created_by, created_at) VALUES ('t3', 'x', 'h3', 'root', 'o', 1)")
        .run(),
    ).toThrow(/CHECK/);

    db.prepare(
      "INSERT INTO channel_buyers (channel, source, external_id, customer_id, created_at) VALUES ('api', 'wechat', 'o-1', 'c1', 1)",
    ).run();
    // One customer is one channel buyer.
    expect(() =>
      db
        .prepare("INSERT INTO channel_buyers (channel, source, external_id, customer_id, created_at) VALUES ('widget', '', 'v', 'c1', 1)")
        .run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare("INSERT INTO channel_buyers (channel, source, external_id, customer_id, created_at) VALUES ('api', 's', 'e', 'nobody', 1)")
        .run(),
    ).toThrow(/FOREIGN KEY/);

    db.prepare("INSERT INTO channel_keys (scope, key, request_hash, answer, created_at) VALUES ('api', 'k', 'h', '{}', 1)").run();
    expect(() =>
      db.prepare("INSERT INTO channel_keys (scope, key, request_hash, answer, created_at) VALUES ('api', 'k', 'h2', '{}', 2)").run(),
    ).toThrow(/PRIMARY KEY|UNIQUE/);

    db.prepare(
      "INSERT INTO webhook_endpoints (id, url, secret, events, created_by, created_at) VALUES ('e1', 'http://x', 's', '[]', 'o', 1)",
    ).run();
    db.prepare(
      "INSERT INTO webhook_deliveries (id, endpoint_id, event, body, created_at, next_at) VALUES ('d1', 'e1', 'message.created', '{}', 1, 1)",
    ).run();
    expect(db.prepare("SELECT attempts FROM webhook_deliveries WHERE id = 'd1'").pluck().get()).toBe(0);
    // Removing an endpoint removes its deliveries.
    db.prepare("DELETE FROM webhook_endpoints WHERE id = 'e1'").run();
    expect(db.prepare('SELECT count(*) FROM webhook_deliveries').pluck().get()).toBe(0);

    db.prepare(
      "INSERT INTO channel_images (message_id, customer_id, hash, mime, bytes, width, height) VALUES ('m2', 'c1', 'abc', 'image/png', 10, 1, 1)",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO channel_images (message_id, customer_id, hash, mime, bytes, width, height) VALUES ('m1', 'c1', 'abc', 'image/svg+xml', 10, 1, 1)",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();

    // Another connection opening the file afterwards reads the widened schema.
    const again = new Database(file);
    again
      .prepare("INSERT INTO messages (id, conversation_id, sender, kind, text, created_at) VALUES ('m4', 'v1', 'buyer', 'image', '', 4)")
      .run();
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    again.close();
  });

  it('runs once: a file at version 11 is left as it is', () => {
    const file = oldFile();
    const db = new Database(file);
    migrate(db, 11);
    const schema = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'messages'").pluck().get();
    migrate(db, 11);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'messages'").pluck().get()).toBe(schema);
    db.close();
  });
});
