import type { Migration } from './index';

/**
 * Real buyers on the hub (issue 13): the API channel for bridges and the web chat widget.
 * - `api_tokens`: a bridge's API token, kept as its sha256 only (like sign-in sessions), with a name,
 *   a scope, who made it, when it was last used and when it was revoked.
 * - `channel_buyers`: which customer a channel's buyer is: a bridge's external id (per source label,
 *   `wechat`, `sms`…) or a widget visitor's id.
 * - `channel_keys`: idempotency keys of inbound messages (a bridge's key, a widget's client-made id)
 *   with the hash of the request and the answer given, so a repeat is stored once and answered alike
 *   (and the message it made, so a widget's history carries its own client ids).
 * - `webhook_endpoints` and `webhook_deliveries`: the owner's URLs, with the secret each delivery is
 *   signed with, and the durable outbox of deliveries (attempts, next try, delivered or dead).
 * - `channel_seen`: the last assignment and status told for each conversation, so a webhook can say
 *   assigned, transferred or ended.
 * - `channel_images`: an image a buyer sent: the message it belongs to, its file (by sha256, kept
 *   outside the database), its type as sniffed from its bytes, its size.
 * - `messages.kind` may now be `image`. Widening a CHECK that every stored row already passes does not
 *   change the file's format, so the table's SQL is edited in place (SQLite's documented procedure for
 *   changing constraints, lang_altertable.html "other kinds of table schema changes") instead of
 *   copying a million messages into a new table.
 */
export const m0011Channels: Migration = {
  version: 11,
  name: 'channels',
  up(db) {
    db.exec(`
      CREATE TABLE api_tokens (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        token_hash   TEXT NOT NULL UNIQUE,
        scope        TEXT NOT NULL CHECK (scope IN ('inbound', 'full')),
        created_by   TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at   INTEGER
      );

      CREATE TABLE channel_buyers (
        channel     TEXT NOT NULL CHECK (channel IN ('api', 'widget')),
        source      TEXT NOT NULL,
        external_id TEXT NOT NULL,
        customer_id TEXT NOT NULL UNIQUE REFERENCES customers(id),
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (channel, source, external_id)
      ) WITHOUT ROWID;

      CREATE TABLE channel_keys (
        scope        TEXT NOT NULL,
        key          TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        answer       TEXT NOT NULL,
        message_id   TEXT,
        created_at   INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      ) WITHOUT ROWID;
      CREATE INDEX channel_keys_time ON channel_keys(created_at);
      CREATE INDEX channel_keys_message ON channel_keys(message_id) WHERE message_id IS NOT NULL;

      CREATE TABLE webhook_endpoints (
        id         TEXT PRIMARY KEY,
        url        TEXT NOT NULL,
        secret     TEXT NOT NULL,
        events     TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE webhook_deliveries (
        id           TEXT PRIMARY KEY,
        endpoint_id  TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event        TEXT NOT NULL,
        body         TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        attempts     INTEGER NOT NULL DEFAULT 0,
        next_at      INTEGER NOT NULL,
        last_status  INTEGER,
        last_error   TEXT,
        delivered_at INTEGER,
        dead_at      INTEGER
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
      CREATE INDEX webhook_deliveries_dead ON webhook_deliveries(dead_at) WHERE dead_at IS NOT NULL;
      CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id);

      CREATE TABLE channel_seen (
        conversation_id TEXT PRIMARY KEY,
        agent_id        TEXT,
        status          TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE channel_images (
        message_id  TEXT PRIMARY KEY REFERENCES messages(id),
        customer_id TEXT NOT NULL REFERENCES customers(id),
        hash        TEXT NOT NULL,
        mime        TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
        bytes       INTEGER NOT NULL,
        width       INTEGER NOT NULL,
        height      INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX channel_images_hash ON channel_images(hash);
    `);
    widenMessageKinds(db);
  },
};

const OLD_KINDS = "CHECK (kind IN ('text', 'order_card', 'product_card'))";
const NEW_KINDS = "CHECK (kind IN ('text', 'order_card', 'product_card', 'image'))";

/** `messages.kind` may be `image`: the CHECK is widened in the stored schema (every row passes it already). */
function widenMessageKinds(db: Parameters<Migration['up']>[0]): void {
  const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'messages'").pluck().get() as string;
  if (sql.includes(NEW_KINDS)) return;
  if (!sql.includes(OLD_KINDS)) throw new Error('migration 0011: the messages table is not the one it expects');
  const version = db.pragma('schema_version', { simple: true }) as number;
  // better-sqlite3 opens connections in SQLite's defensive mode, which forbids writing the schema table.
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'messages'").run(sql.replace(OLD_KINDS, NEW_KINDS));
    // A new schema cookie makes every connection (this one too) read the schema again.
    db.pragma(`schema_version = ${version + 1}`);
    db.pragma('writable_schema = OFF');
  } finally {
    db.unsafeMode(false);
  }
  const check = db.pragma('integrity_check', { simple: true });
  if (check !== 'ok') throw new Error(`migration 0011: integrity check after widening messages.kind: ${String(check)}`);
}
