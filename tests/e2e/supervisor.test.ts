import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, startBrowserHost, type RunningHost } from './browserHost';

/** A supervisor's day: import the team's scripts from a file, and export the chat logs. */
let browser: Browser;
let host: RunningHost;
let dataDir: string;
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/phrases');
const shots = path.resolve(import.meta.dirname, '../../docs/screenshots');

beforeAll(async () => {
  browser = await launchChromium();
});

// Each test (and a second try of one) on a shop of its own: a second import of the same file
// would meet the rows the first try imported.
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-lead-'));
  host = await startBrowserHost(dataDir, ['--no-demo-buyers']);
});

afterEach(async () => {
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

async function asSupervisor(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  await page.goto(host.url);
  const account = page.getByRole('combobox', { name: '当前账号' });
  await account.waitFor();
  await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().waitFor();
  await account.selectOption({ label: '主管-王姐（主管）' });
  await page.getByRole('button', { name: '聊天记录导出' }).waitFor();
  return page;
}

describe('a supervisor in Chromium', () => {
  it('imports a file with a dry run that names the bad rows, then the valid rows reach the picker', async () => {
    const page = await asSupervisor();
    await page.getByRole('button', { name: '短语库' }).click();
    // the supervisor's own phrases, not 小美's: the replica was rebuilt for the new account
    const personal = page.getByRole('listbox', { name: '个人短语的分组' });
    await page.getByRole('listbox', { name: '团队短语的分组' }).getByText('售前').waitFor();
    await expect.poll(() => personal.getByText('我的常用').count(), { timeout: 10_000 }).toBe(0);
    await page.getByRole('button', { name: '导入…' }).click();
    const dialog = page.getByRole('dialog', { name: '导入短语' });
    await dialog.getByLabel('选择文件（.xlsx / .csv / .tsv / .txt / .json）').setInputFiles(path.join(FIXTURES, 'with-errors.csv'));
    const problems = dialog.getByRole('table', { name: '无效的行' });
    await problems.waitFor();
    expect(await problems.getByRole('row').count()).toBe(5); // header + rows 4, 6, 7, 8
    await expect.poll(() => dialog.getByRole('button', { name: '导入' }).isDisabled()).toBe(true);
    await dialog.getByLabel('跳过无效行，只导入有效行').check();
    await expect.poll(() => dialog.getByRole('button', { name: '导入' }).isDisabled()).toBe(false);
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'import.png') });
    await dialog.getByRole('button', { name: '导入' }).click();
    await dialog.getByText('已导入 4 条短语').waitFor();
    await dialog.getByRole('button', { name: '关闭' }).click();

    await page.getByRole('button', { name: '接待台' }).click();
    await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().click();
    const box = page.getByRole('textbox', { name: '回复内容' });
    await box.click();
    await box.pressSequentially('/ok3');
    await page.getByRole('dialog', { name: '快捷短语' }).getByText('他说"马上发货"').waitFor();
    await page.close();
  });

  it('exports the chat logs to CSV with a count first, and the file holds exactly that many rows', async () => {
    const page = await asSupervisor();
    await page.getByRole('button', { name: '聊天记录导出' }).click();
    await page.getByLabel('开始日期').fill('2020-01-01');
    const count = page.getByRole('status').filter({ hasText: '将导出' });
    await count.waitFor();
    const text = (await count.textContent()) ?? '';
    const expected = Number(/将导出 ([\d,]+) 条消息/.exec(text)![1]!.replace(/,/g, ''));
    expect(expected).toBeGreaterThan(100);
    await page.getByRole('button', { name: '开始导出' }).click();
    const done = page.getByRole('alert').filter({ hasText: '导出完成' });
    await done.waitFor({ timeout: 30_000 });
    const file = /已保存到 (.+\.csv)/.exec((await done.textContent()) ?? '')![1]!;
    const csv = fs.readFileSync(file, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
    expect(parsed.data.length - 1).toBe(expected);
    // browser mode: the file is in the data folder's exports/ and 下载 hands the same bytes to the browser
    expect(path.dirname(file)).toBe(path.join(dataDir, 'exports'));
    const [download] = await Promise.all([page.waitForEvent('download'), done.getByRole('button', { name: '下载' }).click()]);
    expect(download.suggestedFilename()).toBe(path.basename(file));
    expect(fs.readFileSync((await download.path())!).equals(fs.readFileSync(file))).toBe(true);
    // "open folder": opened where there is a desktop, or the folder is named where there is none
    await done.getByRole('button', { name: '打开所在文件夹' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: path.dirname(file) })
      .waitFor();
    // the job is in the recent exports
    await page.getByRole('region', { name: '导出任务' }).getByText(path.basename(file)).first().waitFor();
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'export.png') });
    await page.close();
  });
});
