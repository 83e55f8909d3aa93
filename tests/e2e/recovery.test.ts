import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { damagePages } from '../../src-main/store/testing';
import { launchChromium, startBrowserHost, type RunningHost } from './browserHost';

/**
 * The store under faults in Chromium: a data file damaged while the app was closed is found at start,
 * the recovery screen says so, and a choice brings the desk back. UPDATE_SCREENSHOTS=1 refreshes
 * docs/screenshots/recovery.png.
 */
let browser: Browser;
const hosts: RunningHost[] = [];
const dirs: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
// Each test (and a retry of one) counts its own page errors.
beforeEach(() => {
  pageErrors.length = 0;
});
afterAll(async () => {
  await browser?.close();
  for (const h of hosts) await h.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function host(dataDir: string): Promise<RunningHost> {
  const h = await startBrowserHost(dataDir, ['--no-demo-buyers']);
  hosts.push(h);
  return h;
}
async function open(url: string, width = 1280, height = 800): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  return page;
}
const listOptions = (page: Page) => page.getByRole('listbox', { name: '会话列表' }).getByRole('option');

describe('a damaged data file in browser mode', () => {
  it('shows the recovery screen after pages were overwritten, and restoring the newest backup brings the shop back', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-recovery-'));
    dirs.push(dataDir);
    const first = await host(dataDir);
    const page = await open(first.url);
    await listOptions(page).first().waitFor();
    const shopCount = await listOptions(page).count();
    // The first start took the daily backup; a clean stop checkpoints the file.
    await expect
      .poll(() => fs.readdirSync(path.join(dataDir, 'backups')).filter((n) => n.endsWith('-daily.sqlite')).length, { timeout: 20_000 })
      .toBe(1);
    await page.close();
    await first.stop();

    damagePages(path.join(dataDir, 'jiedai.sqlite'));
    const second = await host(dataDir);
    const damaged = await open(second.url);
    const screen = damaged.getByRole('main', { name: '数据文件已损坏' });
    await screen.waitFor();
    await expect.poll(() => screen.getByText(/部分内容已损坏/).count()).toBe(1);
    const keptAs = (await screen.locator('.recovery-path').textContent()) ?? '';
    expect(keptAs.startsWith(path.join(dataDir, 'damaged'))).toBe(true);
    expect(fs.existsSync(keptAs)).toBe(true);
    expect(await screen.getByRole('region', { name: '自动备份（最新的在前）' }).getByRole('listitem').count()).toBe(1);
    await damaged.screenshot({ path: path.join(os.tmpdir(), 'jiedai-recovery-1280.png') });
    if (process.env.UPDATE_SCREENSHOTS)
      await damaged.screenshot({ path: path.resolve(import.meta.dirname, '../../docs/screenshots/recovery.png') });

    await screen.getByRole('button', { name: '从最新备份恢复' }).click();
    await listOptions(damaged).first().waitFor();
    await expect.poll(() => listOptions(damaged).count()).toBe(shopCount);
    expect(pageErrors).toEqual([]);
  });

  it('never replaces a 0-byte data file with a fresh demo shop; starting empty gives an empty desk', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-zero-'));
    dirs.push(dataDir);
    fs.writeFileSync(path.join(dataDir, 'jiedai.sqlite'), '');
    const h = await host(dataDir);
    const page = await open(h.url, 1024, 768);
    const screen = page.getByRole('main', { name: '数据文件已损坏' });
    await screen.waitFor();
    await expect.poll(() => screen.getByText(/是空的（0 字节）/).count()).toBe(1);
    expect(await screen.getByRole('button', { name: '从最新备份恢复' }).isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(os.tmpdir(), 'jiedai-recovery-1024.png') });
    expect(fs.existsSync(path.join(dataDir, 'jiedai.sqlite'))).toBe(false);
    expect(fs.readdirSync(path.join(dataDir, 'damaged')).map((n) => fs.statSync(path.join(dataDir, 'damaged', n)).size)).toEqual([0]);

    await screen.getByRole('button', { name: '从空白开始' }).click();
    await screen.getByRole('button', { name: '确定' }).click();
    await page.getByText('暂无进行中的会话').waitFor();
    expect(fs.existsSync(path.join(dataDir, 'jiedai.sqlite'))).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
