import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pngOf } from '../../src-main/services/channels/testing/png';
import { launchChromium, startBrowserHost, type RunningHost } from './browserHost';

/**
 * Automation end to end (issue 16), in Chromium against browser mode on the demo shop. Time for 催付
 * is moved with the test-only automation clock: the host runs with JIEDAI_TEST_CLOCK=1 and the test
 * writes `{"offsetMs": n}` to the data folder's test-clock.json (src-main/services/automation/testClock.ts).
 * A supervisor sets the rules on the 催付 screen; an order placed now and left unpaid gets its
 * reminder at the tenth minute in the buyer's conversation (not at the ninth); a keyword rule answers
 * a demo buyer with a team phrase that carries a picture (the words, then the picture, both marked
 * 自动回复); a red-line word is caught in the composer. UPDATE_SCREENSHOTS=1 refreshes
 * docs/screenshots/automation-*.png.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const shots = path.join(ROOT, 'docs/screenshots');
const ORDER_NO = 'E2E20240618001';
const ANSWER = '【自动】您好，客服马上就来';
let browser: Browser;
let host: RunningHost;
let dataDir: string;
let buyer: { id: string; nick: string };
const pageErrors: string[] = [];

const setClock = (offsetMs: number) => fs.writeFileSync(path.join(dataDir, 'test-clock.json'), JSON.stringify({ offsetMs }));
/** The first conversation the keyword rule has answered (null while none), read from the shop's file. */
const answered = (): { conversationId: string; nick: string } | null => {
  const db = new Database(path.join(dataDir, 'jiedai.sqlite'), { readonly: true });
  try {
    return (
      (db
        .prepare(
          `SELECT c.id AS conversationId, cu.nick FROM messages m JOIN conversations c ON c.id = m.conversation_id
           JOIN customers cu ON cu.id = c.customer_id
           WHERE m.automated = 'auto_reply' AND m.text = ? ORDER BY m.created_at LIMIT 1`,
        )
        .get(ANSWER) as { conversationId: string; nick: string } | undefined) ?? null
    );
  } finally {
    db.close();
  }
};
const remindersOf = () => {
  const db = new Database(path.join(dataDir, 'jiedai.sqlite'), { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM messages WHERE automated = 'reminder' AND order_id = 'e2e-unpaid'").pluck().get() as number;
  } finally {
    db.close();
  }
};

async function openDesk(width = 1280, height = 800): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(host.url);
  await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().waitFor();
  return page;
}

beforeAll(async () => {
  browser = await launchChromium();
});

// Each test (and a retry of one) on a shop of its own: the first moves the automation clock and
// reminds the order, which a second try must not find done already.
beforeEach(async () => {
  pageErrors.length = 0;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-automation-'));
  execFileSync(process.execPath, [path.join(ROOT, 'bin/jiedai.js'), 'seed-demo', '--data-dir', dataDir], { cwd: ROOT, stdio: 'ignore' });
  // An order placed now by a buyer with an open conversation, left unpaid.
  const db = new Database(path.join(dataDir, 'jiedai.sqlite'));
  buyer = db
    .prepare(
      `SELECT cu.id, cu.nick FROM conversations c JOIN customers cu ON cu.id = c.customer_id
       WHERE c.status = 'open' ORDER BY c.last_message_at DESC LIMIT 1`,
    )
    .get() as { id: string; nick: string };
  const now = Date.now();
  db.prepare(
    `INSERT INTO orders (id, order_no, customer_id, status, amount_cents, address, logistics_company, tracking_no, created_at, paid_at, updated_at)
     VALUES ('e2e-unpaid', ?, ?, 'pending_payment', 19900, '浙江省杭州市', NULL, NULL, ?, NULL, ?)`,
  ).run(ORDER_NO, buyer.id, now, now);
  // A team phrase with a picture (a size chart), its file where the core keeps pictures, for the keyword rule to answer with.
  const chart = pngOf(48, 32);
  const hash = crypto.createHash('sha256').update(chart).digest('hex');
  fs.mkdirSync(path.join(dataDir, 'channel-files', hash.slice(0, 2)), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'channel-files', hash.slice(0, 2), hash), chart);
  const group = db.prepare("SELECT id FROM reply_groups WHERE scope = 'team' ORDER BY sort LIMIT 1").pluck().get() as string;
  db.prepare(
    `INSERT INTO replies (id, scope, owner, group_id, code, title, content, search_keys, sort, created_at, updated_at, image)
     VALUES ('e2e-chart', 'team', '', ?, 'e2ecm', '自动回复尺码表', ?, 'e2ecm', 99, ?, ?, ?)`,
  ).run(group, ANSWER, now, now, JSON.stringify({ hash, mime: 'image/png', width: 48, height: 32, bytes: chart.length }));
  db.close();
  setClock(0);
  process.env.JIEDAI_TEST_CLOCK = '1';
  host = await startBrowserHost(dataDir, ['--demo-interval', '1500']);
});

afterEach(async () => {
  delete process.env.JIEDAI_TEST_CLOCK;
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

describe('automation in browser mode', () => {
  it('a supervisor sets 催付 and a keyword rule; the unpaid order is reminded at the set minute; the rule answers a buyer; a red-line word is caught', async () => {
    const page = await openDesk();
    const account = page.getByRole('combobox', { name: '当前账号' });
    const lead = await account.locator('option', { hasText: '主管' }).first().getAttribute('value');
    await account.selectOption(lead!);
    await page.getByRole('navigation').getByRole('button', { name: '催付' }).click();

    // The queue: the order placed just now, not reminded yet.
    const row = page.locator('tr', { hasText: ORDER_NO });
    await row.waitFor();
    await expect.poll(() => row.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining([buyer.nick, '¥199.00']));
    await row.getByRole('button', { name: '催付' }).waitFor();
    // The demo's flash-sale orders placed in the last half hour are in the queue, marked 秒杀.
    await page.locator('tr', { hasText: '秒杀' }).first().waitFor();
    expect(await row.getByText('秒杀').count()).toBe(0);
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'automation-pending.png') });

    // 催付 rules: on, 10 minutes after the order, no quiet hours (the test may run at night in Shanghai).
    await page.getByRole('tab', { name: '催付规则' }).click();
    await page.getByRole('checkbox', { name: '启用自动催付' }).check();
    await page.getByRole('spinbutton', { name: '下单后多少分钟催付' }).fill('10');
    await page.getByRole('checkbox', { name: '免打扰时段' }).uncheck();
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').waitFor();

    // A keyword rule, tried on a sample first, answering almost any buyer line of the demo.
    await page.getByRole('tab', { name: '自动回复' }).click();
    await page.getByRole('button', { name: '添加规则' }).click();
    const rule = page.getByRole('listitem', { name: '规则 1' });
    await rule.getByRole('textbox', { name: '关键词' }).fill('吗，？，?，了，的，我，你，有，么');
    await rule.getByRole('combobox', { name: '用团队短语回复' }).selectOption('e2e-chart');
    expect(await rule.getByRole('textbox', { name: '回复内容' }).inputValue()).toBe(ANSWER);
    await rule.getByRole('group', { name: '回复附带的图片' }).getByRole('img').waitFor();
    await page.getByRole('textbox', { name: '试一试：买家说' }).fill('这件有货吗');
    await page.getByText(`会自动回复：${ANSWER}（并附图片）`).waitFor();
    await page.screenshot({ path: path.join(process.env.JIEDAI_SHOTS ?? os.tmpdir(), 'jiedai-automation-rule-picture-1280.png') });
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'automation-rules.png') });
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').waitFor();

    // The ninth minute: nothing yet (a runner round is at most 5 s apart).
    setClock(9 * 60_000);
    await page.waitForTimeout(6_000);
    expect(remindersOf()).toBe(0);
    // The tenth: the reminder goes out, once.
    setClock(10 * 60_000 + 1_000);
    await expect.poll(remindersOf, { timeout: 20_000 }).toBe(1);

    await page.getByRole('navigation').getByRole('button', { name: '接待台' }).click();
    // The buyer may be a colleague's: the whole shop's list.
    await page.getByRole('tab', { name: /^全部/ }).click();
    await page.getByRole('searchbox', { name: '搜索买家昵称' }).fill(buyer.nick);
    await page.getByRole('option').filter({ hasText: buyer.nick }).first().click();
    const log = page.getByRole('log', { name: `与 ${buyer.nick} 的聊天记录` });
    const card = log.locator('.message-automated', { hasText: ORDER_NO });
    await card.waitFor({ timeout: 15_000 });
    expect(await card.locator('.automated-label').textContent()).toBe('自动催付');
    expect(await card.locator('.card-label').textContent()).toBe('催付卡片');
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'automation-card.png') });

    // Demo buyers keep writing; the keyword rule answers one, marked 自动回复. Its conversation is
    // opened by its id and the answer looked for in that conversation only: a nick can be part of
    // another's (小鹿 and tb_小鹿), and the conversation shown before may hold an answer of its own.
    await expect.poll(answered, { timeout: 60_000 }).not.toBeNull();
    const { conversationId, nick } = answered()!;
    await page.getByRole('searchbox', { name: '搜索买家昵称' }).fill(nick);
    await page.locator(`[role="option"][data-conversation-id="${conversationId}"]`).click();
    const view = page.locator(`section.conversation-view[data-conversation-id="${conversationId}"]`);
    const reply = view.locator('.message-automated', { hasText: ANSWER }).first();
    await reply.waitFor({ timeout: 15_000 });
    expect(await reply.locator('.automated-label').textContent()).toBe('自动回复');
    // Then the phrase's picture, shown from the shop's file, marked 自动回复 too.
    const picture = view.locator('.message-automated', { has: page.locator('img') }).first();
    await picture.locator('img').waitFor({ timeout: 15_000 });
    expect(await picture.locator('.automated-label').textContent()).toBe('自动回复');
    expect(await picture.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(48);
    await page.screenshot({ path: path.join(process.env.JIEDAI_SHOTS ?? os.tmpdir(), 'jiedai-automation-picture-1280.png') });

    // A red-line word in the composer is marked and asked about before it is sent.
    const box = page.getByRole('textbox', { name: '回复内容' });
    await box.click();
    await box.pressSequentially('加微信给您优惠');
    await expect.poll(() => page.locator('.composer-backdrop mark.red-line').allTextContents()).toEqual(['加微信']);
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog', { name: '这条回复含有平台红线词' }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('the 催付 screen holds at 1024×768, tabs move with the arrow keys', async () => {
    const page = await openDesk(1024, 768);
    const account = page.getByRole('combobox', { name: '当前账号' });
    const lead = await account.locator('option', { hasText: '主管' }).first().getAttribute('value');
    await account.selectOption(lead!);
    await page.getByRole('navigation').getByRole('button', { name: '催付' }).click();
    await page.locator('tr[data-order-id]').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: path.join(process.env.JIEDAI_SHOTS ?? os.tmpdir(), 'jiedai-automation-queue-flash-1024.png') });
    await page.getByRole('tab', { name: '待付款' }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('tab', { name: '催付记录' }).getAttribute('aria-selected')).toBe('true');
    await page.getByText('今日催付').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(1024);
    // The header's last button (?) stays on screen with 催付 one screen more.
    const help = (await page.getByRole('button', { name: '快捷键' }).boundingBox())!;
    expect(help.x + help.width).toBeLessThanOrEqual(1024);
    if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: path.join(shots, 'automation-log-1024.png') });
    // 催付 at chosen hours: the field fits beside the rules at 1024 too.
    await page.getByRole('tab', { name: '催付规则' }).click();
    await page.getByRole('radio', { name: '在选定的整点' }).check();
    const hours = page.getByRole('textbox', { name: /^整点/ });
    expect(await hours.inputValue()).toBe('10, 15, 20');
    const box = (await hours.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: path.join(os.tmpdir(), 'jiedai-automation-hours-1024.png') });
    // A rule answering with the phrase that has a picture: the picture fits beside the rule at 1024.
    await page.getByRole('tab', { name: '自动回复' }).click();
    const rule = page.getByRole('listitem', { name: '规则 1' });
    // A shop of its own has no rule yet: this test adds one (not saved).
    await page.getByRole('button', { name: '添加规则' }).click();
    await rule.getByRole('combobox', { name: '用团队短语回复' }).selectOption('e2e-chart');
    const shown = (await rule.getByRole('group', { name: '回复附带的图片' }).boundingBox())!;
    expect(shown.x + shown.width).toBeLessThanOrEqual(1024);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: path.join(process.env.JIEDAI_SHOTS ?? os.tmpdir(), 'jiedai-automation-rule-picture-1024.png') });
    expect(pageErrors).toEqual([]);
  });
});
