import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngOf } from '../../src-main/services/channels/testing/png';
import { conversationRow, conversationView, launchChromium, rowOf, startBrowserHost, type RunningHost } from './browserHost';

/**
 * An agent's picture at the desk (issue 13), in Chromium against browser mode on the demo shop (its
 * demo buyers take pictures): pasted into the reply box it waits as a thumbnail, Enter sends it, the
 * chat shows it and it opens large. Screenshots at 1280×800 and 1024×768 to $JIEDAI_SHOTS. (The
 * hub → widget half: tests/e2e/widget.test.ts.)
 */
let browser: Browser;
let host: RunningHost;
let dataDir: string;
const shots = process.env.JIEDAI_SHOTS ?? path.join(os.tmpdir(), 'jiedai-picture-shots');

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-picture-'));
  fs.mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
  host = await startBrowserHost(dataDir, ['--no-demo-buyers']);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function pastePicture(page: Page, base64: string) {
  await page.getByRole('textbox', { name: '回复内容' }).evaluate((box, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'size-chart.png', { type: 'image/png' }));
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, base64);
}

describe('an agent pastes a picture', () => {
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 1024, height: 768 },
  ]) {
    it(`waits in the reply box, goes out on Enter and shows in the chat (${viewport.width}×${viewport.height})`, async () => {
      const context = await browser.newContext({ viewport, locale: 'zh-CN' });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(host.url);
      const list = page.getByRole('listbox', { name: '会话列表' });
      // The first row's conversation by its id; the words made this try's own (the other size's test,
      // or a first try, may have sent the same into this buyer's chat).
      const { id } = await rowOf(list.getByRole('option').first());
      await conversationRow(page, id).click();
      const words = `亲，尺码表请看图 #${Date.now()}`;
      const box = conversationView(page, id).getByRole('textbox', { name: '回复内容' });
      await box.waitFor();
      await page.getByRole('button', { name: '图片', exact: true }).and(page.locator(':enabled')).waitFor();
      await box.fill(words);
      await pastePicture(page, pngOf(320, 200).toString('base64'));
      await page.getByRole('group', { name: '待发送的图片' }).waitFor();
      await page.screenshot({ path: path.join(shots, `composer-picture-${viewport.width}.png`) });
      await box.press('Enter');
      const log = conversationView(page, id).getByRole('log');
      await log.getByText(words, { exact: true }).waitFor();
      // The picture goes after the words: the newest bubble holds it (not a picture sent before).
      const picture = log.locator('[data-message-id]').last().locator('img.message-image');
      await picture.waitFor();
      expect(await page.getByRole('group', { name: '待发送的图片' }).count()).toBe(0);
      await page.screenshot({ path: path.join(shots, `chat-picture-${viewport.width}.png`) });
      // Opened large once the picture is the core's: the pending bubble is replaced when the push is
      // answered, and a click that met the bubble being replaced opens nothing, so it is clicked again.
      await expect.poll(() => log.locator('.outgoing-pending').count()).toBe(0);
      const large = page.getByRole('dialog', { name: '图片' });
      await expect
        .poll(async () => {
          if ((await large.count()) === 0)
            await log.locator('[data-message-id]').last().getByRole('button', { name: '查看大图' }).click({ timeout: 2_000 });
          return large.count();
        })
        .toBe(1);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: '图片' }).waitFor({ state: 'detached' });
      // Nothing spills sideways at this width.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await context.close();
    });
  }
});
