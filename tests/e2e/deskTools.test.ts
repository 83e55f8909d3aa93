import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../../src-main/core/core';
import { conversationRow, conversationView, launchChromium, rowOf, startBrowserHost, type RunningHost } from './browserHost';

/**
 * The desk's tools end to end (issue: the agent's desk): answer a waiting buyer with a picked
 * phrase, tag the buyer, flag an order red with a memo, reload, and find it all still there.
 */
let browser: Browser;
let host: RunningHost;
let dataDir: string;
let template: string;
let long = { id: '', nick: '' };
const shots = path.resolve(import.meta.dirname, '../../docs/screenshots');

beforeAll(async () => {
  template = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-tools-template-'));
  // A conversation with a long history, written through the core before the host starts.
  const core = new Core({ dataDir: template, demoBuyers: { enabled: false } });
  const all = await core.call('conversations.list', { status: 'open' }, 'test');
  const list = all.ok ? (all.value as { id: string; customerNick: string }[]) : [];
  const target = list[list.length - 1]!;
  long = { id: target.id, nick: target.customerNick };
  for (let i = 1; i <= 130; i++) {
    await core.call(
      'messages.send',
      { id: `history-${String(i).padStart(3, '0')}`, conversationId: target.id, text: `历史消息 ${i}` },
      'test',
    );
  }
  core.close();
  browser = await launchChromium();
});

// Each try on a copy of the shop of its own: the first test makes a tag by name, answers a buyer and
// flags an order, which a second try would find done already.
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-tools-'));
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

async function openFirstWaiting(page: Page): Promise<{ id: string; nick: string }> {
  await page.goto(host.url);
  const list = page.getByRole('listbox', { name: '会话列表' });
  await list.getByRole('option').first().waitFor();
  await page.getByRole('button', { name: '未回复', pressed: false }).click();
  // The row read once the refinement is on (not the first row of the list before it).
  await page.getByRole('button', { name: '未回复', pressed: true }).waitFor();
  const first = await rowOf(list.getByRole('option').first());
  await conversationRow(page, first.id).click();
  return first;
}

describe('the agent desk in Chromium', () => {
  it('answers with a picked phrase, tags the buyer, flags an order red with a memo, and keeps it all after a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const { id, nick } = await openFirstWaiting(page);

    // the picker: "/" then pinyin initials, Enter inserts the filled phrase
    const box = page.getByRole('textbox', { name: '回复内容' });
    await box.click();
    await box.pressSequentially('/fh');
    const picker = page.getByRole('dialog', { name: '快捷短语' });
    await picker.waitFor();
    const firstContent = await picker.getByRole('listbox').getByRole('option').first().locator('.content').textContent();
    expect(firstContent).toContain('发');
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'picker.png') });
    await box.press('Enter');
    await expect.poll(() => picker.count()).toBe(0);
    const inserted = await box.inputValue();
    expect(inserted.length).toBeGreaterThan(3);
    expect(inserted.startsWith('/')).toBe(false);
    // fill anything the conversation could not, then send
    const reply = inserted.replace(/\{[^}]+\}/g, 'SF1234567890');
    await box.fill(reply);
    await box.press('Enter');
    const log = conversationView(page, id).getByRole('log', { name: `与 ${nick} 的聊天记录` });
    await log.getByText(reply, { exact: true }).waitFor();

    // tag the buyer with a new tag
    const panel = page.getByRole('complementary', { name: '买家信息' });
    await panel.getByRole('button', { name: '＋ 标签' }).click();
    await panel.getByRole('textbox', { name: '标签名称' }).fill('端到端测试');
    await panel.getByRole('button', { name: '新建标签「端到端测试」' }).click();
    await panel.getByRole('list', { name: '客户标签' }).getByText('端到端测试').waitFor();

    // flag the newest order red and write a memo
    const card = panel.locator('.order-card').first();
    const orderNo = (await card.locator('.order-no').textContent()) ?? '';
    await card.getByRole('radio', { name: '红旗' }).click();
    await expect.poll(() => card.getByRole('radio', { name: '红旗' }).getAttribute('aria-checked')).toBe('true');
    await card.getByRole('button', { name: `编辑订单 ${orderNo} 的备注` }).click();
    await card.getByRole('textbox', { name: `订单 ${orderNo} 的备注` }).fill('买家要求顺丰，已改');
    await card.getByRole('button', { name: '保存' }).click();
    await card.getByText('备注：买家要求顺丰，已改').waitFor();
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'order-tools.png') });

    // reload: everything is still there
    await page.reload();
    await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().waitFor();
    // The 未回复 refinement is kept across the reload: off again, to find the (answered) buyer.
    await page.getByRole('button', { name: '未回复', pressed: true }).click();
    await page.getByRole('searchbox', { name: '搜索买家昵称' }).fill(nick);
    await conversationRow(page, id).click();
    await conversationView(page, id).getByText(reply, { exact: true }).waitFor();
    const panelAfter = page.getByRole('complementary', { name: '买家信息' });
    await panelAfter.getByRole('list', { name: '客户标签' }).getByText('端到端测试').waitFor();
    const cardAfter = panelAfter.getByRole('listitem', { name: `订单 ${orderNo}` });
    await cardAfter.getByText('备注：买家要求顺丰，已改').waitFor();
    expect(await cardAfter.getByRole('radio', { name: '红旗' }).getAttribute('aria-checked')).toBe('true');
    // the conversation list shows the buyer's new tag
    expect(await conversationRow(page, id).getByText('端到端测试').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pages older history in as the agent scrolls up, down to the first message', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await page.goto(host.url);
    await page.getByRole('searchbox', { name: '搜索买家昵称' }).fill(long.nick);
    await conversationRow(page, long.id).click();
    const log = conversationView(page, long.id).getByRole('log', { name: `与 ${long.nick} 的聊天记录` });
    await log.getByText('历史消息 130', { exact: true }).waitFor();
    expect(await log.getByText('历史消息 1', { exact: true }).count()).toBe(0);
    const scroller = log.locator('.message-scroller');
    // The agent keeps scrolling to the top until the first page has come in (each scroll asks for the next older page).
    await expect
      .poll(
        async () => {
          await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
          return log.getByText('没有更早的消息了').count();
        },
        { message: 'scrolling up reaches the start of the conversation', timeout: 20_000, interval: 200 },
      )
      .toBeGreaterThan(0);
    // The seeded dialogue comes first; the first history message follows it.
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    const first = log.getByText('历史消息 1', { exact: true });
    await expect
      .poll(
        async () => {
          if ((await first.count()) === 0) await scroller.evaluate((el) => el.scrollBy({ top: 150 }));
          return first.count();
        },
        { message: 'scrolling down from the start shows the first history message', timeout: 20_000, interval: 50 },
      )
      .toBeGreaterThan(0);
    await page.close();
  });
});
