import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationRow, conversationView, launchChromium, rowOf, startBrowserHost, type RunningHost } from './browserHost';

/**
 * Faster replies (issue 15), in Chromium against browser mode on the demo shop: an agent stacks two
 * quick phrases in one reply (the second after a line break with "/"), quotes the buyer's message
 * above it, sends, then sends the buyer a product from their orders as a card. Screenshots at
 * 1280×800 and 1024×768 to $JIEDAI_SHOTS.
 */
let browser: Browser;
let host: RunningHost;
let dataDir: string;
const shots = process.env.JIEDAI_SHOTS ?? path.join(os.tmpdir(), 'jiedai-faster-replies-shots');

const ZAI = '在的亲，请问有什么可以帮您？';
const XH = '亲，页面能拍下的都是有现货的哦，48小时内发货～';

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-replies-'));
  fs.mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
  host = await startBrowserHost(dataDir, ['--no-demo-buyers']);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('faster replies', () => {
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 1024, height: 768 },
  ]) {
    it(`stacks two phrases under a quote, sends one reply, then a product card (${viewport.width}×${viewport.height})`, async () => {
      const context = await browser.newContext({ viewport, locale: 'zh-CN' });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(host.url);
      const list = page.getByRole('listbox', { name: '会话列表' });
      // A buyer with orders (the customer panel lists them), so 商品 has products to offer.
      const options = list.getByRole('option');
      await options.first().waitFor();
      let opened = false;
      let id = '';
      for (let i = 0; i < Math.min(20, await options.count()) && !opened; i++) {
        // The row read once with its id, and its own chat waited for (not the one shown before).
        ({ id } = await rowOf(options.nth(i)));
        await conversationRow(page, id).click();
        await conversationView(page, id).getByRole('textbox', { name: '回复内容' }).waitFor();
        await page.getByRole('button', { name: '商品', exact: true }).click();
        const picker = page.getByRole('dialog', { name: '发送商品' });
        await picker.waitFor();
        opened = (await picker.getByRole('list', { name: '买家订单里的商品' }).count()) > 0;
        await page.keyboard.press('Escape');
      }
      expect(opened).toBe(true);
      const box = page.getByRole('textbox', { name: '回复内容' });
      await box.fill('');

      // 引用 the buyer's newest message: its start in 「」 heads the reply, the caret after it.
      const log = conversationView(page, id).getByRole('log');
      const buyerMessage = log.locator('.message-buyer').last();
      const quoted = ((await buyerMessage.locator('.text').textContent()) ?? '').replace(/\s+/g, ' ').trim();
      await buyerMessage.hover();
      await buyerMessage.getByRole('button', { name: '引用' }).click();
      await expect.poll(() => box.inputValue()).toMatch(/^「.+」\n$/);
      const quote = await box.inputValue();

      // Two phrases stacked: "/zai" picks the first, a line break and "/xh" the second.
      await box.press('End');
      await box.pressSequentially('/zai');
      await page.getByRole('dialog', { name: '快捷短语' }).waitFor();
      await box.press('Enter');
      await expect.poll(() => box.inputValue()).toBe(`${quote}${ZAI}`);
      await box.press('Shift+Enter');
      await box.pressSequentially('/xh');
      await page.getByRole('dialog', { name: '快捷短语' }).waitFor();
      await page.screenshot({ path: path.join(shots, `stack-phrases-${viewport.width}.png`) });
      await box.press('Enter');
      const reply = `${quote}${ZAI}\n${XH}`;
      await expect.poll(() => box.inputValue()).toBe(reply);

      // A product from the buyer's orders waits as a card, then goes after the words.
      await page.getByRole('button', { name: '商品', exact: true }).click();
      const picker = page.getByRole('dialog', { name: '发送商品' });
      const product = picker.getByRole('list', { name: '买家订单里的商品' }).getByRole('button').first();
      const title = (await product.locator('.product-option-title').textContent()) ?? '';
      expect(title.length).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(shots, `product-picker-${viewport.width}.png`) });
      await product.click();
      await page.getByRole('group', { name: '待发送的商品' }).waitFor();
      await box.press('Enter');

      const sent = log.locator('.message-agent').filter({ hasText: XH }).last();
      await sent.waitFor();
      expect(await sent.getByLabel('引用的消息').textContent()).toBe(quote.slice(1, -2));
      expect(quote.slice(1, -2)).toBe(Array.from(quoted).length > 60 ? `${Array.from(quoted).slice(0, 60).join('')}…` : quoted);
      // The card goes after the words: the newest bubble (not a card sent into this chat before).
      const card = log.locator('[data-message-id]').last().getByRole('group', { name: '商品卡片' });
      await card.waitFor();
      expect(await card.locator('.product-card-title').textContent()).toBe(title);
      await expect.poll(() => log.locator('.message-agent.outgoing-pending').count(), { timeout: 10_000 }).toBe(0);
      expect(await box.inputValue()).toBe('');
      await page.screenshot({ path: path.join(shots, `quote-and-card-${viewport.width}.png`) });
      // Nothing spills sideways at this width.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await context.close();
    });
  }
});
