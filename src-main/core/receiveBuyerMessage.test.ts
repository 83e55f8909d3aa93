import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../shared/domain/ids';
import { Core } from './core';
import { hubTestFolder } from '../store/pg/testing';

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function hub() {
  const dir = hubTestFolder(fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-receive-')));
  dirs.push(dir);
  const core = new Core({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false });
  cores.push(core);
  await core.initShop('小店', '店长', 'owner-pass-123');
  const customerId = newId();
  core.store.tx(() =>
    core.store.customers.insert({ id: customerId, nick: '买家', group_id: null, remark: '', first_seen_at: 1, updated_at: 1 }),
  );
  return { core, customerId };
}

describe("Core.receiveBuyerMessage (a channel's seam in the hub's process)", () => {
  it('opens a conversation for the buyer, then adds to it, with feed rows and one poke per message', async () => {
    const { core, customerId } = await hub();
    const heads: number[] = [];
    core.on((name, payload) => name === 'sync.poked' && heads.push((payload as { head: number }).head));
    const first = core.receiveBuyerMessage({ customerId, text: '在吗', id: 'b1' });
    await Promise.resolve();
    const second = core.receiveBuyerMessage({ customerId, text: '这件有 XL 吗' });
    await Promise.resolve();
    expect(first).toMatchObject({ id: 'b1', sender: 'buyer', text: '在吗', agentId: null });
    expect(second.conversationId).toBe(first.conversationId);
    const conversation = core.store.conversations.get(first.conversationId)!;
    expect(conversation).toMatchObject({ customerId, status: 'open', unreadCount: 2, lastMessagePreview: '这件有 XL 吗' });
    // Nobody is signed in at a desk: the buyer waits unassigned.
    expect(conversation.agentId).toBeNull();
    const feed = core.sync.pull(0, 100, { agentId: '', role: 'owner' });
    expect(feed.kind === 'changes' && feed.changes.filter((c) => c.entity === 'message').map((c) => c.id)).toEqual(['b1', second.id]);
    expect(heads).toHaveLength(2);
  });

  it('routes a new buyer to an agent signed in and online, and refuses a buyer that is not stored', async () => {
    const { core, customerId } = await hub();
    const owner = await core.call('auth.login', { account: '店长', password: 'owner-pass-123' }, 'owner');
    expect(owner.ok).toBe(true);
    await core.call('accounts.create', { id: 'agent1', nick: '小美', role: 'agent', password: 'agent-pass-1' }, 'owner');
    await core.call('auth.login', { account: '小美', password: 'agent-pass-1' }, 'desk');
    await core.call('agents.setState', { state: 'online' }, 'desk');
    const m = core.receiveBuyerMessage({ customerId, text: '你好' });
    expect(core.store.conversations.get(m.conversationId)?.agentId).toBe('agent1');
    expect(() => core.receiveBuyerMessage({ customerId: 'no-such-buyer', text: '你好' })).toThrow();
  });

  it('closes cleanly in the same turn as a commit: the channels’ feed read a microtask later finds the store closed and reads nothing', async () => {
    const { core, customerId } = await hub();
    core.receiveBuyerMessage({ customerId, text: '最后一条' });
    cores.splice(cores.indexOf(core), 1);
    core.close();
    // An error thrown from the queued read would fail this file as an uncaught exception.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(core.store.db.open).toBe(false);
  });
});
