import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { MESSAGES_PER_CONVERSATION, SNAPSHOT_PARTS, type Change, type SnapshotPage, type SnapshotRow } from '../../shared/sync/protocol';
import type { Mutation } from '../../shared/sync/mutations';
import { Core } from '../core/core';
import { sharedJson } from '../platform/sharedAnswer';
import { openStore } from '../store';

const dirs: string[] = [];
const cores: Core[] = [];

function demoCore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-sync-'));
  dirs.push(dir);
  const core = new Core({ dataDir: dir, demoBuyers: { enabled: false } });
  cores.push(core);
  const events: { name: EventName; payload: unknown }[] = [];
  core.on((name, payload) => events.push({ name, payload }));
  async function call<M extends MethodName>(method: M, args: ArgsIn<M>): Promise<ResultOf<M>> {
    const result = (await core.call(method, args, 'test')) as Result<ResultOf<M>>;
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
  return { core, call, events, dir };
}

afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every row the replica could hold, as one comparable picture of the core's state. */
function picture(core: Core) {
  const db = core.store.db;
  const all = (sql: string) => db.prepare(sql).all();
  return {
    messages: all('SELECT id, conversation_id, sender, text, order_id FROM messages ORDER BY id'),
    conversations: all('SELECT id, status, unread_count, waiting_since, last_message_preview, agent_id FROM conversations ORDER BY id'),
    memberships: all('SELECT customer_id, tag_id FROM customer_tags ORDER BY customer_id, tag_id'),
    tags: all('SELECT id, name, color FROM tags ORDER BY id'),
    groups: all('SELECT id, name FROM customer_groups ORDER BY id'),
    customers: all('SELECT id, group_id, remark FROM customers ORDER BY id'),
    notes: all('SELECT order_id, flag, memo FROM order_notes ORDER BY order_id'),
    replies: all('SELECT id, use_count FROM replies ORDER BY id'),
    mutations: all('SELECT mutation_id, status, seq FROM mutations ORDER BY mutation_id'),
  };
}

async function fixture() {
  const c = demoCore();
  const conversations = await c.call('conversations.list', { status: 'open' });
  const [a, b] = conversations;
  const orders = await c.call('orders.listByCustomer', { customerId: a!.customerId });
  const { phrases } = await c.call('phrases.forPicker', {});
  return { ...c, a: a!, b: b!, order: orders[0]!, phrase: phrases[0]! };
}

describe('sync.push', () => {
  it('applies a mutation once: a repeat answers the same and writes nothing more', async () => {
    const { call, core, a } = await fixture();
    const m: Mutation = { mutationId: 'mut-1', name: 'messages.send', args: { id: 'msg-1', conversationId: a.id, text: '亲，马上发货' } };
    const first = await call('sync.push', { clientId: 'desk-1', mutations: [m] });
    expect(first.results[0]).toMatchObject({
      mutationId: 'mut-1',
      status: 'applied',
      error: null,
      result: { id: 'msg-1', text: '亲，马上发货' },
    });
    const head = core.store.changes.head();
    const again = await call('sync.push', { clientId: 'desk-1', mutations: [m] });
    expect(again.results).toEqual(first.results);
    expect(core.store.changes.head()).toBe(head);
    expect(core.store.db.prepare("SELECT count(*) FROM messages WHERE text = '亲，马上发货'").pluck().get()).toBe(1);
  });

  it("refuses a mutation id another client already used, and never hands that client's outcome over", async () => {
    const { call, core, a } = await fixture();
    const m: Mutation = {
      mutationId: 'mut-shared',
      name: 'messages.send',
      args: { id: 'msg-1', conversationId: a.id, text: '亲，马上发货' },
    };
    const first = await call('sync.push', { clientId: 'desk-1', mutations: [m] });
    expect(first.results[0]).toMatchObject({ status: 'applied' });
    const reuse: Mutation = { mutationId: 'mut-shared', name: 'customers.setRemark', args: { customerId: a.customerId, remark: '别人的' } };
    const second = await call('sync.push', { clientId: 'desk-2', mutations: [reuse] });
    expect(second.results).toHaveLength(1);
    expect(second.results[0]).toMatchObject({ mutationId: 'mut-shared', status: 'rejected', error: { code: 'conflict' } });
    expect(second.results[0]).not.toHaveProperty('result');
    expect(second.results[0]!.seq).toBeGreaterThanOrEqual(first.results[0]!.seq);
    // nothing of desk-2's mutation ran, and desk-1's record is still desk-1's
    expect((await call('customers.get', { customerId: a.customerId })).remark).not.toBe('别人的');
    expect(core.store.mutations.get('mut-shared')).toMatchObject({ clientId: 'desk-1', status: 'applied' });
    expect((await call('sync.push', { clientId: 'desk-1', mutations: [m] })).results).toEqual(first.results);
  });

  it('records a refused mutation with its reason, reports it, and still applies the ones after it', async () => {
    const { call, core, a } = await fixture();
    const result = await call('sync.push', {
      clientId: 'desk-1',
      mutations: [
        { mutationId: 'bad-tag', name: 'customers.addTag', args: { customerId: a.customerId, tagId: 'no-such-tag' } },
        { mutationId: 'bad-args', name: 'messages.send', args: { id: 'x', conversationId: a.id, text: '   ' } },
        { mutationId: 'not-a-mutation', name: 'phrases.export', args: { format: 'csv' } },
        { mutationId: 'good', name: 'customers.setRemark', args: { customerId: a.customerId, remark: '只收顺丰' } },
      ],
    });
    expect(result.results.map((r) => [r.mutationId, r.status, r.error?.code ?? null])).toEqual([
      ['bad-tag', 'rejected', 'not_found'],
      ['bad-args', 'rejected', 'invalid_argument'],
      ['not-a-mutation', 'rejected', 'unknown_method'],
      ['good', 'applied', null],
    ]);
    expect(core.store.mutations.get('bad-tag')).toMatchObject({ status: 'rejected', error: { code: 'not_found' } });
    expect((await call('customers.get', { customerId: a.customerId })).remark).toBe('只收顺丰');
    // the refusals are in the feed too: that is how a replica learns of them
    const feed = (await call('sync.pull', { cursor: result.results[0]!.seq - 1, limit: 100 })) as { changes: Change[] };
    expect(feed.changes.filter((c) => c.entity === 'mutation').map((c) => c.id)).toEqual(['bad-tag', 'bad-args', 'not-a-mutation', 'good']);
  });

  it('leaves nothing of a refused mutation behind: its writes roll back and the feed tells only of the refusal', async () => {
    const { call, core, order } = await fixture();
    const before = picture(core);
    const head = core.store.changes.head();
    // Two orders, the second unknown: the first order's note must not change either.
    const result = await call('sync.push', {
      clientId: 'd',
      mutations: [{ mutationId: 'm-notes', name: 'orders.setNotes', args: { orderIds: [order.id, 'no-order'], flag: 1 } }],
    });
    expect(result.results[0]!.status).toBe('rejected');
    const after = picture(core);
    expect({ ...after, mutations: [] }).toEqual({ ...before, mutations: [] });
    expect(core.store.changes.page(head, 100).map((c) => [c.entity, c.id])).toEqual([['mutation', 'm-notes']]);
  });

  it('changes nothing when a batch is replayed twice, out of order', async () => {
    const { call, core, a, b, order, phrase } = await fixture();
    const tag = { id: 'tag-replay', name: '重放', color: '#8e4ec6' };
    const batch: Mutation[] = [
      { mutationId: 'r1', name: 'tags.create', args: tag },
      { mutationId: 'r2', name: 'customers.addTag', args: { customerId: a.customerId, tagId: tag.id } },
      { mutationId: 'r3', name: 'messages.send', args: { id: 'replay-msg', conversationId: a.id, text: '重放测试' } },
      { mutationId: 'r4', name: 'orders.setNotes', args: { orderIds: [order.id], flag: 3, memo: '重放备注' } },
      { mutationId: 'r5', name: 'phrases.markUsed', args: { phraseId: phrase.id } },
      { mutationId: 'r6', name: 'customers.removeTag', args: { customerId: a.customerId, tagId: tag.id } },
      { mutationId: 'r7', name: 'conversations.end', args: { conversationId: b.id } },
      { mutationId: 'r8', name: 'customers.addTag', args: { customerId: b.customerId, tagId: 'missing' } },
    ];
    const first = await call('sync.push', { clientId: 'desk', mutations: batch });
    const state = picture(core);
    const head = core.store.changes.head();
    const shuffled = [batch[5]!, batch[2]!, batch[7]!, batch[0]!, batch[6]!, batch[4]!, batch[1]!, batch[3]!];
    const second = await call('sync.push', { clientId: 'desk', mutations: shuffled });
    const third = await call('sync.push', { clientId: 'desk', mutations: [...shuffled].reverse() });
    expect(picture(core)).toEqual(state);
    expect(core.store.changes.head()).toBe(head);
    const byId = (r: typeof first) => Object.fromEntries(r.results.map((x) => [x.mutationId, x]));
    expect(byId(second)).toEqual(byId(first));
    expect(byId(third)).toEqual(byId(first));
    expect(core.store.db.prepare('SELECT use_count FROM replies WHERE id = ?').pluck().get(phrase.id)).toBe(phrase.useCount + 1);
  });
});

describe('sync.push: a batch in one commit', () => {
  it("commits a batch's mutations once between them, each in its own savepoint, each answered", async () => {
    const { call, core, a } = await fixture();
    let commits = 0;
    const off = core.store.onCommit(() => commits++);
    const result = await call('sync.push', {
      clientId: 'desk-b',
      mutations: [
        { mutationId: 'b1', name: 'customers.setRemark', args: { customerId: a.customerId, remark: '一' } },
        { mutationId: 'b2', name: 'customers.addTag', args: { customerId: a.customerId, tagId: 'no-such-tag' } },
        { mutationId: 'b3', name: 'conversations.markRead', args: { conversationId: a.id } },
      ],
    });
    off();
    expect(commits).toBe(1);
    expect(result.results.map((r) => [r.mutationId, r.status])).toEqual([
      ['b1', 'applied'],
      ['b2', 'rejected'],
      ['b3', 'applied'],
    ]);
    expect(core.store.mutations.get('b2')).toMatchObject({ status: 'rejected' });
    expect((await call('customers.get', { customerId: a.customerId })).remark).toBe('一');
  });

  it('answers and stores nothing of a batch whose commit fails; the retry applies it once', async () => {
    const { call, core, a } = await fixture();
    const before = picture(core);
    let fail = true;
    const off = core.store.beforeCommit(() => {
      if (fail) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
    const batch: Mutation[] = [
      { mutationId: 'f1', name: 'customers.setRemark', args: { customerId: a.customerId, remark: '满了' } },
      { mutationId: 'f2', name: 'messages.send', args: { id: 'full-msg', conversationId: a.id, text: '磁盘满时的回复' } },
    ];
    const refused = await call('sync.push', { clientId: 'desk-f', mutations: batch });
    expect(refused.results).toEqual([]);
    expect(refused.stopped).toMatchObject({ code: 'storage_full' });
    expect(picture(core)).toEqual(before);
    fail = false;
    const retried = await call('sync.push', { clientId: 'desk-f', mutations: batch });
    off();
    expect(retried.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(core.store.db.prepare("SELECT count(*) FROM messages WHERE id = 'full-msg'").pluck().get()).toBe(1);
  });
});

describe('sync.pull', () => {
  it('returns the changes after a cursor in feed order, a page at a time, and the cursor to go on from', async () => {
    const { call, core, a } = await fixture();
    const start = core.store.changes.head();
    for (let i = 0; i < 5; i++) await call('messages.send', { id: `pull-${i}`, conversationId: a.id, text: `第${i}条` });
    const seen: Change[] = [];
    let cursor = start;
    for (;;) {
      const page = await call('sync.pull', { cursor, limit: 3 });
      if (page.kind !== 'changes') throw new Error('unexpected reset');
      seen.push(...page.changes);
      expect(page.cursor).toBeGreaterThanOrEqual(cursor);
      if (page.cursor === cursor) break;
      cursor = page.cursor;
    }
    expect(cursor).toBe(core.store.changes.head());
    expect(seen.map((c) => c.seq)).toEqual([...seen.map((c) => c.seq)].sort((x, y) => x - y));
    expect(seen.filter((c) => c.entity === 'message').map((c) => c.id)).toEqual(['pull-0', 'pull-1', 'pull-2', 'pull-3', 'pull-4']);
    expect(seen.find((c) => c.entity === 'message')!.row).toMatchObject({ conversationId: a.id, sender: 'agent', text: '第0条' });
  });

  it("leaves another agent's personal phrases out, and still moves the cursor past them", async () => {
    const { core } = await fixture();
    const agents = core.store.agents.list();
    const [mei, jie] = agents.filter((x) => x.role === 'agent');
    await core.call('session.switchAgent', { agentId: mei!.id }, 'desk-mei');
    await core.call('session.switchAgent', { agentId: jie!.id }, 'desk-jie');
    const from = core.store.changes.head();
    await core.call('phraseGroups.save', { id: 'g-mei', scope: 'personal', name: '小美的' }, 'desk-mei');
    await core.call('phrases.save', { id: 'p-mei', groupId: 'g-mei', code: '', title: '', content: '小美的私房话' }, 'desk-mei');
    const head = core.store.changes.head();
    const pull = async (connection: string) => {
      const r = await core.call('sync.pull', { cursor: from, limit: 100 }, connection);
      return (r as { value: { changes: Change[]; cursor: number } }).value;
    };
    const mine = await pull('desk-mei');
    expect(mine.changes.map((c) => c.id)).toEqual(expect.arrayContaining(['g-mei', 'p-mei']));
    const theirs = await pull('desk-jie');
    expect(theirs.changes.filter((c) => c.entity === 'phrase' || c.entity === 'phrase_group')).toEqual([]);
    expect(theirs.cursor).toBe(head);
  });

  it('reads a page once for every caller at the same cursor and head, and encodes it once; a commit makes a new one', async () => {
    const { core, call, a } = await fixture();
    const agents = core.store.agents.list().filter((x) => x.role === 'agent');
    await core.call('session.switchAgent', { agentId: agents[0]!.id }, 'desk-1');
    await core.call('session.switchAgent', { agentId: agents[1]!.id }, 'desk-2');
    const from = core.store.changes.head();
    await call('messages.send', { id: 'shared-1', conversationId: a.id, text: '一次读' });
    const pull = async (connection: string) =>
      ((await core.call('sync.pull', { cursor: from, limit: 100 }, connection)) as { value: object }).value;
    const one = await pull('desk-1');
    const two = await pull('desk-2');
    expect(two).toBe(one);
    expect(JSON.parse(sharedJson(one)!)).toEqual(one);
    expect(sharedJson({ ...one })).toBeUndefined();
    await call('messages.send', { id: 'shared-2', conversationId: a.id, text: '再读' });
    const three = (await pull('desk-1')) as { changes: Change[] };
    expect(three).not.toBe(one);
    expect(three.changes.map((c) => c.id)).toContain('shared-2');
  });

  it('answers the pulls of a wave with no read while nothing was committed, and sees at once what another connection commits', async () => {
    const { core, call, a } = await fixture();
    const from = core.store.changes.head();
    await call('messages.send', { id: 'kept-1', conversationId: a.id, text: '留着' });
    const reads = vi.spyOn(core.store, 'read');
    const pull = async () => (await call('sync.pull', { cursor: from, limit: 100 })) as { changes: Change[]; head: number; cursor: number };
    const one = await pull();
    expect(await pull()).toBe(one);
    expect(reads).toHaveBeenCalledTimes(1);
    // The CLI beside the app writes to the file: this connection's commit listeners do not hear it.
    const other = openStore(core.store.db.name);
    try {
      const seq = other.tx(() => other.changes.append('tag', 'from-cli', 'delete', { id: 'from-cli' }, 1));
      const after = await pull();
      expect(after.changes.map((c) => c.seq)).toContain(seq);
      expect(after).toMatchObject({ head: seq, cursor: seq });
    } finally {
      other.close();
    }
    expect(reads).toHaveBeenCalledTimes(2);
    // A row this connection writes outside a transaction (no commit listener hears it) is there too.
    const own = Number(
      core.store.db
        .prepare("INSERT INTO changes (entity, entity_id, op, row, at) VALUES ('tag', 'own', 'delete', '{\"id\":\"own\"}', 1)")
        .run().lastInsertRowid,
    );
    expect((await pull()).head).toBe(own);
  });

  it('tells a replica to rebuild when its cursor is older than the feed keeps, or ahead of it', async () => {
    const { call, core, a } = await fixture();
    const old = core.store.changes.head();
    for (let i = 0; i < 3; i++) await call('messages.send', { id: `c-${i}`, conversationId: a.id, text: `x${i}` });
    const head = core.store.changes.head();
    core.store.tx(() => core.store.changes.prune(head - 2));
    expect(await call('sync.pull', { cursor: old, limit: 10 })).toMatchObject({ kind: 'reset', reason: 'expired' });
    expect(await call('sync.pull', { cursor: head + 50, limit: 10 })).toMatchObject({ kind: 'reset', reason: 'ahead' });
    const recent = await call('sync.pull', { cursor: head - 2, limit: 10 });
    expect(recent).toMatchObject({ kind: 'changes', cursor: head });
  });
});

describe('sync.snapshot', () => {
  it('pages every part by key and holds the newest messages of each open conversation', async () => {
    const { call, core, a } = await fixture();
    for (let i = 0; i < MESSAGES_PER_CONVERSATION + 5; i++)
      await call('messages.send', { id: `snap-${String(i).padStart(3, '0')}`, conversationId: a.id, text: `消息${i}` });
    const rows: SnapshotRow[] = [];
    let feedId = '';
    for (const part of SNAPSHOT_PARTS) {
      let after: string | null = null;
      do {
        const page: SnapshotPage = await call('sync.snapshot', { part, after, limit: 7 * MESSAGES_PER_CONVERSATION });
        feedId ||= page.feedId;
        expect(page.feedId).toBe(feedId);
        rows.push(...page.rows);
        after = page.next;
      } while (after);
    }
    const count = (entity: string) => rows.filter((r) => r.entity === entity).length;
    const counts = core.store.stats.counts();
    expect(count('customer')).toBe(counts.customers);
    expect(count('customer_tag')).toBe(counts.customer_tags);
    expect(count('order')).toBe(counts.orders);
    expect(count('tag')).toBe(counts.tags);
    expect(count('conversation')).toBe((await call('conversations.list', { status: 'open' })).length);
    const ofA = rows.filter((r) => r.entity === 'message' && r.row.conversationId === a.id).map((r) => r.id);
    expect(ofA).toHaveLength(MESSAGES_PER_CONVERSATION);
    expect(ofA).toContain(`snap-${String(MESSAGES_PER_CONVERSATION + 4).padStart(3, '0')}`);
    expect(ofA).not.toContain('snap-004');
    const order = rows.find((r) => r.entity === 'order')!.row as { items: unknown[]; flag: number; memo: string };
    expect(order.items.length).toBeGreaterThan(0);
    expect(typeof order.flag).toBe('number');
  });
});

describe('sync.snapshot scopes', () => {
  const buyerRows = async (call: Awaited<ReturnType<typeof fixture>>['call'], scope: 'all' | 'open' | string[]) => {
    const rows: SnapshotRow[] = [];
    for (const part of ['customer', 'customer_tag', 'order'] as const) {
      let after: string | null = null;
      do {
        const page: SnapshotPage = await call('sync.snapshot', { part, after, limit: 3, scope });
        rows.push(...page.rows);
        after = page.next;
      } while (after);
    }
    return rows;
  };
  const buyersOf = (rows: SnapshotRow[]) =>
    [...new Set(rows.map((r) => (r.entity === 'customer' ? r.id : (r.row as { customerId: string }).customerId)))].sort();

  it('reads the buyers of open conversations, or the named ones, with their tags and orders, a page at a time', async () => {
    const { call, core } = await fixture();
    const db = core.store.db;
    const open = (db.prepare("SELECT DISTINCT customer_id FROM conversations WHERE status = 'open'").pluck().all() as string[]).sort();
    const everyone = db.prepare('SELECT count(*) FROM customers').pluck().get() as number;
    expect(open.length).toBeGreaterThan(0);
    expect(open.length).toBeLessThan(everyone);
    const all = await buyerRows(call, 'all');
    expect(all.filter((r) => r.entity === 'customer')).toHaveLength(everyone);
    const working = await buyerRows(call, 'open');
    expect(buyersOf(working)).toEqual(open);
    // Every tag and order of those buyers, none of anyone else's.
    const ordersOf = (ids: string[]) =>
      db
        .prepare(`SELECT count(*) FROM orders WHERE customer_id IN (${ids.map(() => '?').join(',')})`)
        .pluck()
        .get(...ids) as number;
    expect(working.filter((r) => r.entity === 'order')).toHaveLength(ordersOf(open));
    const other = db
      .prepare("SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM conversations WHERE status = 'open') ORDER BY id LIMIT 2")
      .pluck()
      .all() as string[];
    const named = await buyerRows(call, other);
    expect(buyersOf(named)).toEqual([...other].sort());
    expect(named.filter((r) => r.entity === 'order')).toHaveLength(ordersOf(other));
  });

  it('refuses a scope that is not a short list of ids', async () => {
    const { core } = await fixture();
    for (const scope of [[], Array.from({ length: 201 }, (_, i) => `c${i}`), ['x'.repeat(500)], 'mine', [1]]) {
      const r = await core.call('sync.snapshot', { part: 'customer', scope } as never, 'test');
      expect(r.ok ? 'accepted' : r.error.code).toBe('invalid_argument');
    }
  });
});

describe('sync.poked', () => {
  it('carries the new head after every commit, from a contract call, a push, or a buyer arriving on a channel', async () => {
    const { call, core, events, a } = await fixture();
    const pokes = () => events.filter((e) => e.name === 'sync.poked').map((e) => (e.payload as Events['sync.poked']).head);
    events.length = 0;
    await call('customers.setRemark', { customerId: a.customerId, remark: '老客户' });
    expect(pokes()).toEqual([core.store.changes.head()]);
    events.length = 0;
    await call('sync.push', {
      clientId: 'd',
      mutations: [
        { mutationId: 'p1', name: 'conversations.markRead', args: { conversationId: a.id } },
        { mutationId: 'p2', name: 'customers.setRemark', args: { customerId: a.customerId, remark: '新备注' } },
      ],
    });
    await expect.poll(() => pokes().at(-1), { message: 'the push is poked with the new head' }).toBe(core.store.changes.head());
    const heads = pokes();
    // A batch shares one commit: poked at least once, with the batch's head last.
    expect(heads.length).toBeGreaterThanOrEqual(1);
    expect(heads[heads.length - 1]).toBe(core.store.changes.head());
    expect([...heads].sort((x, y) => x - y)).toEqual(heads);
    // a write outside any contract call (the store directly, as a channel would) is announced too
    events.length = 0;
    core.store.tx(() => core.store.customers.setRemark(a.customerId, '渠道写入', Date.now()));
    await expect.poll(pokes, { message: 'a write outside a call is poked once' }).toEqual([core.store.changes.head()]);
  });
});
