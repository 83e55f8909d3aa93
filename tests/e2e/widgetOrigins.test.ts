import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationSummary, Message } from '../../shared/domain/types';
import { Core } from '../../src-main/core/core';
import { startHub, type Hub } from '../../src-main/hub/hubServer';
import { desk } from '../../src-main/hub/testing/hubKit';
import { launchChromium } from './browserHost';

/**
 * The widget on a shop's site served from another origin than the hub's (issue 13): three servers
 * on 127.0.0.1, each its own port and so its own origin: the hub, the shop the owner allowed
 * (`allowedOrigins`), and a site the owner did not name. On the allowed shop the script loads
 * cross-origin, the chat opens in the hub's frame, the buyer's token is kept in the shop's own
 * storage and a reload continues the conversation; the chat page's Content-Security-Policy names
 * the shop as the only frame ancestor, so the other site's frame stays empty; neither page's script
 * can read the hub's API (no CORS) nor open the chat's socket (its origin is checked).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const WIDGET_DIR = path.join(ROOT, 'dist/widget');
const SHOTS = process.env.JIEDAI_SHOTS ?? path.join(os.tmpdir(), 'jiedai-widget-shots');

let browser: Browser;
let core: Core;
let hub: Hub;
let dataDir: string;
let hubBase: string;
const servers: http.Server[] = [];
const contexts: BrowserContext[] = [];
let allowedShop: string;
let otherSite: string;

const OWNER = { nick: '店长', password: 'owner-pass-123' };
const AGENT = { id: 'agent-xm', nick: '小美', password: 'agent-pass-123' };

async function login(nick: string, password: string): Promise<string> {
  const r = await fetch(`${hubBase}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account: nick, password }),
  });
  return ((await r.json()) as { token: string }).token;
}

/** A plain site on its own 127.0.0.1 port; its page is made once the snippet is known. */
async function site(): Promise<{ url: string; setPage(html: string): void }> {
  let html = '';
  const server = http.createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, setPage: (h) => (html = h) };
}

const shopPage = (title: string, snippet: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="margin:0;font-family:sans-serif;background:#fafafa">
<header style="background:#13c2c2;color:#fff;padding:18px 24px;font-size:22px">${title}</header>
<main style="padding:24px">纯棉短袖 T 恤 · ¥59</main>
${snippet}
</body></html>`;

beforeAll(async () => {
  if (!fs.existsSync(path.join(WIDGET_DIR, 'widget.js')))
    throw new Error('dist/widget is missing: run npm run build first (npm test does)');
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});

// Each test (and a second try of one) on a hub and sites of their own: the first checks that the
// hub holds exactly its one conversation and its messages, which a second try would find twice.
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-e2e-origins-'));
  core = new Core({ dataDir, hub: {}, keepBackups: 0, watchOtherWritersMs: false });
  await core.initShop('青柠小铺', OWNER.nick, OWNER.password);
  hub = await startHub({ core, port: 0, widget: { widgetDir: WIDGET_DIR } });
  hubBase = `http://127.0.0.1:${hub.port}`;
  const shop = await site();
  const other = await site();
  allowedShop = shop.url;
  otherSite = other.url;
  const owner = await desk(hub, await login(OWNER.nick, OWNER.password));
  expect(await owner.call('accounts.create', { id: AGENT.id, nick: AGENT.nick, role: 'agent', password: AGENT.password })).toMatchObject({
    ok: true,
  });
  const saved = await owner.call('widget.save', {
    enabled: true,
    welcomeText: '您好，青柠小铺客服在此',
    offlineText: '',
    hours: null,
    publicUrl: hubBase,
    allowedOrigins: [allowedShop],
  });
  owner.ws.close();
  const snippet = (saved as { value: { snippet: { script: string } } }).value.snippet.script;
  expect(snippet).toContain(`${hubBase}/widget.js`);
  shop.setPage(shopPage('青柠小铺', snippet));
  other.setPage(shopPage('别人的网站', snippet));
});

afterEach(async () => {
  for (const c of contexts.splice(0)) await c.close();
  await hub?.close();
  core?.close();
  for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

async function open(url: string, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  contexts.push(context);
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(url);
  return { page, context };
}

const messagesOf = (conversationId: string): Message[] => core.store.messages.page(conversationId, 200).messages;
async function until<T>(read: () => T | undefined | null | false, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What a script on the page gets from the hub across origins: a fetch of the API, the chat's socket. */
async function reachFromPage(page: Page, hub: string) {
  return page.evaluate(async (base) => {
    const api = await fetch(`${base}/api/v1/openapi.json`).then(
      (r) => `read ${r.status}`,
      () => 'refused',
    );
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: '店长', password: 'x' }),
    }).then(
      (r) => `read ${r.status}`,
      () => 'refused',
    );
    const socket = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/widget/ws`);
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
      setTimeout(() => resolve('timeout'), 5000);
    });
    return { api, login, socket };
  }, hub);
}

describe('the widget on a shop’s site, another origin than the hub’s', () => {
  it('chats from the allowed shop: the script loads across origins, the token lives in the shop’s storage, a reload continues', async () => {
    const agent = await desk(hub, await login(AGENT.nick, AGENT.password));
    try {
      await agent.call('agents.setState', { state: 'online' });
      const { page, context } = await open(`${allowedShop}/`);
      await page.getByRole('button', { name: '咨询客服' }).click();
      const chat = page.frameLocator('iframe[data-jiedai="chat"]');
      await chat.getByText('您好，青柠小铺客服在此').waitFor();
      await chat.getByText('客服在线').waitFor();
      const box = chat.getByRole('textbox', { name: '输入消息…' });
      await box.fill('请问什么时候发货？');
      await box.press('Enter');
      const conversation = await until(
        () => (core.store.conversations.list('open', new Map()) as ConversationSummary[])[0],
        'the buyer’s conversation',
      );
      await agent.call('messages.send', { id: 'reply-ship', conversationId: conversation.id, text: '今天下午四点前发出' });
      await chat.locator('.jc-msg.jc-agent', { hasText: '今天下午四点前发出' }).waitFor();
      await page.screenshot({ path: path.join(SHOTS, 'widget-origins-1280.png') });
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: path.join(SHOTS, 'widget-origins-1024.png') });

      // The visitor's token is the shop's: in the shop origin's own storage (the hub's frame is third-party there).
      const kept = await page.evaluate((hub) => window.localStorage.getItem(`jiedai.widget.v1:${hub}`), hubBase);
      expect(kept).toBeTruthy();
      expect(kept).toContain('"token"');
      // A reload (a returning buyer on the same browser): the same conversation, its history, nothing twice.
      await page.reload();
      await page.getByRole('button', { name: '咨询客服' }).click();
      await chat.locator('.jc-msg.jc-agent', { hasText: '今天下午四点前发出' }).waitFor();
      await chat.getByRole('textbox', { name: '输入消息…' }).fill('好的谢谢');
      await chat.getByRole('textbox', { name: '输入消息…' }).press('Enter');
      await until(() => messagesOf(conversation.id).some((m) => m.text === '好的谢谢'), 'the second message in the same conversation');
      expect(messagesOf(conversation.id).map((m) => m.text)).toEqual(['请问什么时候发货？', '今天下午四点前发出', '好的谢谢']);
      expect(await chat.locator('.jc-msg').count()).toBe(3);
      expect(core.store.conversations.list('open', new Map())).toHaveLength(1);

      // The shop page's own script reaches nothing of the hub: no CORS on the API, the chat's socket refused.
      expect(await reachFromPage(page, hubBase)).toEqual({ api: 'refused', login: 'refused', socket: 'refused' });
      await context.close();
    } finally {
      agent.ws.close();
    }
  });

  it('serves the chat only into the origins the owner named: another site’s frame stays empty', async () => {
    const policy = (await fetch(`${hubBase}/chat?embed=1`)).headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`frame-ancestors ${allowedShop}`);
    expect(policy).not.toContain('frame-ancestors *');
    // The loader itself may be loaded by any page (it is only a button and a frame).
    const script = await fetch(`${hubBase}/widget.js`);
    expect(script.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(script.headers.get('access-control-allow-origin')).toBeNull();

    const { page } = await open(`${otherSite}/`);
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/frame-ancestors/.test(m.text())) refused.push(m.text());
    });
    await page.getByRole('button', { name: '咨询客服' }).click();
    const frame = page.locator('iframe[data-jiedai="chat"]');
    await frame.waitFor();
    await until(() => refused.length > 0, 'Chromium refusing the frame by its frame-ancestors');
    // Nothing of the chat rendered in it, and no visitor was made on the hub for this site.
    const child = page.frames().find((f) => f !== page.mainFrame());
    expect(
      await child
        ?.locator('#jiedai-chat')
        .count()
        .catch(() => 0),
    ).toBe(0);
    expect(await page.evaluate((hub) => window.localStorage.getItem(`jiedai.widget.v1:${hub}`), hubBase)).toBeNull();
    expect(await reachFromPage(page, hubBase)).toEqual({ api: 'refused', login: 'refused', socket: 'refused' });
  });
});
