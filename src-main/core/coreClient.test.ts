import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessagePage } from '../../shared/contract/methods';
import { newId } from '../../shared/domain/ids';
import type { ConversationSummary } from '../../shared/domain/types';
import { CoreClient } from './coreClient';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-core-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the core in its worker thread', () => {
  it('answers a contract call with a result', async () => {
    const core = await CoreClient.start({ dataDir: tempDir(), demoBuyers: { enabled: false } });
    const result = await core.call('stats.counts', {}, 'test');
    expect(result.ok).toBe(true);
    await core.close();
  });

  it('answers a malformed argument with a typed validation error instead of crashing', async () => {
    const core = await CoreClient.start({ dataDir: tempDir(), demoBuyers: { enabled: false } });
    const bad = await core.call('messages.page', { conversationId: 42 }, 'test');
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const unknown = await core.call('shell.exec', { cmd: 'rm -rf /' }, 'test');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const still = await core.call('stats.counts', {}, 'test');
    expect(still.ok).toBe(true);
    await core.close();
  });

  it('refuses arguments it cannot post to the thread (too deep, not plain data) as invalid_argument, and goes on', async () => {
    const core = await CoreClient.start({ dataDir: tempDir(), demoBuyers: { enabled: false } });
    let deep: unknown = {};
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    expect(await core.call('customers.setRemark', deep, 'test')).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(await core.call('customers.setRemark', { customerId: 'c1', remark: () => 1 }, 'test')).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(await core.call('stats.counts', {}, 'connection-1')).toMatchObject({ ok: true });
    core.disconnect('connection-1');
    expect(await core.call('stats.counts', {}, 'test')).toMatchObject({ ok: true });
    await core.close();
  });

  it('keeps a sent message after the core is killed and started again on the same file', async () => {
    const dataDir = tempDir();
    const core = await CoreClient.start({ dataDir, demoBuyers: { enabled: false } });
    const list = await core.call('conversations.list', {}, 'test');
    if (!list.ok) throw new Error('list failed');
    const conversation = (list.value as ConversationSummary[])[0];
    expect(conversation).toBeDefined();
    const id = newId();
    const sent = await core.call('messages.send', { id, conversationId: conversation!.id, text: '亲，今天下午就给您发货' }, 'test');
    expect(sent.ok).toBe(true);
    await core.kill();
    const again = await CoreClient.start({ dataDir, demoBuyers: { enabled: false } });
    const page = await again.call('messages.page', { conversationId: conversation!.id }, 'test');
    if (!page.ok) throw new Error('page failed');
    const texts = (page.value as MessagePage).messages.map((m) => m.text);
    expect(texts.filter((t) => t === '亲，今天下午就给您发货')).toHaveLength(1);
    await again.close();
  });
});
