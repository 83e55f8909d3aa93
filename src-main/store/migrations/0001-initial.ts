import type { Migration } from './index';

/**
 * The first schema: agents, customers with groups and tags, reply scripts, conversations and messages,
 * orders with notes and memo history, processed mutations, settings, and the change feed.
 * Times are integer milliseconds; money is integer cents (分).
 */
export const m0001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE agents (
        id         TEXT PRIMARY KEY,
        nick       TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'owner')),
        state      TEXT NOT NULL DEFAULT 'online' CHECK (state IN ('online', 'busy', 'offline')),
        created_at INTEGER NOT NULL
      );

      CREATE TABLE customer_groups (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        sort       INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      -- The marketplace allows at most 100 customer groups per shop.
      CREATE TRIGGER customer_groups_limit BEFORE INSERT ON customer_groups
      WHEN (SELECT count(*) FROM customer_groups) >= 100
      BEGIN SELECT RAISE(ABORT, 'customer_group_limit'); END;

      CREATE TABLE customers (
        id            TEXT PRIMARY KEY,
        nick          TEXT NOT NULL UNIQUE,
        group_id      TEXT REFERENCES customer_groups(id) ON DELETE SET NULL,
        remark        TEXT NOT NULL DEFAULT '',
        first_seen_at INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      );
      CREATE INDEX customers_group ON customers(group_id);

      CREATE TABLE tags (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        color      TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE customer_tags (
        customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        tag_id      TEXT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (customer_id, tag_id)
      ) WITHOUT ROWID;
      CREATE INDEX customer_tags_tag ON customer_tags(tag_id);

      -- Reply scripts: scope 'team' (owner '') or 'personal' (owner = agent id).
      CREATE TABLE reply_groups (
        id         TEXT PRIMARY KEY,
        scope      TEXT NOT NULL CHECK (scope IN ('team', 'personal')),
        owner      TEXT NOT NULL DEFAULT '',
        name       TEXT NOT NULL,
        sort       INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        UNIQUE (scope, owner, name)
      );

      CREATE TABLE replies (
        id           TEXT PRIMARY KEY,
        scope        TEXT NOT NULL CHECK (scope IN ('team', 'personal')),
        owner        TEXT NOT NULL DEFAULT '',
        group_id     TEXT NOT NULL REFERENCES reply_groups(id) ON DELETE CASCADE,
        code         TEXT NOT NULL DEFAULT '',
        title        TEXT NOT NULL DEFAULT '',
        content      TEXT NOT NULL CHECK (length(content) BETWEEN 1 AND 2000),
        -- Search keys computed when the phrase is written (code, text, pinyin initials, full pinyin).
        search_keys  TEXT NOT NULL DEFAULT '',
        use_count    INTEGER NOT NULL DEFAULT 0,
        last_used_at INTEGER,
        sort         INTEGER NOT NULL DEFAULT 0,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX replies_code ON replies(scope, owner, code) WHERE code <> '';
      CREATE INDEX replies_group ON replies(group_id, sort);

      CREATE TABLE conversations (
        id                   TEXT PRIMARY KEY,
        customer_id          TEXT NOT NULL REFERENCES customers(id),
        agent_id             TEXT REFERENCES agents(id),
        status               TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ended')),
        last_message_at      INTEGER NOT NULL,
        last_message_preview TEXT NOT NULL DEFAULT '',
        unread_count         INTEGER NOT NULL DEFAULT 0,
        waiting_since        INTEGER,
        created_at           INTEGER NOT NULL,
        ended_at             INTEGER
      );
      CREATE INDEX conversations_status ON conversations(status, last_message_at);
      CREATE INDEX conversations_customer ON conversations(customer_id);

      -- Append-only. The id is made by whoever creates the message; a repeated id is a no-op.
      CREATE TABLE messages (
        id              TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        sender          TEXT NOT NULL CHECK (sender IN ('buyer', 'agent', 'system')),
        agent_id        TEXT REFERENCES agents(id),
        kind            TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'order_card', 'product_card')),
        text            TEXT NOT NULL,
        order_id        TEXT,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX messages_conversation ON messages(conversation_id, created_at, id);
      CREATE INDEX messages_time ON messages(created_at);

      CREATE TABLE orders (
        id                TEXT PRIMARY KEY,
        order_no          TEXT NOT NULL UNIQUE,
        customer_id       TEXT NOT NULL REFERENCES customers(id),
        status            TEXT NOT NULL CHECK (status IN ('pending_payment', 'to_ship', 'shipped', 'completed', 'refunding')),
        amount_cents      INTEGER NOT NULL CHECK (amount_cents >= 0),
        address           TEXT NOT NULL DEFAULT '',
        logistics_company TEXT,
        tracking_no       TEXT,
        created_at        INTEGER NOT NULL,
        paid_at           INTEGER,
        updated_at        INTEGER NOT NULL
      );
      CREATE INDEX orders_customer ON orders(customer_id, created_at);

      CREATE TABLE order_items (
        id          TEXT PRIMARY KEY,
        order_id    TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        title       TEXT NOT NULL,
        sku         TEXT NOT NULL DEFAULT '',
        price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
        quantity    INTEGER NOT NULL CHECK (quantity > 0)
      );
      CREATE INDEX order_items_order ON order_items(order_id);

      -- Flag (插旗) 0 grey … 5 purple; memo (备注) at most 1000 GBK bytes, checked by the store.
      CREATE TABLE order_notes (
        order_id   TEXT PRIMARY KEY REFERENCES orders(id) ON DELETE CASCADE,
        flag       INTEGER NOT NULL DEFAULT 0 CHECK (flag BETWEEN 0 AND 5),
        memo       TEXT NOT NULL DEFAULT '',
        updated_by TEXT REFERENCES agents(id),
        updated_at INTEGER NOT NULL
      );

      -- The last 10 memo edits per order (older ones are pruned in the same transaction).
      CREATE TABLE order_memo_history (
        id        TEXT PRIMARY KEY,
        order_id  TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        author_id TEXT REFERENCES agents(id),
        old_memo  TEXT NOT NULL,
        new_memo  TEXT NOT NULL,
        at        INTEGER NOT NULL
      );
      CREATE INDEX order_memo_history_order ON order_memo_history(order_id, at);

      -- Mutations already applied (or refused), so a repeated push is a no-op with the same answer.
      CREATE TABLE mutations (
        mutation_id TEXT PRIMARY KEY,
        client_id   TEXT NOT NULL,
        name        TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
        result      TEXT,
        error       TEXT,
        applied_at  INTEGER NOT NULL
      );

      -- The change feed: every write appends here in the same transaction. Replicas pull after a seq.
      CREATE TABLE changes (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        entity    TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        op        TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        row       TEXT,
        at        INTEGER NOT NULL
      );
    `);
  },
};
