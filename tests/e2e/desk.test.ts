import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationRow, conversationView, launchChromium, rowOf, startBrowserHost, type RunningHost } from './browserHost';

/**
 * The foundation end to end, as an agent sees it: browser mode on the demo shop, in Debian's
 * Chromium at 1280×800. Set UPDATE_SCREENSHOTS=1 to refresh docs/screenshots/.
 */
let browser: Browser;
let host: RunningHost;
let dataDir: string;
const pageErrors: string[] = [];

async function openDesk(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().waitFor();
  return page;
}

async function conversationCount(page: Page): Promise<number> {
  return Number(await page.locator('#conversation-list-title .count').textContent());
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-'));
  browser = await launchChromium();
  host = await startBrowserHost(dataDir, ['--demo-interval', '1200']);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the desk in browser mode', () => {
  it('shows the demo shop, sends a reply that survives a reload and a restart of the host', async () => {
    pageErrors.length = 0; // a second try counts its own
    let page = await openDesk(host.url);
    expect(await conversationCount(page)).toBeGreaterThanOrEqual(30);

    // The first row's conversation, by its id: demo buyers keep writing, so the list moves under a
    // locator read twice, and a nick can be part of another's.
    const first = await rowOf(page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first());
    const nick = first.nick;
    await conversationRow(page, first.id).click();
    const log = conversationView(page, first.id).getByRole('log', { name: `与 ${nick} 的聊天记录` });
    await log.waitFor();
    await expect.poll(() => log.locator('.message').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('status').count()).toBe(0); // connected: no banner
    if (process.env.UPDATE_SCREENSHOTS)
      await page.screenshot({ path: path.resolve(import.meta.dirname, '../../docs/screenshots/desk.png') });

    const reply = `亲，已为您加急处理 <b>#${Date.now()}</b>`;
    await page.getByRole('textbox', { name: '回复内容' }).fill(reply);
    await page.keyboard.press('Enter');
    await log.getByText(reply, { exact: true }).waitFor();
    await expect.poll(() => page.locator('.outgoing-pending').count()).toBe(0);
    await expect.poll(() => page.locator('.outgoing-failed').count()).toBe(0);

    // Reload: the token stays in the tab; the reply was stored by the core.
    await page.reload();
    await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().waitFor();
    await page.getByRole('searchbox', { name: '搜索买家昵称' }).fill(nick);
    await conversationRow(page, first.id).click();
    await conversationView(page, first.id).getByText(reply, { exact: true }).waitFor();
    await page.close();

    // Restart the host on the same data folder: a new port and token, the same shop.
    await host.stop();
    host = await startBrowserHost(dataDir, ['--demo-interval', '1200']);
    page = await openDesk(host.url);
    await page.getByRole('searchbox', { name: '搜索买家昵称' }).fill(nick);
    await conversationRow(page, first.id).click();
    await conversationView(page, first.id).getByText(reply, { exact: true }).waitFor();
    expect(await page.locator('.message b').count()).toBe(0); // the text stayed text
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('shows new buyer messages live, without a reload', async () => {
    const page = await openDesk(host.url);
    const before = await conversationCount(page);
    // Demo buyers write every ~1.2 s; most open a new conversation, which the list shows at once.
    await expect.poll(() => conversationCount(page), { timeout: 20_000 }).toBeGreaterThan(before);
    await page.close();
  });
});
