import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startBrowserHost, type RunningHost } from './browserHost';

/**
 * Never miss a buyer (issue 15), in Chromium against browser mode with the demo buyers writing: while
 * the window is in the background a buyer's message raises a system notification and the unread count
 * sits in the title; the notification's click opens that buyer's chat.
 */
let browser: Browser;
let host: RunningHost;
let dataDir: string;
const shots = process.env.JIEDAI_SHOTS ?? '';

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-alerts-'));
  browser = await launchChromium();
  host = await startBrowserHost(dataDir, ['--demo-interval', '400']);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('alerts', () => {
  it('notifies while the window is in the background, counts in the title, and a click opens the chat', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await context.grantPermissions(['notifications'], { origin: host.origin });
    // The window in the background, and the system's notifications recorded (headless Chromium shows none).
    await context.addInitScript(() => {
      const w = window as unknown as { __shown: { title: string; body: string; n: { onclick: (() => void) | null } }[] };
      w.__shown = [];
      let inFront = false;
      Object.defineProperty(document, 'hasFocus', { value: () => inFront });
      (window as unknown as { __front: (v: boolean) => void }).__front = (v) => (inFront = v);
      const Real = window.Notification;
      class Recording extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          w.__shown.push({ title, body: options?.body ?? '', n: this as unknown as { onclick: (() => void) | null } });
        }
      }
      Object.defineProperty(window, 'Notification', { value: Recording });
    });
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByRole('listbox', { name: '会话列表' }).waitFor();
    // One list change can bring several buyers' messages (a pull that caught up on a busy machine, or
    // the first after the replica was built): that notification says "N 条新消息" and opens the first
    // of them. The click is checked on the first notification that names its buyer.
    type Shown = { title: string; body: string };
    const single = /^(新买家 · .+|.+ 发来新消息)$/;
    await page.waitForFunction(
      (pattern) => (window as unknown as { __shown: Shown[] }).__shown.some((n) => new RegExp(pattern).test(n.title)),
      single.source,
      { timeout: 20_000 },
    );
    const shown = await page.evaluate(() =>
      (window as unknown as { __shown: Shown[] }).__shown.map((n) => ({ title: n.title, body: n.body })),
    );
    for (const n of shown) {
      expect(n.title).toMatch(/^(新买家 · .+|.+ 发来新消息|\d+ 条新消息)$/);
      expect(n.body.length).toBeGreaterThan(0);
    }
    expect(await page.title()).toMatch(/^\(\d+\) 接待 · /);
    const index = shown.findIndex((n) => single.test(n.title));
    const nick = shown[index]!.title.replace(/^新买家 · /, '').replace(/ 发来新消息$/, '');
    await page.evaluate((i) => {
      const w = window as unknown as { __front: (v: boolean) => void; __shown: { n: { onclick: (() => void) | null } }[] };
      w.__front(true);
      w.__shown[i]!.n.onclick?.();
    }, index);
    await page.getByRole('log', { name: `与 ${nick} 的聊天记录` }).waitFor();
    if (shots) await page.screenshot({ path: path.join(shots, 'alerts-desk-1280.png') });
    await page.getByRole('button', { name: '设置' }).click();
    await page.getByRole('dialog', { name: '设置' }).getByRole('combobox', { name: '提示音' }).waitFor();
    if (shots) {
      await page.screenshot({ path: path.join(shots, 'alerts-settings-1280.png') });
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: path.join(shots, 'alerts-settings-1024.png') });
    }
    await context.close();
  });
});
