import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DATA_FILE } from '../../src-main/core/core';
import { openDatabase } from '../../src-main/store/connection';
import { conversationRow, conversationView, launchChromium, rowOf, startBrowserHost, type RunningHost } from './browserHost';

/**
 * The sync layer's "done when", in Chromium against browser mode: with the transport paused, three
 * replies and a tag show at once, marked pending; they survive a reload; once resumed, each is stored
 * exactly once and shows as sent.
 */
let browser: Browser;
let host: RunningHost;
let dataDir: string;

beforeAll(async () => {
  browser = await launchChromium();
});

// Each try on a host of its own: a first try that failed left the transport paused and its page's
// outbox holding 离线标签, which a second try would create again.
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-offline-'));
  host = await startBrowserHost(dataDir, ['--no-demo-buyers']);
});

afterEach(async () => {
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

async function transport(action: 'pause' | 'resume'): Promise<void> {
  const token = /#token=([\w-]+)/.exec(host.url)![1]!;
  const res = await fetch(`${host.origin}/dev/transport/${action}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
}

/** What the core has stored, read straight from its SQLite file (WAL lets a reader in while it runs). */
function stored<T>(read: (db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(path.join(dataDir, DATA_FILE), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('the desk while the core is out of reach', () => {
  it('shows replies and a tag at once as pending, keeps them through a reload, and stores each once on resume', async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    const list = page.getByRole('listbox', { name: '会话列表' });
    const first = await rowOf(list.getByRole('option').first());
    const nick = first.nick;
    await conversationRow(page, first.id).click();
    const log = conversationView(page, first.id).getByRole('log', { name: `与 ${nick} 的聊天记录` });
    await log.waitFor();

    await transport('pause');
    await page.getByRole('status').filter({ hasText: '连接已断开' }).waitFor();

    const stamp = Date.now();
    const replies = [1, 2, 3].map((i) => `离线回复 ${i} #${stamp}`);
    const box = page.getByRole('textbox', { name: '回复内容' });
    for (const reply of replies) {
      await box.fill(reply);
      await box.press('Enter');
      await log.getByText(reply, { exact: true }).waitFor();
    }
    expect(await log.locator('.outgoing-pending').count()).toBe(3);

    const panel = page.getByRole('complementary', { name: '买家信息' });
    await panel.getByRole('button', { name: '＋ 标签' }).click();
    await panel.getByRole('textbox', { name: '标签名称' }).fill('离线标签');
    await panel.getByRole('button', { name: '新建标签「离线标签」' }).click();
    await panel.getByRole('list', { name: '客户标签' }).getByText('离线标签').waitFor();
    await panel.getByRole('list', { name: '客户标签' }).getByText('待同步').waitFor();
    // three replies, the new tag and putting it on the buyer (and marking the chat read, when that came after the pause)
    const banner = page.getByRole('status').filter({ hasText: /\d+ 项操作尚未发出/ });
    await banner.waitFor();
    expect(Number(/(\d+) 项操作/.exec((await banner.textContent()) ?? '')![1])).toBeGreaterThanOrEqual(5);
    // Answered, the buyer sorts lower in the (virtual) list: find them by nick.
    await page.getByRole('searchbox', { name: '搜索买家昵称' }).fill(nick);
    await conversationRow(page, first.id).getByText('离线标签').waitFor();

    // Reload while still paused: everything comes back from the replica and the outbox.
    await page.reload();
    const logAfter = conversationView(page, first.id).getByRole('log', { name: `与 ${nick} 的聊天记录` });
    for (const reply of replies) await logAfter.getByText(reply, { exact: true }).waitFor();
    expect(await logAfter.locator('.outgoing-pending').count()).toBe(3);
    await page.getByRole('complementary', { name: '买家信息' }).getByRole('list', { name: '客户标签' }).getByText('离线标签').waitFor();
    expect(stored((db) => db.prepare('SELECT count(*) FROM messages WHERE text LIKE ?').pluck().get(`离线回复 % #${stamp}`))).toBe(0);
    if (process.env.UPDATE_SCREENSHOTS)
      await page.screenshot({ path: path.resolve(import.meta.dirname, '../../docs/screenshots/offline.png') });

    await transport('resume');
    await expect.poll(() => logAfter.locator('.outgoing-pending').count(), { timeout: 30_000 }).toBe(0);
    for (const reply of replies) await logAfter.getByText(reply, { exact: true }).waitFor();
    expect(await logAfter.locator('.outgoing-failed').count()).toBe(0);
    await expect.poll(() => page.getByRole('complementary', { name: '买家信息' }).getByText('待同步').count(), { timeout: 30_000 }).toBe(0);
    const counts = stored((db) => replies.map((r) => db.prepare('SELECT count(*) FROM messages WHERE text = ?').pluck().get(r)));
    expect(counts).toEqual([1, 1, 1]);
    const tagged = stored((db) =>
      db
        .prepare(
          `SELECT count(*) FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id JOIN customers c ON c.id = ct.customer_id WHERE t.name = '离线标签' AND c.nick = ?`,
        )
        .pluck()
        .get(nick),
    );
    expect(tagged).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
