import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OWNER, realHub, type RealHub } from '../teamSync/realHubServer';
import { launchChromium, startBrowserHost, type RunningHost } from './browserHost';

/**
 * The owner's channels section on a desk of a team (issue 13): the desk in Chromium signs in to a
 * real hub as its owner and keeps the hub's channels from 渠道 (the calls go to the hub); screenshots
 * at 1280×800 and 1024×768, with nothing spilling sideways.
 */
const SHOTS = process.env.JIEDAI_SHOTS ?? path.join(os.tmpdir(), 'jiedai-widget-shots');

let browser: Browser;
let hub: RealHub;
let host: RunningHost | undefined;
let deskDir: string;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});

// Each try on a hub and a desk folder of their own: a first try that failed had joined the desk to
// the hub (no 连接团队中心… any more), may have made its token already, and left its host up.
beforeEach(async () => {
  hub = await realHub({ shop: '晴天小铺' });
  deskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-channels-'));
});

afterEach(async () => {
  await host?.stop();
  host = undefined;
  await hub?.close();
  fs.rmSync(deskDir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

async function shoot(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1024, 768],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}x${height}.png`) });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} at ${width}×${height}`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('the channels section on a desk of a team', () => {
  it('keeps the hub’s widget, API tokens and webhooks from the owner’s desk', async () => {
    host = await startBrowserHost(deskDir, ['--no-demo-buyers']);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await page.goto(host.url);
    await page.getByRole('listbox', { name: '会话列表' }).waitFor();
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: '输入买家昵称或命令' }).fill('团队');
    await page.getByRole('option', { name: '连接团队中心…' }).click();
    const form = page.getByRole('dialog', { name: '连接团队中心' });
    await form.getByLabel('团队中心地址').fill(hub.base);
    await form.getByLabel('账号').fill(OWNER.nick);
    await form.getByLabel('密码').fill(OWNER.password);
    await form.getByLabel('密码').press('Enter');
    await page.locator('header.app-header .shop', { hasText: '晴天小铺' }).waitFor({ timeout: 30_000 });
    await form.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: '渠道', exact: true }).click();
    const widget = page.getByRole('region', { name: '网页客服' });
    await widget.getByRole('checkbox', { name: '启用网页客服' }).check();
    await widget.getByRole('textbox', { name: '买家访问服务器的地址' }).fill('https://chat.example.com');
    await widget.getByRole('textbox', { name: '欢迎语' }).fill('您好，欢迎光临晴天小铺');
    await widget.getByRole('radio', { name: '仅在以下时间' }).check();
    await widget.getByRole('button', { name: '保存' }).click();
    await widget.getByText('<script src="https://chat.example.com/widget.js" async></script>').waitFor();

    const tokens = page.getByRole('region', { name: 'API 令牌' });
    await tokens.getByRole('textbox', { name: '名称' }).fill('公众号桥');
    await tokens.getByRole('button', { name: '新建令牌' }).click();
    await tokens.getByText(/^jdk_/).waitFor();
    const hooks = page.getByRole('region', { name: 'Webhook' });
    await hooks.getByRole('textbox', { name: '接收地址' }).fill('https://bridge.example.com/jiedai/hook');
    await hooks.getByRole('button', { name: '添加' }).click();
    await hooks.getByText(/^whsec_/).waitFor();
    await shoot(page, 'channels-screen');

    // It is all on the hub, not on the desk.
    expect(
      hub
        .core()
        .store.channels.tokens.list()
        .map((t) => t.name),
    ).toEqual(['公众号桥']);
    expect(
      hub
        .core()
        .store.channels.endpoints.list()
        .map((e) => e.url),
    ).toEqual(['https://bridge.example.com/jiedai/hook']);
  });
});
