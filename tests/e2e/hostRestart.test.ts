import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DATA_FILE } from '../../src-main/core/core';
import { openDatabase } from '../../src-main/store/connection';
import { conversationRow, conversationView, freePort, launchChromium, rowOf, startBrowserHost, type RunningHost } from './browserHost';

/**
 * The host stopped and started again on the same port and data folder: the open desk reconnects by
 * itself and delivers what it queued meanwhile, once. A page whose token the host does not know says
 * its address is out of date.
 */
let browser: Browser;
let host: RunningHost | undefined;
let dataDir: string;

beforeAll(async () => {
  browser = await launchChromium();
});

// Each try with a data folder of its own, and no host left from the one before: a first try that
// failed with its host up would otherwise leave two hosts on one folder.
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-restart-'));
});

afterEach(async () => {
  await host?.stop();
  host = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

function storedCount(text: string): number {
  const db = openDatabase(path.join(dataDir, DATA_FILE), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM messages WHERE text = ?').pluck().get(text) as number;
  } finally {
    db.close();
  }
}

describe('a desk across a host restart', () => {
  it('reconnects by itself and delivers the reply queued while the host was down, once', async () => {
    const port = await freePort();
    host = await startBrowserHost(dataDir, ['--no-demo-buyers'], { port });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    const first = await rowOf(page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first());
    await conversationRow(page, first.id).click();
    const log = conversationView(page, first.id).getByRole('log', { name: `与 ${first.nick} 的聊天记录` });
    await log.waitFor();

    await host.stop();
    host = undefined;
    await page
      .getByRole('status')
      .filter({ hasText: /连接已断开|正在连接/ })
      .waitFor();
    const reply = `重启期间的回复 #${Date.now()}`;
    const box = page.getByRole('textbox', { name: '回复内容' });
    await box.fill(reply);
    await box.press('Enter');
    await log.getByText(reply, { exact: true }).waitFor();
    expect(await log.locator('.outgoing-pending').count()).toBe(1);

    host = await startBrowserHost(dataDir, ['--no-demo-buyers'], { port });
    await expect
      .poll(() => log.locator('.outgoing-pending').count(), { timeout: 40_000, message: 'the queued reply goes out after the restart' })
      .toBe(0);
    expect(await log.locator('.outgoing-failed').count()).toBe(0);
    expect(storedCount(reply)).toBe(1);
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /连接已断开|正在连接/ })
          .count(),
      )
      .toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('tells a page with a token this host does not know that its address is out of date', async () => {
    host = await startBrowserHost(dataDir, ['--no-demo-buyers']);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await page.goto(`${host.origin}/#token=${'x'.repeat(32)}`);
    const alert = page.getByRole('alert').filter({ hasText: '这个地址已过期' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('重新运行 npm run web');
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: '/tmp/host-hardening-stale.png' });
    await page.close();
  });
});
