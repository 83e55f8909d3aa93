import 'fake-indexeddb/auto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATA_FILE } from '../../src-main/core/core';
import { createRandom, mulberry32, type Random } from '../../src-main/services/demo/random';
import { createStore } from '../../src-main/store';
import { openDatabase } from '../../src-main/store/connection';
import { wordKey } from '../../shared/domain/redLines/normalize';
import type { MutationArgs, MutationName } from '../../shared/sync/mutations';
import { ReplicaDb } from '../../src-renderer/db/replicaDb';
import { SyncEngine } from '../../src-renderer/db/syncEngine';
import { ChaosTransport, type Faults } from './chaosTransport';
import { replicaDiff } from './compare';
import { CoreThread } from './coreWorker';

export const DEFAULT_FAULTS: Faults = {
  dropRequest: 0.08,
  dropReply: 0.08,
  duplicate: 0.1,
  delay: 0.3,
  killAfterCommit: 0.04,
  killInFlight: 0.015,
  dropEvent: 0.3,
  duplicateEvent: 0.1,
};

type Ack = { mutationId: string; name: MutationName; args: Record<string, unknown> };

type Desk = {
  index: number;
  db: ReplicaDb;
  transport: ChaosTransport;
  engine: SyncEngine;
  acks: Ack[];
  cursors: number[];
};

export type SeedResult = {
  seed: number;
  problems: string[];
  stats: {
    actions: number;
    mutations: number;
    restarts: number;
    calls: number;
    dropped: number;
    lostReplies: number;
    duplicates: number;
    buyers: boolean;
    compactions: number;
    ms: number;
  };
};

let dbCounter = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One seed of the randomized reliability test: two desks act at random on a copy of the demo shop
 * while the transport misbehaves and the core is killed and restarted; then the faults stop, the
 * outboxes drain, and the invariants are checked against the SQLite file.
 */
export async function runSeed(
  seed: number,
  options: { bundle: string; template: string; steps: number; faults?: Faults },
): Promise<SeedResult> {
  const started = Date.now();
  const rnd = createRandom(seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jiedai-chaos-${seed}-`));
  fs.copyFileSync(options.template, path.join(dir, DATA_FILE));
  const buyers = rnd.chance(0.25);
  const core = new CoreThread(options.bundle, { dataDir: dir, seedDemo: false, demoBuyers: { enabled: buyers, intervalMs: 250 } });
  const problems: string[] = [];
  const desks: Desk[] = [];
  let restarting: Promise<void> | null = null;
  const restart = (): Promise<void> =>
    (restarting ??= (async () => {
      await core.kill();
      await core.start();
    })().finally(() => {
      restarting = null;
    }));

  const template = createStore(openDatabase(options.template, { readonly: true }));
  const agentId = template.settings.get<string>('currentAgentId', '');
  const initialUse = new Map(
    (template.db.prepare('SELECT id, use_count FROM replies').all() as { id: string; use_count: number }[]).map((r) => [r.id, r.use_count]),
  );
  const initialMemberships = new Set(
    (template.db.prepare('SELECT customer_id, tag_id FROM customer_tags').all() as { customer_id: string; tag_id: string }[]).map(
      (r) => `${r.customer_id}:${r.tag_id}`,
    ),
  );
  const phraseIds = [...initialUse.keys()];
  template.close();

  const makeEngine = (desk: Omit<Desk, 'engine'>, salt: number) =>
    new SyncEngine(desk.db, desk.transport, {
      pullLimit: rnd.pick([10, 60, 1000]),
      snapshotLimit: rnd.pick([120, 400, 2000]),
      pushBatch: rnd.pick([1, 5, 100]),
      retryBaseMs: 1,
      retryMaxMs: 12,
      pollMs: 0,
      random: mulberry32(seed * 31 + salt),
      log: () => undefined,
      onCursor: (c) => desk.cursors.push(c),
    });

  try {
    await core.start();
    for (let i = 0; i < 2; i++) {
      const base = {
        index: i,
        db: new ReplicaDb(`chaos-${seed}-${i}-${++dbCounter}`),
        transport: new ChaosTransport(core, seed, i, options.faults ?? DEFAULT_FAULTS, restart),
        acks: [],
        cursors: [],
      };
      const desk: Desk = { ...base, engine: makeEngine(base, i) };
      await desk.engine.setAgent(agentId);
      desk.engine.start();
      desks.push(desk);
    }

    let actions = 0;
    let waited = 0;
    let compactions = 0;
    for (let step = 0; step < options.steps; step++) {
      const desk = rnd.pick(desks);
      // An agent acts on what the desk shows: until its replica has been built, they wait.
      if ((await desk.db.conversations.count()) === 0 && waited++ < 3000) {
        step -= 1;
        await sleep(2);
        continue;
      }
      const mutate = async <N extends MutationName>(name: N, args: MutationArgs<N>) => {
        const mutationId = await desk.engine.mutate(name, args);
        // null: the desk had already closed, so the agent never saw the action happen.
        if (mutationId) desk.acks.push({ mutationId, name, args: args as Record<string, unknown> });
      };
      await act(rnd, desk.db, mutate, { seed, step, desk: desk.index, phraseIds });
      actions += 1;
      if (rnd.chance(0.03)) await restart();
      if (rnd.chance(0.015)) {
        // The core forgets the older part of its feed (as compaction does): desks behind it must rebuild.
        compactions += 1;
        compactFeed(path.join(dir, DATA_FILE), rnd.int(0, 30));
      }
      if (rnd.chance(0.01)) editRedLines(path.join(dir, DATA_FILE), rnd, step);
      if (rnd.chance(0.03)) {
        // The page is reloaded: a new engine on the same replica and outbox.
        desk.engine.stop();
        desk.engine = makeEngine(desk, 100 + step);
        desk.engine.start();
      }
      await sleep(rnd.int(0, 3));
    }

    // ── Drain: the faults stop, the core stays up, every outbox empties. ──
    for (const d of desks) d.transport.calm = true;
    if (restarting) await restarting;
    if (!core.running) await core.start();
    if (buyers) await core.call('demo.configureBuyers', { enabled: false }, 'test');
    const deadline = Date.now() + 30_000;
    for (;;) {
      for (const d of desks) {
        d.engine.sync();
        await d.engine.idle();
      }
      const head = await core.call('sync.pull', { cursor: 0, limit: 1 }, 'test');
      const headSeq =
        head.ok && head.value && typeof head.value === 'object' && 'head' in head.value ? (head.value as { head: number }).head : -1;
      const states = await Promise.all(
        desks.map(async (d) => ({
          pending: await d.db.outbox
            .where('seq')
            .above(0)
            .filter((e) => e.status === 'pending')
            .count(),
          cursor: await d.db.getMeta<number | null>('cursor', null),
        })),
      );
      if (states.every((s) => s.pending === 0 && s.cursor === headSeq)) break;
      if (Date.now() > deadline) {
        problems.push(`the outboxes did not drain: ${JSON.stringify(states)} head ${headSeq}`);
        break;
      }
      await sleep(5);
    }
    for (const d of desks) d.engine.stop();
    await core.close();

    problems.push(...(await check(path.join(dir, DATA_FILE), desks, { agentId, initialUse, initialMemberships })));
    const log = desks.map((d) => d.transport.log);
    return {
      seed,
      problems,
      stats: {
        actions,
        mutations: desks.reduce((n, d) => n + d.acks.length, 0),
        restarts: core.starts - 1,
        calls: log.reduce((n, l) => n + l.calls, 0),
        dropped: log.reduce((n, l) => n + l.dropped, 0),
        lostReplies: log.reduce((n, l) => n + l.lostReplies, 0),
        duplicates: log.reduce((n, l) => n + l.duplicates, 0),
        buyers,
        compactions,
        ms: Date.now() - started,
      },
    };
  } finally {
    for (const d of desks) {
      d.engine.stop();
      d.db.close();
      await d.db.delete();
    }
    await core.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A supervisor's edit of the red-line list from a second connection (as the CLI beside a running
 * app): one word dropped, one added, an exception added or dropped. The desks learn of it by the feed.
 */
function editRedLines(file: string, rnd: Random, step: number): void {
  const store = createStore(openDatabase(file));
  try {
    const words = store.redLines.words().map((w) => ({ key: w.key, word: w.word, category: w.category }));
    if (words.length > 0) words.splice(rnd.int(0, words.length - 1), 1);
    words.push({ key: wordKey(`红线${step}`), word: `红线${step}`, category: 'custom' });
    const exceptions = store.redLines.exceptions().map((phrase) => ({ key: wordKey(phrase), phrase }));
    if (rnd.chance(0.5) && exceptions.length > 0) exceptions.pop();
    else exceptions.push({ key: wordKey(`红线${step}外`), phrase: `红线${step}外` });
    store.tx(() => store.redLines.replace(words, exceptions, Date.now()));
  } finally {
    store.close();
  }
}

/**
 * Prunes the feed from a second connection while the core runs (WAL and the busy timeout let it in),
 * keeping only the newest `keep` changes, as the core's compaction would.
 */
function compactFeed(file: string, keep: number): void {
  const store = createStore(openDatabase(file));
  try {
    store.tx(() => store.changes.prune(store.changes.head() - keep));
  } finally {
    store.close();
  }
}

/** One random agent action, chosen from what the desk's replica shows (some of them meant to be refused). */
async function act(
  rnd: Random,
  db: ReplicaDb,
  mutate: <N extends MutationName>(name: N, args: MutationArgs<N>) => Promise<void>,
  ctx: { seed: number; step: number; desk: number; phraseIds: string[] },
): Promise<void> {
  const conversations = await db.conversations.toArray();
  const tags = await db.tags.toArray();
  const groups = await db.customerGroups.toArray();
  if (conversations.length === 0) return; // not bootstrapped yet: the agent waits
  const c = rnd.pick(conversations);
  const label = `s${ctx.seed}-d${ctx.desk}-${ctx.step}`;
  const roll = rnd.next();
  if (roll < 0.26) return mutate('messages.send', { id: `m-${label}`, conversationId: c.id, text: `回复 ${label}` });
  if (roll < 0.28) return mutate('messages.send', { id: `m-${label}`, conversationId: 'no-such-conversation', text: `迷路 ${label}` });
  if (roll < 0.3) return mutate('messages.send', { id: `m-${label}`, conversationId: c.id, text: '   ' });
  if (roll < 0.35) return mutate('conversations.markRead', { conversationId: c.id });
  if (roll < 0.37) return mutate('conversations.end', { conversationId: c.id });
  if (roll < 0.42) {
    const id = `t-${label}`;
    await mutate('tags.create', { id, name: `标签${label}`.slice(0, 20), color: '#30a46c' });
    return mutate('customers.addTag', { customerId: c.customerId, tagId: id });
  }
  if (roll < 0.52 && tags.length > 0) return mutate('customers.addTag', { customerId: c.customerId, tagId: rnd.pick(tags).id });
  if (roll < 0.54) return mutate('customers.addTag', { customerId: c.customerId, tagId: 'no-such-tag' });
  if (roll < 0.62 && tags.length > 0) return mutate('customers.removeTag', { customerId: c.customerId, tagId: rnd.pick(tags).id });
  if (roll < 0.65) {
    const id = `g-${label}`;
    await mutate('customerGroups.create', { id, name: `分组${label}`.slice(0, 20) });
    return mutate('customers.setGroup', { customerId: c.customerId, groupId: id });
  }
  if (roll < 0.7)
    return mutate('customers.setGroup', {
      customerId: c.customerId,
      groupId: groups.length > 0 && rnd.chance(0.7) ? rnd.pick(groups).id : null,
    });
  if (roll < 0.78) return mutate('customers.setRemark', { customerId: c.customerId, remark: `备注 ${label}` });
  if (roll < 0.9) {
    const orders = await db.orders.where('customerId').equals(c.customerId).toArray();
    if (orders.length === 0) return;
    const ids = rnd.sample(orders, rnd.int(1, orders.length)).map((o) => o.id);
    const flag = rnd.int(0, 5) as 0 | 1 | 2 | 3 | 4 | 5;
    if (rnd.chance(0.15)) return mutate('orders.setNotes', { orderIds: ids, memo: '长'.repeat(501) }); // 1002 GBK bytes: refused
    return mutate(
      'orders.setNotes',
      rnd.chance(0.5)
        ? { orderIds: ids, flag }
        : rnd.chance(0.5)
          ? { orderIds: ids, memo: `备注 ${label}` }
          : { orderIds: ids, flag, memo: `旗和备注 ${label}` },
    );
  }
  if (roll < 0.97) return mutate('phrases.markUsed', { phraseId: rnd.pick(ctx.phraseIds) });
}

/** The invariants, read from the core's file after the drain. */
async function check(
  file: string,
  desks: Desk[],
  base: { agentId: string; initialUse: Map<string, number>; initialMemberships: Set<string> },
): Promise<string[]> {
  const problems: string[] = [];
  const store = createStore(openDatabase(file, { readonly: true }));
  try {
    const integrity = store.db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const fk = store.db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk).slice(0, 300)}`);

    // Every acknowledged action is recorded exactly once, none that was not, in each desk's order.
    const applied: { seq: number; ack: Ack }[] = [];
    for (const d of desks) {
      const clientId = await d.db.getMeta<string | null>('clientId', null);
      const records = clientId ? store.mutations.ofClient(clientId) : [];
      const ackIds = d.acks.map((a) => a.mutationId);
      const recorded = [...records].sort((a, b) => a.seq - b.seq).map((r) => r.mutationId);
      if (JSON.stringify(recorded) !== JSON.stringify(ackIds)) {
        const missing = ackIds.filter((id) => !recorded.includes(id));
        const extra = recorded.filter((id) => !ackIds.includes(id));
        problems.push(
          missing.length + extra.length === 0
            ? `desk ${d.index}: the core applied its actions out of order`
            : `desk ${d.index}: ${missing.length} acknowledged actions are not in the core, ${extra.length} recorded ones were never made`,
        );
      }
      const byId = new Map(records.map((r) => [r.mutationId, r]));
      for (const ack of d.acks) {
        const r = byId.get(ack.mutationId);
        if (r?.status === 'applied') applied.push({ seq: r.seq, ack });
      }
      const outbox = await d.db.outbox.toArray();
      for (const e of outbox) {
        if (e.status === 'pending') problems.push(`desk ${d.index}: ${e.name} ${e.mutationId} still pending`);
        else if (e.name !== 'messages.send' || byId.get(e.mutationId)?.status !== 'rejected')
          problems.push(`desk ${d.index}: outbox keeps ${e.name} ${e.status}`);
      }
      for (let i = 1; i < d.cursors.length; i++) {
        if (d.cursors[i]! < d.cursors[i - 1]!) {
          problems.push(`desk ${d.index}: the cursor went back from ${d.cursors[i - 1]} to ${d.cursors[i]}`);
          break;
        }
      }
      problems.push(...(await replicaDiff(store, d.db, base.agentId)).map((p) => `desk ${d.index}: ${p}`));
    }

    // The applied actions, replayed in the core's order, explain its state.
    applied.sort((a, b) => a.seq - b.seq);
    const memberships = new Set(base.initialMemberships);
    const uses = new Map<string, number>();
    const remark = new Map<string, string>();
    const group = new Map<string, string | null>();
    const notes = new Map<string, { flag?: number; memo?: string }>();
    for (const { ack } of applied) {
      const a = ack.args as {
        id: string;
        text: string;
        customerId: string;
        tagId: string;
        phraseId: string;
        remark: string;
        groupId: string | null;
        orderIds: string[];
        flag?: number;
        memo?: string;
        conversationId: string;
      };
      switch (ack.name) {
        case 'messages.send': {
          const row = store.db.prepare('SELECT text, conversation_id FROM messages WHERE id = ?').get(a.id) as
            { text: string; conversation_id: string } | undefined;
          const copies = store.db.prepare('SELECT count(*) FROM messages WHERE text = ?').pluck().get(a.text);
          if (!row || row.text !== a.text || copies !== 1) problems.push(`message ${a.id}: ${copies} copies`);
          break;
        }
        case 'customers.addTag':
          memberships.add(`${a.customerId}:${a.tagId}`);
          break;
        case 'customers.removeTag':
          memberships.delete(`${a.customerId}:${a.tagId}`);
          break;
        case 'phrases.markUsed':
          uses.set(a.phraseId, (uses.get(a.phraseId) ?? 0) + 1);
          break;
        case 'customers.setRemark':
          remark.set(a.customerId, a.remark);
          break;
        case 'customers.setGroup':
          group.set(a.customerId, a.groupId);
          break;
        case 'orders.setNotes':
          for (const id of a.orderIds) {
            const n = notes.get(id) ?? {};
            if (a.flag !== undefined) n.flag = a.flag;
            if (a.memo !== undefined) n.memo = a.memo;
            notes.set(id, n);
          }
          break;
        case 'conversations.end': {
          const status = store.db.prepare('SELECT status FROM conversations WHERE id = ?').pluck().get(a.conversationId);
          if (status !== 'ended') problems.push(`conversation ${a.conversationId} was ended but is ${String(status)}`);
          break;
        }
        default:
          break;
      }
    }
    for (const d of desks) {
      for (const ack of d.acks) {
        if (ack.name !== 'messages.send') continue;
        const recordedApplied = applied.some((x) => x.ack.mutationId === ack.mutationId);
        const exists = store.db.prepare('SELECT count(*) FROM messages WHERE id = ?').pluck().get(ack.args.id) as number;
        if (!recordedApplied && exists > 0) problems.push(`message ${String(ack.args.id)} is stored though its send was refused`);
      }
    }
    const actualMemberships = new Set(
      (store.db.prepare('SELECT customer_id, tag_id FROM customer_tags').all() as { customer_id: string; tag_id: string }[]).map(
        (r) => `${r.customer_id}:${r.tag_id}`,
      ),
    );
    const onlyModel = [...memberships].filter((m) => !actualMemberships.has(m));
    const onlyCore = [...actualMemberships].filter((m) => !memberships.has(m));
    if (onlyModel.length + onlyCore.length > 0)
      problems.push(
        `tags: replaying the applied actions gives ${onlyModel.length} the core lacks and the core has ${onlyCore.length} more`,
      );
    for (const [id, n] of uses) {
      const count = store.db.prepare('SELECT use_count FROM replies WHERE id = ?').pluck().get(id) as number;
      if (count !== (base.initialUse.get(id) ?? 0) + n)
        problems.push(`phrase ${id}: used ${n} times, count went from ${base.initialUse.get(id)} to ${count}`);
    }
    for (const [id, r] of remark)
      if (store.db.prepare('SELECT remark FROM customers WHERE id = ?').pluck().get(id) !== r)
        problems.push(`customer ${id}: remark is not the last one applied`);
    for (const [id, g] of group)
      if (store.db.prepare('SELECT group_id FROM customers WHERE id = ?').pluck().get(id) !== g)
        problems.push(`customer ${id}: group is not the last one applied`);
    for (const [id, n] of notes) {
      const row = store.db.prepare('SELECT flag, memo FROM order_notes WHERE order_id = ?').get(id) as { flag: number; memo: string };
      if ((n.flag !== undefined && row.flag !== n.flag) || (n.memo !== undefined && row.memo !== n.memo))
        problems.push(`order ${id}: notes are not the last applied`);
    }
  } finally {
    store.close();
  }
  return problems;
}
