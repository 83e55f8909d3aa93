import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../src-main/core/core';
import { seedDemoShop } from '../../src-main/services/demo/seedDemo';
import { seedMessageHistory } from '../../src-main/services/demo/seedHistory';
import { launchChromium, startBrowserHost, type RunningHost } from './browserHost';

/**
 * An agent searches the shop's whole history for 退款 (two characters: the unigram index) and opens
 * the newest hit: the conversation opens scrolled to that very message, marked.
 */
let browser: Browser;
let host: RunningHost;
let dataDir: string;
let newest: { id: string; text: string; conversationId: string };

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-search-'));
  const core = new Core({ dataDir, seedDemo: false, demoBuyers: { enabled: false } });
  try {
    seedDemoShop(core.store, { now: Date.now() });
    seedMessageHistory(core.store, { messages: 3_000, now: Date.now() });
    newest = core.store.db
      .prepare(
        `SELECT id, text, conversation_id AS conversationId FROM messages WHERE text LIKE '%退款%'
         ORDER BY created_at DESC, rowid DESC LIMIT 1`,
      )
      .get() as typeof newest;
  } finally {
    core.close();
  }
  browser = await launchChromium();
  host = await startBrowserHost(dataDir, ['--no-demo-buyers']);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('message search in Chromium', { timeout: 120_000 }, () => {
  it('finds 退款 with the word marked, and Enter opens its conversation at that message', async () => {
    expect(newest).toBeTruthy();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    await page.getByRole('button', { name: '消息搜索' }).waitFor();
    await page.keyboard.press('Control+f');
    await page.getByRole('searchbox', { name: '搜索全部聊天消息' }).fill('退款');
    const first = page.getByRole('listbox', { name: '搜索结果' }).getByRole('option').first();
    await first.waitFor();
    await expect.poll(() => first.locator('mark').first().textContent()).toBe('退款');
    expect((await first.textContent()) ?? '').toContain(newest.text.slice(0, 20));
    await page.keyboard.press('Enter');
    const target = page.locator(`[aria-current="true"] [data-message-id="${newest.id}"]`);
    await target.waitFor();
    expect(await target.getAttribute('data-conversation-id')).toBe(newest.conversationId);
    // In view: the scroller put it on screen, not merely in the DOM.
    const box = await target.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 800).toBe(true);
    if (process.env.JIEDAI_SHOTS) await page.screenshot({ path: path.join(process.env.JIEDAI_SHOTS, 'search-1280.png') });
    await page.close();
  });
});
