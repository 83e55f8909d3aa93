import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import type { ArgsIn, MethodName, ResultOf } from '../../shared/contract/methods';
import { IMAGE_TEXT } from '../../shared/domain/images';
import { newId } from '../../shared/domain/ids';
import { pngOf } from '../services/channels/testing/png';
import { Core } from './core';

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function desk() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-pictures-'));
  dirs.push(dir);
  const core = new Core({ dataDir: dir, demoBuyers: { enabled: false }, keepBackups: 0, watchOtherWritersMs: false });
  cores.push(core);
  const call = <M extends MethodName>(method: M, args: ArgsIn<M>) => core.call(method, args, 'test') as Promise<Result<ResultOf<M>>>;
  return { core, dir, call };
}

const b64 = (b: Buffer) => b.toString('base64');

/** A PNG whose header claims a 60000×60000 canvas: a few hundred bytes that would make a viewer allocate gigabytes. */
function pngBomb(): Buffer {
  const real = pngOf(1, 1);
  const bomb = Buffer.from(real);
  bomb.writeUInt32BE(60_000, 16);
  bomb.writeUInt32BE(60_000, 20);
  return Buffer.concat([bomb, zlib.deflateSync(Buffer.alloc(1024 * 1024))]);
}

describe("an agent's picture (messages.send with an image)", () => {
  it('is stored once by its content, as a picture message the desk can read back, however often it is sent', async () => {
    const { core, dir, call } = desk();
    const list = await call('conversations.list', { status: 'open' });
    if (!list.ok) throw new Error(list.error.message);
    const conversationId = list.value[0]!.id;
    const picture = pngOf(40, 30);
    const id = newId();
    const sent = await call('messages.send', { id, conversationId, text: IMAGE_TEXT, image: { base64: b64(picture) } });
    expect(sent).toMatchObject({ ok: true, value: { id, kind: 'image', text: IMAGE_TEXT, sender: 'agent' } });
    // The same id again (a retry after a lost answer): the same message, nothing new.
    const again = await call('messages.send', { id, conversationId, text: IMAGE_TEXT, image: { base64: b64(picture) } });
    expect(again).toMatchObject({ ok: true, value: { id } });
    // A second message with the same picture: one file on disk.
    await call('messages.send', { id: newId(), conversationId, text: IMAGE_TEXT, image: { base64: b64(picture) } });
    const files = fs.readdirSync(path.join(dir, 'channel-files'), { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files).toHaveLength(1);
    const shown = await call('messages.image', { messageId: id });
    expect(shown).toMatchObject({ ok: true, value: { mime: 'image/png', width: 40, height: 30, base64: b64(picture) } });
    expect(core.store.conversations.get(conversationId)!.lastMessagePreview).toBe(IMAGE_TEXT);
    expect(await call('messages.imageSupport', { conversationId })).toEqual({ ok: true, value: { images: true } });
  });

  it('refuses hostile files by their bytes: a PHP script named .png, a 50 MB file, a PNG claiming a huge canvas, an SVG', async () => {
    const { core, call } = desk();
    const list = await call('conversations.list', { status: 'open' });
    if (!list.ok) throw new Error(list.error.message);
    const conversationId = list.value[0]!.id;
    const before = core.store.messages.page(conversationId, 200).messages.length;
    const php = Buffer.from('<?php system($_GET["c"]); ?>\n');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const big = Buffer.concat([pngOf(10, 10), Buffer.alloc(50 * 1024 * 1024)]);
    const refusals: string[] = [];
    for (const bytes of [php, svg, pngBomb()]) {
      const r = await call('messages.send', { id: newId(), conversationId, text: IMAGE_TEXT, image: { base64: b64(bytes) } });
      expect(r.ok).toBe(false);
      if (!r.ok) refusals.push(r.error.code);
    }
    // 50 MB never reaches the service: the contract bounds the base64 first.
    const huge = await call('messages.send', { id: newId(), conversationId, text: IMAGE_TEXT, image: { base64: b64(big) } });
    expect(huge).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    expect(refusals).toEqual(['invalid_argument', 'invalid_argument', 'invalid_argument']);
    expect(core.store.messages.page(conversationId, 200).messages.length).toBe(before);
  });
});

describe('pictures on a hub', () => {
  async function hub() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-pictures-hub-'));
    dirs.push(dir);
    const core = new Core({ dataDir: dir, hub: {}, keepBackups: 0, watchOtherWritersMs: false });
    cores.push(core);
    await core.initShop('小店', '店长', 'owner-pass-123');
    return core;
  }

  it('go only to buyers whose channel takes them: not to a bridge that did not say so', async () => {
    const core = await hub();
    const customerId = newId();
    core.store.tx(() => {
      core.store.customers.insert({ id: customerId, nick: '短信买家', group_id: null, remark: '', first_seen_at: 1, updated_at: 1 });
      core.store.channels.buyers.insert({ channel: 'api', source: 'sms', external_id: '138', customer_id: customerId, created_at: 1 });
    });
    const message = core.receiveBuyerMessage({ customerId, text: '在吗' });
    const login = await core.call('auth.login', { account: '店长', password: 'owner-pass-123' }, 'c1');
    expect(login.ok).toBe(true);
    const call = <M extends MethodName>(method: M, args: ArgsIn<M>) => core.call(method, args, 'c1') as Promise<Result<ResultOf<M>>>;
    const conversationId = message.conversationId;
    expect(await call('messages.imageSupport', { conversationId })).toEqual({ ok: true, value: { images: false } });
    const refused = await call('messages.send', { id: newId(), conversationId, text: IMAGE_TEXT, image: { base64: b64(pngOf(2, 2)) } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    core.store.tx(() => core.store.channels.buyers.setAcceptsImages(customerId, true));
    expect(await call('messages.imageSupport', { conversationId })).toEqual({ ok: true, value: { images: true } });
    const sent = await call('messages.send', { id: newId(), conversationId, text: IMAGE_TEXT, image: { base64: b64(pngOf(2, 2)) } });
    expect(sent).toMatchObject({ ok: true, value: { kind: 'image' } });
  });
});

describe("a quick phrase's picture", () => {
  it('is checked and kept with the phrase, read back by whoever may see the phrase, and kept when the phrase is edited without one', async () => {
    const { call } = desk();
    const group = await call('phraseGroups.save', { id: newId(), scope: 'personal', name: '我的图' });
    if (!group.ok) throw new Error(group.error.message);
    const phraseId = newId();
    const base = { id: phraseId, groupId: group.value.id, code: 'ewm', title: '二维码', content: '扫码关注店铺' };
    const refused = await call('phrases.save', { ...base, image: { base64: b64(Buffer.from('<svg onload="alert(1)"/>')) } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    const saved = await call('phrases.save', { ...base, image: { base64: b64(pngOf(5, 5)) } });
    expect(saved).toMatchObject({ ok: true, value: { image: { mime: 'image/png', width: 5, height: 5 } } });
    const edited = await call('phrases.save', { ...base, content: '扫码关注店铺，领券' });
    expect(edited).toMatchObject({ ok: true, value: { content: '扫码关注店铺，领券', image: { width: 5 } } });
    expect(await call('phrases.image', { phraseId })).toMatchObject({ ok: true, value: { mime: 'image/png', base64: b64(pngOf(5, 5)) } });
    const removed = await call('phrases.save', { ...base, image: null });
    expect(removed.ok && removed.value.image).toBeFalsy();
    expect(await call('phrases.image', { phraseId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
