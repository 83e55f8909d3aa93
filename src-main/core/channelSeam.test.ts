import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreatedApiToken } from '../../shared/contract/channels';
import { Core } from './core';
import { CoreClient } from './coreClient';
import type { ChannelEvent } from './channelSeam';
import { hubTestFolder } from '../store/pg/testing';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function hubDir(): Promise<string> {
  const dir = hubTestFolder(fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-seam-')));
  dirs.push(dir);
  const core = new Core({ dataDir: dir, hub: {}, keepBackups: 0 });
  await core.initShop('小店', '店长', 'owner-pass-123');
  core.close();
  return dir;
}

describe('the channel seam', () => {
  it('works across the core’s worker thread: an inbound message stored once, its webhook due told to the shell', async () => {
    const core = await CoreClient.start({ dataDir: await hubDir(), hub: {}, keepBackups: 0 });
    try {
      const events: ChannelEvent[] = [];
      core.onChannelEvents((e) => events.push(...e));
      expect(await core.call('auth.login', { account: '店长', password: 'owner-pass-123' }, 'owner')).toMatchObject({ ok: true });
      const token = ((await core.call('apiTokens.create', { name: 'bridge', scope: 'inbound' }, 'owner')) as { value: CreatedApiToken })
        .value.token;
      expect(
        await core.call('webhooks.add', { id: 'h1', url: 'http://127.0.0.1:9/hook', events: ['message.created'] }, 'owner'),
      ).toMatchObject({ ok: true });
      const args = { token, key: 'k1', source: 'sms', externalId: '+8613800000000', nick: '短信买家', text: '到了吗' };
      const first = await core.channel('api.inbound', args);
      const again = await core.channel('api.inbound', args);
      expect(first).toMatchObject({ ok: true, value: { duplicate: false } });
      expect(again).toMatchObject({ ok: true, value: { duplicate: true, answer: (first as { value: { answer: unknown } }).value.answer } });
      const due = await core.channel('webhooks.claim', { limit: 10 });
      expect((due as { value: { event: string }[] }).value.map((d) => d.event)).toEqual(['message.created']);
      expect(events).toContainEqual({ type: 'webhooks.due' });
    } finally {
      await core.close();
    }
  });

  it('commits a turn’s buyer messages once, their webhook deliveries and the channels’ feed cursor in the same commit', async () => {
    // Presence settles at once (its write is a commit of its own, not this test's).
    const core = new Core({ dataDir: await hubDir(), hub: {}, keepBackups: 0, watchOtherWritersMs: false, presenceDebounceMs: 1 });
    try {
      const events: ChannelEvent[] = [];
      core.onChannelEvents((e) => events.push(...e));
      expect(await core.call('auth.login', { account: '店长', password: 'owner-pass-123' }, 'owner')).toMatchObject({ ok: true });
      const token = ((await core.call('apiTokens.create', { name: 'bridge', scope: 'inbound' }, 'owner')) as { value: CreatedApiToken })
        .value.token;
      expect(
        await core.call('webhooks.add', { id: 'h1', url: 'http://127.0.0.1:9/hook', events: ['message.created'] }, 'owner'),
      ).toMatchObject({ ok: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const store = core.store;
      const deliveries = () =>
        store.db.prepare<[], { body: string }>("SELECT body FROM webhook_deliveries WHERE event = 'message.created'").all();
      // What each commit left behind, read right after it (on this connection: what is committed).
      const commits: { head: number; cursor: number | null; deliveries: number; messages: number }[] = [];
      const buyerMessages = store.db.prepare("SELECT count(*) FROM messages WHERE sender = 'buyer'").pluck();
      store.onCommit(() =>
        commits.push({
          head: store.changes.head(),
          cursor: store.settings.get<number | null>('channels.feedCursor', null),
          deliveries: deliveries().length,
          messages: buyerMessages.get() as number,
        }),
      );
      const post = (n: number) => ({
        token,
        key: `k${n}`,
        source: 'sms',
        externalId: `+86138000000${String(n).padStart(2, '0')}`,
        nick: `短信买家${n}`,
        text: `到了吗 ${n}`,
      });
      // Twelve buyers' posts in one turn, one of them twice.
      const answers = await Promise.all([
        ...Array.from({ length: 12 }, (_, n) => core.channel('api.inbound', post(n))),
        core.channel('api.inbound', post(4)),
      ]);
      expect(answers.every((a) => a.ok)).toBe(true);
      expect(commits).toHaveLength(1);
      expect(commits[0]).toEqual({ head: commits[0]!.head, cursor: commits[0]!.head, deliveries: 12, messages: 12 });
      // Each buyer's message once, and one delivery each.
      const delivered = deliveries().map((d) => (JSON.parse(d.body) as { data: { message: { text: string } } }).data.message.text);
      expect(delivered.sort()).toEqual(Array.from({ length: 12 }, (_, n) => `到了吗 ${n}`).sort());
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Nothing more was written or read after it, and the shell heard the deliveries were due.
      expect(commits).toHaveLength(1);
      expect(deliveries()).toHaveLength(12);
      expect(events).toContainEqual({ type: 'webhooks.due' });
    } finally {
      core.close();
    }
  });

  it('refuses unknown operations and malformed arguments with typed errors, and a wrong token as unauthorized', async () => {
    const core = new Core({ dataDir: await hubDir(), hub: {}, keepBackups: 0 });
    try {
      expect(await core.channel('shell.exec', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
      expect(await core.channel('webhooks.claim', { limit: 1e9 })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
      expect(
        await core.channel('api.inbound', { token: 'jdk_x', key: 'k', source: 'sms', externalId: 'e', nick: 'n', text: 't', extra: 1 }),
      ).toMatchObject({
        ok: false,
        error: { code: 'invalid_argument' },
      });
      expect(
        await core.channel('api.inbound', { token: 'jdk_x', key: 'k', source: 'sms', externalId: 'e', nick: 'n', text: 't' }),
      ).toMatchObject({
        ok: false,
        error: { code: 'unauthorized' },
      });
    } finally {
      core.close();
    }
  });

  it('is not there on a desk: a standalone desk keeps the demo channel and refuses channel keeping', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-seam-desk-'));
    dirs.push(dir);
    const core = new Core({ dataDir: dir, keepBackups: 0, demoBuyers: { enabled: false }, watchOtherWritersMs: false });
    try {
      expect(await core.channel('webhooks.nextDue', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      const owner = core.store.agents.list().find((a) => a.role === 'owner')!;
      core.signIn('desk', owner.id);
      expect(await core.call('apiTokens.list', {}, 'desk')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    } finally {
      core.close();
    }
  });
});
