import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreatedApiToken } from '../../shared/contract/channels';
import { fail, ok, type Result } from '../../shared/contract/errors';
import { Core, DATA_FILE } from './core';
import { CoreClient } from './coreClient';
import { groupCommits, type GroupStore } from './groupCommit';
import { hubTestFolder } from '../store/pg/testing';
import { openStore } from '../store';

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function hub() {
  const dir = hubTestFolder(fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-group-')));
  dirs.push(dir);
  const core = new Core({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false });
  cores.push(core);
  await core.initShop('小店', '店长', 'owner-pass-123');
  expect(await core.call('auth.login', { account: '店长', password: 'owner-pass-123' }, 'owner')).toMatchObject({ ok: true });
  const created = (await core.call('apiTokens.create', { name: 'bridge', scope: 'inbound' }, 'owner')) as { value: CreatedApiToken };
  return { core, dir, token: created.value.token };
}

const inbound = (token: string, n: number, key = `k${n}`) => ({
  token,
  key,
  source: 'sms',
  externalId: `+86138000000${String(n).padStart(2, '0')}`,
  nick: `短信买家${n}`,
  text: `到了吗 ${n}`,
});

describe('group commits of the buyers’ channels', () => {
  it('stores the messages of one turn in one commit, answers each only once it is committed, and keeps a refused one out', async () => {
    const { core, dir, token } = await hub();
    const heads: number[] = [];
    core.store.onCommit(() => heads.push(core.store.changes.head()));
    const before = core.store.changes.head();
    // Another connection to the file sees only what is committed.
    const reader = openStore(path.join(dir, DATA_FILE));
    const count = reader.db.prepare("SELECT count(*) FROM messages WHERE sender = 'buyer'").pluck();
    const stored = () => count.get() as number;
    try {
      const calls = [
        ...Array.from({ length: 8 }, (_, n) => core.channel('api.inbound', inbound(token, n))),
        // The same key again in the same turn: stored once.
        core.channel('api.inbound', inbound(token, 3)),
        // A wrong token: refused, and nothing of it stays.
        core.channel('api.inbound', inbound('jdk_wrong', 9)),
      ];
      expect(stored()).toBe(0); // nothing is written before the turn ends
      const answered = calls.map((call) => call.then((result) => ({ result, storedThen: stored() })));
      const results = await Promise.all(answered);
      for (const { result, storedThen } of results.slice(0, 9)) {
        expect(result).toMatchObject({ ok: true });
        expect(storedThen).toBe(8);
      }
      expect(results[8]!.result).toMatchObject({ ok: true, value: { duplicate: true } });
      expect(results[9]!.result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      // The first commit after the calls already held every message's feed rows.
      const messagesInFirstCommit = core.store.changes
        .page(before, 1000)
        .filter((c) => c.seq <= heads[0]! && c.entity === 'message').length;
      expect(messagesInFirstCommit).toBe(8);
    } finally {
      reader.close();
    }
  });

  it('loses nothing it acknowledged when its thread is killed between arrival and commit, and writes each delivery once', async () => {
    const { core: made, dir, token } = await hub();
    expect(
      await made.call('webhooks.add', { id: 'h1', url: 'http://127.0.0.1:9/hook', events: ['message.created'] }, 'owner'),
    ).toMatchObject({ ok: true });
    made.close();
    cores.splice(cores.indexOf(made), 1);
    // The hub as `jiedai hub` runs it: its core in a worker thread, the posts crossing one by one.
    const worker = await CoreClient.start({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false });
    const answered: string[] = [];
    let killed: Promise<void> | undefined;
    const posts = 1500;
    const calls: Promise<void>[] = [];
    for (let n = 0; n < posts; n++) {
      const args = inbound(token, n % 90, `kill-${n}`);
      calls.push(
        worker.channel('api.inbound', args).then((result) => {
          if (result.ok) answered.push(args.key);
          // Killed as soon as the first answers are back, with later posts still in the worker.
          if (answered.length === 50) killed ??= worker.kill();
        }),
      );
    }
    // Answers that never come (the thread is gone) are not waited for.
    await Promise.race([Promise.all(calls), new Promise<void>((resolve) => setTimeout(resolve, 30_000))]);
    await killed;
    expect(answered.length).toBeGreaterThanOrEqual(50);
    expect(answered.length).toBeLessThan(posts);

    const again = new Core({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false });
    cores.push(again);
    const keys = new Set(again.store.db.prepare<[], string>("SELECT key FROM channel_keys WHERE key LIKE 'kill-%'").pluck().all());
    const texts = again.store.db.prepare<[], string>("SELECT text FROM messages WHERE sender = 'buyer'").pluck().all();
    for (const key of answered) expect(keys.has(key), key).toBe(true);
    // Stored whole or not at all: each post that landed is one message and one delivery.
    const delivered = again.store.db
      .prepare<[], string>("SELECT body FROM webhook_deliveries WHERE event = 'message.created'")
      .pluck()
      .all()
      .map((body) => (JSON.parse(body) as { data: { message: { id: string } } }).data.message.id);
    expect(texts).toHaveLength(keys.size);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered).toHaveLength(keys.size);
  });

  it('makes each call alone when the group’s commit fails, so every answer is its own', async () => {
    let failNext = true;
    const written: string[] = [];
    let pending: string[] = [];
    let depth = 0;
    const store: GroupStore = {
      tx<T>(fn: () => T): T {
        depth += 1;
        const outer = depth === 1;
        const mark = pending.length;
        try {
          const result = fn();
          if (outer) {
            if (failNext) {
              failNext = false;
              throw new Error('disk I/O error');
            }
            written.push(...pending);
          }
          return result;
        } catch (error) {
          pending = pending.slice(0, mark);
          throw error;
        } finally {
          if (outer) pending = [];
          depth -= 1;
        }
      },
    };
    // As the channel seam: a refused call has written nothing (its own transaction rolled back).
    const call = (op: string, args: unknown): Result<unknown> =>
      op === 'refuse'
        ? fail('invalid_argument', 'no')
        : store.tx(() => {
            pending.push(String(args));
            return ok(args);
          });
    const turns: (() => void)[] = [];
    const grouped = groupCommits(store, call, { schedule: (run) => turns.push(run) });
    const answers = [grouped('write', 'a'), grouped('refuse', 'b'), grouped('write', 'c')];
    expect(turns).toHaveLength(1);
    turns.shift()!();
    expect(await Promise.all(answers)).toEqual([ok('a'), fail('invalid_argument', 'no'), ok('c')]);
    // The failed group left nothing; each call alone then committed its own.
    expect(written).toEqual(['a', 'c']);
  });

  it('carries at most `max` calls per commit, the rest in the next turn', async () => {
    let commits = 0;
    let depth = 0;
    const store: GroupStore = {
      tx<T>(fn: () => T): T {
        depth += 1;
        try {
          return fn();
        } finally {
          depth -= 1;
          if (depth === 0) commits += 1;
        }
      },
    };
    const turns: (() => void)[] = [];
    const grouped = groupCommits(store, (_op, args) => ok(args), { max: 3, schedule: (run) => turns.push(run) });
    const answers = Array.from({ length: 7 }, (_, n) => grouped('write', n));
    while (turns.length > 0) turns.shift()!();
    expect(await Promise.all(answers)).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => ok(n)));
    expect(commits).toBe(3);
  });
});
