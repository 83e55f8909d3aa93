import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DATA_FILE } from '../../src-main/core/core';
import { openDatabase } from '../../src-main/store/connection';
import { launchChromium, startBrowserHost, type RunningHost } from './browserHost';

/**
 * Two desks on one browser-mode host, each its own socket (and its own browser profile, so its own
 * replica): one switches to the supervisor, the other stays 小美, and each acts as itself, also after
 * the transport drops and both sockets come back.
 */
let browser: Browser;
let host: RunningHost;
let dataDir: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

// Each try on a host of its own: a first try that failed between pause and resume left the
// transport paused (and its desks still connected), which a second try would start from.
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-two-desks-'));
  host = await startBrowserHost(dataDir, ['--no-demo-buyers']);
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

function stored<T>(read: (db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(path.join(dataDir, DATA_FILE), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The nick of the agent who wrote the stored message with this text (null until it is stored). */
function authorOf(text: string): string | null {
  return stored(
    (db) =>
      (db.prepare('SELECT a.nick FROM messages m JOIN agents a ON a.id = m.agent_id WHERE m.text = ?').pluck().get(text) as
        string | undefined) ?? null,
  );
}

async function openDesk(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().waitFor();
  return page;
}

async function reply(page: Page, text: string): Promise<void> {
  await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().click();
  const box = page.getByRole('textbox', { name: '回复内容' });
  await box.fill(text);
  await box.press('Enter');
  await page.getByRole('log').getByText(text, { exact: true }).waitFor();
}

async function transport(action: 'pause' | 'resume'): Promise<void> {
  const token = /#token=([\w-]+)/.exec(host.url)![1]!;
  const res = await fetch(`${host.origin}/dev/transport/${action}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
}

const account = (page: Page) => page.getByRole('combobox', { name: '当前账号' });
const accountNick = async (page: Page) => ((await account(page).locator('option:checked').textContent()) ?? '').replace(/（.*$/, '');

describe('two desks in Chromium', () => {
  it("acts as each desk's own agent after one of them switches, and after both reconnect", async () => {
    const a = await openDesk();
    const b = await openDesk();
    await account(a).selectOption({ label: '主管-王姐（主管）' });
    await a.getByRole('button', { name: '聊天记录导出' }).waitFor();
    expect(await accountNick(b)).toBe('小美');

    const stamp = Date.now();
    await reply(b, `小美回复 #${stamp}`);
    await reply(a, `主管回复 #${stamp}`);
    await expect.poll(() => authorOf(`小美回复 #${stamp}`), { message: '小美’s reply is stored as hers', timeout: 15_000 }).toBe('小美');
    await expect
      .poll(() => authorOf(`主管回复 #${stamp}`), { message: 'the supervisor’s reply is stored as hers', timeout: 15_000 })
      .toBe('主管-王姐');
    expect(await b.getByRole('button', { name: '聊天记录导出' }).count()).toBe(0);

    // Both sockets drop and come back as new connections: each desk is still who it was.
    await transport('pause');
    await b.getByRole('status').filter({ hasText: '连接已断开' }).waitFor();
    await transport('resume');
    await expect
      .poll(() => b.getByRole('status').filter({ hasText: '连接已断开' }).count(), { message: 'desk B reconnects', timeout: 15_000 })
      .toBe(0);
    await reply(b, `重连后小美 #${stamp}`);
    await reply(a, `重连后主管 #${stamp}`);
    await expect.poll(() => authorOf(`重连后小美 #${stamp}`), { timeout: 15_000 }).toBe('小美');
    await expect.poll(() => authorOf(`重连后主管 #${stamp}`), { timeout: 15_000 }).toBe('主管-王姐');
    expect(await accountNick(b)).toBe('小美');
    expect(await accountNick(a)).toBe('主管-王姐');
  });
});
