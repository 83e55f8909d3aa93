import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from './index';
import { migrate } from './migrations';
import type { ConversationRow } from './conversations';

function store() {
  const db = new Database(':memory:');
  migrate(db);
  const s = createStore(db);
  s.customers.insertGroup({ id: 'g1', name: '老客户', sort: 0, created_at: 0 });
  s.customers.insertTag({ id: 't1', name: 'A级 "金"', color: '#aa3300', created_at: 0 });
  s.customers.insertTag({ id: 't2', name: '爱砍价', color: '#ffcc00', created_at: 0 });
  s.customers.insert({ id: 'c1', nick: '小鱼儿\\😀', group_id: 'g1', remark: '', first_seen_at: 0, updated_at: 0 });
  s.customers.insert({ id: 'c2', nick: 'tb_无标签', group_id: null, remark: '', first_seen_at: 0, updated_at: 0 });
  // Tags in an order their names would not give: the feed keeps the customer's own order.
  s.customers.addTag('c1', 't2', 1);
  s.customers.addTag('c1', 't1', 2);
  return s;
}

const row = (id: string, customer: string, extra: Partial<ConversationRow> = {}): ConversationRow => ({
  id,
  customer_id: customer,
  agent_id: null,
  status: 'ended',
  last_message_at: 1_718_000_000_123,
  last_message_preview: '好的👌 "已发货"\n谢谢',
  unread_count: 0,
  waiting_since: null,
  created_at: 1_718_000_000_000,
  ended_at: 1_718_000_100_000,
  ...extra,
});

describe('a batch of conversations in the change feed', () => {
  it('records each new conversation once, byte for byte as a single insert does', () => {
    const single = store();
    const batch = store();
    const rows = [
      row('v1', 'c1', { agent_id: null }),
      row('v2', 'c2', { status: 'open', unread_count: 2, waiting_since: 1_718_000_000_050 }),
    ];
    for (const r of rows) single.tx(() => single.conversations.insert(r));
    batch.tx(() => batch.conversations.insertMany(rows));
    batch.tx(() => batch.conversations.insertMany([row('v1', 'c2', { last_message_preview: 'a repeat is not stored' })]));
    const feed = (s: ReturnType<typeof store>) =>
      s.db.prepare("SELECT entity_id, row, at FROM changes WHERE entity = 'conversation' ORDER BY seq").all() as {
        entity_id: string;
        row: string;
        at: number;
      }[];
    expect(feed(batch)).toEqual(feed(single));
    expect(feed(batch)).toHaveLength(2);
    expect(JSON.parse(feed(batch)[0]!.row)).toMatchObject({
      customerNick: '小鱼儿\\😀',
      customerTags: [{ id: 't2' }, { id: 't1' }],
      customerGroupId: 'g1',
    });
    expect(batch.conversations.get('v1')?.lastMessagePreview).toBe('好的👌 "已发货"\n谢谢');
  });

  it("records several conversations' changes at once, each at its own time, as one by one would", () => {
    const one = store();
    const many = store();
    for (const s of [one, many]) s.tx(() => s.conversations.insertMany([row('v1', 'c1'), row('v2', 'c2')]));
    const messages = [{ sender: 'buyer' as const, created_at: 1_718_000_200_000, text: '在吗？' }];
    one.tx(() => {
      one.conversations.applyMessages('v2', messages);
      one.conversations.applyMessages(
        'v1',
        messages.map((m) => ({ ...m, created_at: m.created_at + 5 })),
      );
    });
    many.tx(() => {
      many.conversations.applyMessages('v2', messages, false);
      many.conversations.applyMessages(
        'v1',
        messages.map((m) => ({ ...m, created_at: m.created_at + 5 })),
        false,
      );
      many.conversations.recordChanges([
        { id: 'v2', at: 1_718_000_200_000 },
        { id: 'v1', at: 1_718_000_200_005 },
        { id: 'gone', at: 1 },
      ]);
    });
    const feed = (s: ReturnType<typeof store>) => s.db.prepare('SELECT entity, entity_id, op, row, at FROM changes ORDER BY seq').all();
    expect(feed(many)).toEqual(feed(one));
    expect(feed(many).slice(-2)).toMatchObject([
      { entity_id: 'v2', at: 1_718_000_200_000 },
      { entity_id: 'v1', at: 1_718_000_200_005 },
    ]);
  });
});
