import 'fake-indexeddb/auto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../shared/domain/types';
import { run } from '../../src-main/cli/jiedai';
import { Core } from '../../src-main/core/core';
import { ReplicaDb } from '../../src-renderer/db/replicaDb';
import { SyncEngine } from '../../src-renderer/db/syncEngine';
import { replicaDiff } from './compare';
import { directTransport } from './transport';

let n = 0;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function demo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-replica-'));
  const core = new Core({ dataDir: dir, demoBuyers: { enabled: false } });
  cleanups.push(() => {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { core, dir, agentId: core.store.settings.get<string>('currentAgentId', '') };
}

function desk(core: Core, options: ConstructorParameters<typeof SyncEngine>[2] = {}) {
  const db = new ReplicaDb(`replica-test-${++n}`);
  const transport = directTransport(core);
  const cursors: number[] = [];
  const engine = new SyncEngine(db, transport, { pollMs: 0, retryBaseMs: 5, retryMaxMs: 20, onCursor: (c) => cursors.push(c), ...options });
  cleanups.push(async () => {
    engine.stop();
    db.close();
    await db.delete();
  });
  return { db, engine, transport, cursors };
}

async function drained(engine: SyncEngine) {
  engine.sync();
  await engine.idle();
}

describe('the replica', () => {
  it('bootstraps from a snapshot and then equals the core', async () => {
    const { core, agentId } = demo();
    const { db, engine } = desk(core);
    engine.start();
    await drained(engine);
    expect(await replicaDiff(core.store, db, agentId)).toEqual([]);
    expect(await db.conversations.count()).toBeGreaterThan(10);
  });

  it('shows an action at once, marked pending, and drops it from the outbox only once a pulled change covers it', async () => {
    const { core, agentId } = demo();
    const { db, engine } = desk(core);
    engine.start();
    await drained(engine);
    const [conversation] = (await core.call('conversations.list', {}, 'test')).ok
      ? ((await core.call('conversations.list', {}, 'test')) as { value: ConversationSummary[] }).value
      : [];
    engine.stop(); // nothing leaves: the action stays queued
    await engine.mutate('messages.send', { id: 'reply-1', conversationId: conversation!.id, text: '亲，今天发货' });
    const shown = await db.messages.get('reply-1');
    expect(shown).toMatchObject({ text: '亲，今天发货', local: { status: 'pending' } });
    expect((await db.conversations.get(conversation!.id))!.lastMessagePreview).toBe('亲，今天发货');
    expect(await db.outbox.count()).toBe(1);

    const again = new SyncEngine(db, directTransport(core), { pollMs: 0 });
    cleanups.push(() => again.stop());
    again.start();
    await drained(again);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.messages.get('reply-1'))!.local).toBeUndefined();
    expect(core.store.db.prepare("SELECT count(*) FROM messages WHERE id = 'reply-1'").pluck().get()).toBe(1);
    expect(await replicaDiff(core.store, db, agentId)).toEqual([]);
  });

  it('shows a refused reply as failed, keeps other actions moving, and a retry stores it once under the same id', async () => {
    const { core, agentId } = demo();
    const { db, engine } = desk(core);
    engine.start();
    await drained(engine);
    const list = (await core.call('conversations.list', {}, 'test')) as { ok: true; value: ConversationSummary[] };
    const [a, b] = list.value;
    await core.call('conversations.end', { conversationId: a!.id }, 'test');
    // the replica has not pulled the end yet: the reply is written to a conversation the core closed
    engine.stop();
    const fresh = new SyncEngine(db, directTransport(core), { pollMs: 0, retryBaseMs: 5 });
    cleanups.push(() => fresh.stop());
    await fresh.mutate('messages.send', { id: 'late-reply', conversationId: a!.id, text: '还在吗' });
    await fresh.mutate('customers.setRemark', { customerId: b!.customerId, remark: '要发票' });
    fresh.start();
    await drained(fresh);
    const entry = (await db.outbox.toArray())[0];
    expect(entry).toMatchObject({ name: 'messages.send', status: 'rejected', error: { code: 'conflict' } });
    expect((await core.call('customers.get', { customerId: b!.customerId }, 'test')) as { value: { remark: string } }).toMatchObject({
      value: { remark: '要发票' },
    });
    // the conversation left the replica with its messages; reopen it in the core and retry
    core.store.db.prepare("UPDATE conversations SET status = 'open', ended_at = NULL WHERE id = ?").run(a!.id);
    core.store.tx(() => core.store.conversations.recordChange(a!.id, Date.now()));
    await drained(fresh);
    await fresh.retrySend('late-reply');
    await drained(fresh);
    expect(await db.outbox.count()).toBe(0);
    expect(core.store.db.prepare("SELECT count(*) FROM messages WHERE id = 'late-reply'").pluck().get()).toBe(1);
    expect(await replicaDiff(core.store, db, agentId)).toEqual([]);
  });

  it('pulls a burst in chunks, each with its cursor, and the cursor only moves forward', async () => {
    const { core, agentId } = demo();
    const { db, engine, transport, cursors } = desk(core, { pullLimit: 100 });
    engine.start();
    await drained(engine);
    const list = (await core.call('conversations.list', {}, 'test')) as { ok: true; value: ConversationSummary[] };
    for (let i = 0; i < 120; i++)
      await core.call('messages.send', { id: `burst-${i}`, conversationId: list.value[i % 5]!.id, text: `批量${i}` }, 'test');
    await drained(engine);
    const pulls = transport.calls.filter((c) => c.method === 'sync.pull');
    expect(pulls.length).toBeGreaterThanOrEqual(3);
    expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
    expect(await replicaDiff(core.store, db, agentId)).toEqual([]);
  });

  it('rebuilds from a snapshot when its cursor is older than the feed keeps, without losing the outbox', async () => {
    const { core, agentId } = demo();
    const { db, engine } = desk(core);
    engine.start();
    await drained(engine);
    engine.stop();
    const list = (await core.call('conversations.list', {}, 'test')) as { ok: true; value: ConversationSummary[] };
    for (let i = 0; i < 20; i++) await core.call('customers.setRemark', { customerId: list.value[0]!.customerId, remark: `r${i}` }, 'test');
    core.store.tx(() => core.store.changes.prune(core.store.changes.head() - 3));
    const next = new SyncEngine(db, directTransport(core), { pollMs: 0 });
    cleanups.push(() => next.stop());
    await next.mutate('customers.addTag', { customerId: list.value[1]!.customerId, tagId: (await db.tags.toArray())[0]!.id });
    next.start();
    await drained(next);
    expect(await db.outbox.count()).toBe(0);
    expect(await replicaDiff(core.store, db, agentId)).toEqual([]);
  });

  it('keeps the newest messages of a busy conversation and trims the older ones out of the window', async () => {
    const { core, agentId } = demo();
    const { db, engine } = desk(core, { pullLimit: 1000 });
    engine.start();
    await drained(engine);
    const list = (await core.call('conversations.list', {}, 'test')) as { ok: true; value: ConversationSummary[] };
    const id = list.value[0]!.id;
    for (let i = 0; i < 130; i++)
      await core.call('messages.send', { id: `busy-${String(i).padStart(3, '0')}`, conversationId: id, text: `忙${i}` }, 'test');
    await drained(engine);
    const held = await db.messages.where('conversationId').equals(id).primaryKeys();
    expect(held.length).toBeLessThanOrEqual(100);
    expect(held).toContain('busy-129');
    expect(held).not.toContain('busy-000');
    expect(await replicaDiff(core.store, db, agentId)).toEqual([]);
  });

  it('shows a phrase the CLI imported beside the running app without waiting for a poll', async () => {
    const { core, dir } = demo();
    // pollMs 0: this desk never polls, so only the core's poke can bring the phrase.
    const { db, engine } = desk(core);
    engine.start();
    await drained(engine);
    const csv = path.join(dir, 'cli.csv');
    fs.writeFileSync(csv, '分组,快捷编码,快捷短语\n售后,clirp,亲，这是命令行刚导入的\n');
    expect(await run(['import-replies', csv, '--commit', '--data-dir', dir], { out: () => undefined, err: () => undefined })).toBe(0);
    await expect
      .poll(async () => (await db.phrases.toArray()).find((p) => p.code === 'clirp')?.content, {
        message: 'the desk’s replica holds the CLI’s phrase',
        timeout: 5_000,
        interval: 50,
      })
      .toBe('亲，这是命令行刚导入的');
  });
});
