import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoShop } from '../../src-main/services/demo/seedDemo';
import { seedMessageHistory } from '../../src-main/services/demo/seedHistory';
import { openStore } from '../../src-main/store';
import { launchChromium, startBrowserHost, type RunningHost } from './browserHost';

/** A supervisor's look at the last week: 报表, 近7天, the charts, the table exported; the file's numbers are the screen's. */
let browser: Browser;
let host: RunningHost;
let dataDir: string;
const shots = path.resolve(import.meta.dirname, '../../docs/screenshots');
const looks = process.env.REPORT_SHOTS ?? fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-report-shots-'));

let template: string;

beforeAll(async () => {
  template = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-reports-template-'));
  // The demo shop with two weeks of history, so the week has buyers, answers, orders and questions.
  const store = openStore(path.join(template, 'jiedai.sqlite'));
  seedDemoShop(store, { now: Date.now() });
  seedMessageHistory(store, { messages: 6000, now: Date.now(), days: 14 });
  store.close();
  browser = await launchChromium();
});

// Each test (and a second try of one) on a copy of the shop of its own: the first sends a 催付 and
// checks that 小美 has exactly one, which a second try would find two.
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-reports-'));
  fs.cpSync(template, dataDir, { recursive: true });
  host = await startBrowserHost(dataDir, ['--no-demo-buyers']);
});

afterEach(async () => {
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
  fs.rmSync(template, { recursive: true, force: true });
});

async function supervisorReports(viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport, locale: 'zh-CN', acceptDownloads: true });
  await page.goto(host.url);
  const account = page.getByRole('combobox', { name: '当前账号' });
  await account.waitFor();
  await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().waitFor();
  await account.selectOption({ label: '主管-王姐（主管）' });
  await page.getByRole('button', { name: '报表' }).click();
  await page.getByRole('radio', { name: '近7天' }).click();
  await page.getByRole('table', { name: '客服明细' }).waitFor();
  await page.getByRole('img', { name: '接待与转化趋势' }).locator('svg').first().waitFor();
  await page.getByRole('img', { name: '买家消息热力图（星期 × 小时）' }).locator('svg').first().waitFor();
  return page;
}

/** The table as the screen shows it: header and rows of text (digit grouping and — for nothing undone). */
async function screenTable(page: Page): Promise<string[][]> {
  const table = page.getByRole('table', { name: '客服明细' });
  return table.evaluate((t) =>
    Array.from(t.querySelectorAll('tr')).map((tr) =>
      Array.from(tr.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').replace(/,/g, '').replace(/^—$/, '')),
    ),
  );
}

describe('the reports in Chromium', () => {
  it('opens 报表, picks 近7天, shows the charts, and exports the table with exactly the numbers on screen', async () => {
    // 小美 sends one 催付 from 待付款 first: the table counts it for her, and for the team.
    const desk = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await desk.goto(host.url);
    const who = desk.getByRole('combobox', { name: '当前账号' });
    await who.waitFor();
    await desk.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().waitFor();
    await who.selectOption({ label: '小美（客服）' });
    await desk.getByRole('navigation').getByRole('button', { name: '催付' }).click();
    const first = desk.locator('tr[data-order-id]', { has: desk.getByRole('button', { name: '催付' }) }).first();
    const orderId = await first.getAttribute('data-order-id');
    const unpaid = desk.locator(`tr[data-order-id="${orderId}"]`);
    await unpaid.getByRole('button', { name: '催付' }).click();
    await unpaid.getByText('已催付').waitFor();
    await desk.close();

    const page = await supervisorReports({ width: 1280, height: 800 });
    const shown = await screenTable(page);
    const column = (name: string) => shown[0]!.indexOf(name);
    const rowOf = (label: string) => shown.find((r) => r[0] === label)!;
    await expect.poll(async () => (await screenTable(page)).find((r) => r[0] === '小美')?.[column('催付次数')]).toBe('1');
    shown.splice(0, shown.length, ...(await screenTable(page)));
    expect(shown[0]!.slice(-3)).toEqual(['催付次数', '催付后付款单数', '催付挽回金额(元)']);
    expect(rowOf('团队合计')[column('催付次数')]).toBe('1');
    expect(shown[0]!.slice(0, 3)).toEqual(['客服', '接待人数', '询单人数']);
    expect(shown[1]![0]).toBe('团队合计');
    expect(Number(shown[1]![1])).toBeGreaterThan(20); // buyers received this week
    expect(Number(shown[1]![7])).toBeGreaterThan(0); // a first-response median
    expect(await page.getByRole('group', { name: '接待人数' }).textContent()).toContain(Number(shown[1]![1]).toLocaleString('en-US'));
    // the page itself never scrolls sideways (the wide table scrolls in its own box)
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: path.join(looks, 'reports-1280.png') });
    await page.screenshot({ path: path.join(looks, 'reports-1280-full.png'), fullPage: true });
    // The table's 催付 columns, scrolled into its box.
    const tableCard = page.getByRole('region', { name: '客服明细' });
    await tableCard.scrollIntoViewIfNeeded();
    await page.locator('.reports-table-scroll').evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await page.screenshot({ path: path.join(looks, 'reports-1280-reminder-columns.png') });
    // 小美's own cards: her 催付, and the status line says whose they are (it prints).
    await page.locator('.reports-toolbar').scrollIntoViewIfNeeded();
    await page.getByRole('combobox', { name: '查看' }).selectOption({ label: '小美' });
    const hers = page.getByRole('region', { name: '小美 的概览' });
    await hers.waitFor();
    expect(await page.getByRole('region', { name: '催付' }).getByRole('group', { name: '催付次数' }).textContent()).toContain('1');
    expect(await page.locator('.reports-status').textContent()).toContain('小美 的概览');
    await page.screenshot({ path: path.join(looks, 'reports-1280-agent.png') });
    await page.getByRole('combobox', { name: '查看' }).selectOption({ label: '团队合计' });

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/报表-\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d-\d{8}T\d{6}\.csv$/);
    const csv = fs.readFileSync((await csvDownload.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(rows).toEqual(shown);
    await page.getByRole('alert').filter({ hasText: '已导出到' }).waitFor();

    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await xlsxDownload.path())!);
    const sheet = book.getWorksheet('客服明细')!;
    expect(sheet.getRow(2).getCell(1).value).toBe('团队合计');
    for (const column of [2, 3, 4, 5, 14, 15, 19, 21]) {
      expect(String(sheet.getRow(2).getCell(column).value ?? ''), shown[0]![column - 1]).toBe(shown[1]![column - 1]);
    }
    expect((sheet.getRow(2).getCell(18).value as number).toFixed(2)).toBe(shown[1]![17]);
    // 催付 in the file as on screen: the team's and 小美's.
    const meiRow = shown.findIndex((r) => r[0] === '小美') + 1;
    expect(sheet.getRow(meiRow).getCell(1).value).toBe('小美');
    for (const row of [2, meiRow]) {
      expect(String(sheet.getRow(row).getCell(column('催付次数') + 1).value), String(row)).toBe(shown[row - 1]![column('催付次数')]);
    }
    await page.close();
  });

  it('holds at 1024×768, and prints the report alone', async () => {
    const page = await supervisorReports({ width: 1024, height: 768 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // the header's screens all fit
    for (const name of ['接待台', '团队接待', '消息搜索', '历史会话', '短语库', '报表', '聊天记录导出']) {
      const box = await page.getByRole('button', { name, exact: true }).first().boundingBox();
      expect(box && box.x + box.width <= 1024, name).toBe(true);
    }
    await page.screenshot({ path: path.join(looks, 'reports-1024.png') });
    await page.getByRole('region', { name: '客服明细' }).scrollIntoViewIfNeeded();
    await page.locator('.reports-table-scroll').evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await page.screenshot({ path: path.join(looks, 'reports-1024-reminder-columns.png') });
    await page.locator('.reports-toolbar').scrollIntoViewIfNeeded();
    await page.getByRole('combobox', { name: '查看' }).selectOption({ label: '小美' });
    await page.getByRole('region', { name: '小美 的概览' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: path.join(looks, 'reports-1024-agent.png') });
    await page.getByRole('combobox', { name: '查看' }).selectOption({ label: '团队合计' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // further down: the heatmap and the hot questions
    await page.locator('main.reports-main').evaluate((main) => {
      main.querySelector('section[aria-label="买家消息热力图（星期 × 小时）"]')!.scrollIntoView({ block: 'start' });
      main.scrollTop -= 12;
    });
    await page.screenshot({ path: path.join(looks, 'reports-1024-heatmap.png') });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.getByRole('table', { name: '客服明细' }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(looks, 'reports-print.png'), fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS) {
      fs.copyFileSync(path.join(looks, 'reports-1280.png'), path.join(shots, 'reports.png'));
      fs.copyFileSync(path.join(looks, 'reports-1024-heatmap.png'), path.join(shots, 'reports-1024.png'));
    }
    await page.close();
  });
});
