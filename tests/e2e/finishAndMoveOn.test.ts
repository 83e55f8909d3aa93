import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { conversationRow, conversationView, launchChromium, rowOf, startBrowserHost, type RunningHost } from './browserHost';

/** Finish and move on (issue 15) in Chromium on the demo shop: end → undo → end → the next waiting buyer; 历史 reopens. */
let browser: Browser;
let host: RunningHost;
let dataDir: string;
const shots = process.env.JIEDAI_SHOTS ?? '';

beforeAll(async () => {
  browser = await launchChromium();
});

// Each try on a shop of its own: a first try that failed after its end left that buyer in 历史 and
// the list one shorter, which a second try would start from.
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-finish-'));
  host = await startBrowserHost(dataDir, ['--no-demo-buyers']);
});

afterEach(async () => {
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

describe('finish and move on', () => {
  it('end → undo → end opens the next waiting buyer; the ended one is in 历史 and reopens', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await page.goto(host.url);
    const list = page.getByRole('listbox', { name: '会话列表' });
    const options = list.getByRole('option');
    await options.first().waitFor();
    const count = page.locator('#conversation-list-title .count');
    const open = Number(await count.textContent());
    // The longest-waiting buyer is first; the second is who comes next (each read with its id: the
    // chats are found by id, never by a nick another nick may contain).
    const first = await rowOf(options.nth(0));
    const second = await rowOf(options.nth(1));
    await conversationRow(page, first.id).click();
    const chat = (c: { id: string }) => conversationView(page, c.id).getByRole('log');
    await chat(first).waitFor();

    await page.getByRole('button', { name: '结束会话' }).click();
    await page.getByText(`已结束与 ${first.nick} 的会话`).waitFor();
    await chat(second).waitFor();
    if (shots) {
      await page.waitForTimeout(1500);
      await page.screenshot({ path: path.join(shots, 'end-undo-1280.png') });
    }
    await page.keyboard.press('Alt+KeyZ');
    // Back, open and selected at once (the replica puts the kept row back: the count is whole), and
    // it stays so while the reopen's own pull arrives: ended again straight away.
    await chat(first).waitFor();
    await expect.poll(() => count.textContent()).toBe(String(open));
    await page.keyboard.press('Alt+KeyE');
    await chat(second).waitFor();
    // The next buyer's chat opens from the desk's selection; the list's row leaves with the replica's
    // live query a moment later (100–250 ms on a loaded machine).
    await expect.poll(() => list.locator(`[data-conversation-id="${first.id}"]`).count()).toBe(0);

    await page.getByRole('navigation').getByRole('button', { name: '历史会话' }).click();
    const history = page.getByRole('listbox', { name: '历史会话' });
    // By its id: the buyer may have ended conversations from before in 历史 too.
    await history.locator(`[role="option"][data-conversation-id="${first.id}"]`).click();
    await page
      .getByRole('region', { name: `与 ${first.nick} 的历史会话` })
      .getByRole('log')
      .waitFor();
    if (shots) {
      // The pane paints a moment after its rows are in the DOM on a loaded machine.
      await page.waitForTimeout(1000);
      await page.screenshot({ path: path.join(shots, 'history-1280.png') });
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: path.join(shots, 'history-1024.png') });
    }
    await page.getByRole('button', { name: '重新打开' }).click();
    await chat(first).waitFor();
    await expect.poll(() => count.textContent()).toBe(String(open));
    await page.close();
  });
});
