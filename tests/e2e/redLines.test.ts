import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { conversationRow, conversationView, launchChromium, rowOf, startBrowserHost, type RunningHost } from './browserHost';

/**
 * Red lines end to end (issue 16): in Chromium against browser mode on the demo shop, an agent types
 * a red-line word, sees it marked, is asked before sending, goes back, then sends anyway; the catch
 * is counted in the supervisor's list. UPDATE_SCREENSHOTS=1 refreshes docs/screenshots/red-line-*.png.
 */
let browser: Browser;
let host: RunningHost;
let dataDir: string;
const pageErrors: string[] = [];
const ACCOUNT = '当前账号';
const shots = path.resolve(import.meta.dirname, '../../docs/screenshots');

async function openDesk(url: string, width = 1280, height = 800): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().waitFor();
  return page;
}

beforeAll(async () => {
  browser = await launchChromium();
});

// Each test (and a second try of one) on a shop of its own: the first counts its catch of 加微信,
// which a second try would find counted twice.
beforeEach(async () => {
  pageErrors.length = 0;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-redlines-'));
  host = await startBrowserHost(dataDir, ['--no-demo-buyers']);
});

afterEach(async () => {
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

describe('red lines in browser mode', () => {
  it('catches a red-line word in the composer, asks before sending, and counts the catch', async () => {
    const page = await openDesk(host.url);
    const first = await rowOf(page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first());
    await conversationRow(page, first.id).click();
    const log = conversationView(page, first.id).getByRole('log', { name: `与 ${first.nick} 的聊天记录` });
    await log.waitFor();

    const box = page.getByRole('textbox', { name: '回复内容' });
    await box.click();
    await box.pressSequentially('亲，这款是全网第一，加 微 信给您优惠');
    const marks = page.locator('.composer-backdrop mark.red-line');
    await expect.poll(() => marks.allTextContents()).toEqual(['全网第一', '加 微 信']);
    // The mark sits under the word as typed: the backdrop and the box wrap the text alike.
    const boxRect = (await box.boundingBox())!;
    const markRect = (await marks.first().boundingBox())!;
    expect(markRect.y).toBeGreaterThanOrEqual(boxRect.y);
    expect(markRect.y + markRect.height).toBeLessThanOrEqual(boxRect.y + boxRect.height);
    await expect.poll(() => page.getByRole('note').filter({ hasText: '含平台红线词' }).textContent()).toContain('加微信');
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'red-line-marked.png') });

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: '这条回复含有平台红线词' });
    await dialog.waitFor();
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'red-line-confirm.png') });
    // Enter again lands on 返回修改 (the default): nothing is sent.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await box.inputValue()).toBe('亲，这款是全网第一，加 微 信给您优惠');

    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: '仍然发送' }).click();
    await log.getByText('亲，这款是全网第一，加 微 信给您优惠', { exact: true }).waitFor();

    // The supervisor sees the counts.
    await page.getByRole('button', { name: '短语库' }).click();
    await page.getByRole('button', { name: '红线词' }).click();
    const row = page.getByRole('table', { name: '平台红线词' }).getByRole('row', { name: '加微信' });
    await expect.poll(() => row.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['加微信', '1', '1']));
    // A supervisor may change the list; the most caught words come first.
    const account = page.getByRole('combobox', { name: ACCOUNT });
    const lead = await account.locator('option', { hasText: '主管' }).first().getAttribute('value');
    await account.selectOption(lead!);
    await page.getByRole('button', { name: '保存红线词' }).waitFor();
    const firstRows = await page.getByRole('table', { name: '平台红线词' }).locator('tbody tr td:first-child').allTextContents();
    expect(firstRows.slice(0, 2).sort()).toEqual(['全网第一', '加微信']);
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'red-line-list.png') });
    expect(pageErrors).toEqual([]);
  });

  it('marks the word in place at 1024×768 too', async () => {
    const page = await openDesk(host.url, 1024, 768);
    await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').nth(1).click();
    const box = page.getByRole('textbox', { name: '回复内容' });
    await box.fill('可以走支付宝转账吗？这样最便宜');
    await expect.poll(() => page.locator('.composer-backdrop mark.red-line').allTextContents()).toEqual(['支付宝转账', '最便宜']);
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'red-line-1024.png') });
  });
});
