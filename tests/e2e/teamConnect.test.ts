import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { conversationService } from '../../src-main/services/conversations';
import { addCustomerWithConversation } from '../../src-main/store/testing';
import { realHub, type RealHub } from '../teamSync/realHubServer';
import { closeWithRetry, launchChromium, startBrowserHost, type RunningHost } from './browserHost';

/**
 * A desk in Chromium connects to a real team hub through its sign-in form, works through the hub
 * going down (offline, counting what waits) and catches up when it is back on the same port and
 * folder: the reply is on the hub once.
 */
const SHOTS = process.env.JIEDAI_SHOTS_DIR ?? path.join(os.tmpdir(), 'jiedai-shots');
const ACCOUNT = { id: 'agent-ajie', nick: '阿杰', password: 'ajie-pass-123' };

let browser: Browser;
let hub: RealHub;
let host: RunningHost | undefined;
let deskDir: string;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});

// Each try on a hub and a desk folder of their own: a first try that failed had joined the desk to
// the hub (no 连接团队中心… any more), may have left the hub stopped, and its host up on the folder.
beforeEach(async () => {
  hub = await realHub({ shop: '团队测试小店' });
  const created = await hub.asOwner('accounts.create', { ...ACCOUNT, role: 'agent' });
  if (!created.ok) throw new Error(JSON.stringify(created));
  const { customerId } = addCustomerWithConversation(hub.core().store, '团队买家小红', Date.now());
  conversationService(hub.core().store, Date.now).receive({ customerId, text: '你好，请问这件有货吗？' });
  deskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-team-'));
});

afterEach(async () => {
  await closeWithRetry('the browser-mode host', host && (() => host!.stop()), { process: host?.process });
  host = undefined;
  await closeWithRetry('the hub', hub && (() => hub.close()));
  fs.rmSync(deskDir, { recursive: true, force: true });
});

afterAll(async () => {
  await closeWithRetry('Chromium', browser && (() => browser.close()));
});

async function shoot(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1024, 768],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}x${height}.png`) });
    // Nothing spills sideways at either size.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} at ${width}×${height}`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

function repliesOnHub(text: string): number {
  return hub.core().store.db.prepare('SELECT count(*) FROM messages WHERE text = ?').pluck().get(text) as number;
}

describe('a desk joins a team hub from its sign-in form', () => {
  it('connects, works offline counting what waits, and catches up once the hub is back', async () => {
    host = await startBrowserHost(deskDir, ['--no-demo-buyers']);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().waitFor();
    // Standalone: no hub state in the header.
    expect(await page.getByRole('button', { name: /^团队中心：/ }).count()).toBe(0);

    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: '输入买家昵称或命令' }).fill('团队');
    await page.getByRole('option', { name: '连接团队中心…' }).click();
    const form = page.getByRole('dialog', { name: '连接团队中心' });
    await form.getByLabel('团队中心地址').fill(hub.base);
    await form.getByLabel('账号').fill(ACCOUNT.nick);
    await form.getByLabel('密码').fill('wrong-password');
    await form.getByLabel('密码').press('Enter');
    await form.getByRole('alert').filter({ hasText: '账号或密码不对' }).waitFor();
    await form.getByLabel('密码').fill(ACCOUNT.password);
    await shoot(page, 'team-connect-form');
    await form.getByLabel('密码').press('Enter');

    // The hub's shop and account, once the first snapshot is in.
    const header = page.locator('header.app-header');
    await header.locator('.shop', { hasText: '团队测试小店' }).waitFor({ timeout: 30_000 });
    await header.getByText(`${ACCOUNT.nick}（客服）`).waitFor();
    await page.getByRole('button', { name: '团队中心：在线' }).waitFor({ timeout: 30_000 });
    await form.waitFor({ state: 'detached' });
    // The desk's replica rebuilds from the new feed: the demo shop's conversations give way to the team's one.
    const options = page.getByRole('listbox', { name: '会话列表' }).getByRole('option');
    await expect.poll(() => options.count(), { timeout: 15_000, message: 'the list holds the team’s conversation only' }).toBe(1);
    const buyer = options.filter({ hasText: '团队买家小红' });
    await buyer.click();
    const log = page.getByRole('log');
    await log.getByText('你好，请问这件有货吗？').waitFor();
    await shoot(page, 'team-online');

    await hub.stop();
    await page.getByRole('button', { name: '团队中心：离线' }).waitFor({ timeout: 30_000 });
    const reply = `有货的，今天下单明天发 #${Date.now()}`;
    const box = page.getByRole('textbox', { name: '回复内容' });
    await box.fill(reply);
    await box.press('Enter');
    await log.getByText(reply, { exact: true }).waitFor();
    const banner = page.getByRole('status').filter({ hasText: '团队中心暂时连不上。本机照常工作，1 条操作等待同步' });
    await banner.waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: '团队中心：离线 · 1 条操作待同步' }).waitFor();
    await shoot(page, 'team-offline-banner');

    await hub.start();
    await page.getByRole('button', { name: '团队中心：在线' }).waitFor({ timeout: 40_000 });
    await banner.waitFor({ state: 'detached' });
    await expect.poll(() => repliesOnHub(reply), { timeout: 15_000, message: 'the reply queued offline reaches the hub' }).toBe(1);
    expect(await log.locator('.outgoing-failed').count()).toBe(0);
    await expect.poll(() => log.locator('.outgoing-pending').count(), { timeout: 15_000 }).toBe(0);
    expect(repliesOnHub(reply)).toBe(1);
    expect(errors).toEqual([]);
  });
});
