import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../../src-main/core/core';
import { startHub, type Hub } from '../../src-main/hub/hubServer';
import { desk as hubSocket } from '../../src-main/hub/testing/hubKit';
import { pngOf } from '../../src-main/services/channels/testing/png';
import { closeWithRetry, launchChromium, startBrowserHost, type RunningHost } from './browserHost';

/**
 * Issue 13's first proof, in two real browsers: a plain HTML "shop" page on its own origin embeds
 * the widget's snippet (the buyer's Chromium context), and an agent's browser-mode desk joined to the
 * hub with `jiedai join` (a second, separate context). The buyer asks; the question reaches the desk
 * of the agent who is 在线; she answers with a team phrase picked in the quick-reply picker; the
 * buyer sees it under her nick. The buyer's network goes away: the buyer writes, the agent answers
 * meanwhile; the network comes back and each side shows each message exactly once. A picture goes
 * each way. (The hub is in-process, as in widget.test.ts: it is the one that serves dist/widget.)
 * Screenshots of both sides at 1280×800 to $JIEDAI_SHOTS.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const WIDGET_DIR = path.join(ROOT, 'dist/widget');
const SHOTS = process.env.JIEDAI_SHOTS ?? path.join(os.tmpdir(), 'jiedai-widget-desk-shots');
const VIEWPORT = { width: 1280, height: 800 };
const WAIT = 30_000;

const OWNER = { nick: '店长', password: 'owner-pass-123' };
const AGENT = { id: 'agent-xm', nick: '小美', password: 'agent-pass-123' };
const WELCOME = '您好，欢迎光临晴天小铺，有什么可以帮您？';
const PHRASE = { code: 'xlxh', content: '有的亲，XL 码现货，今天下单明天发～' };

let browser: Browser;
let core: Core;
let hub: Hub;
let shop: http.Server;
let shopUrl: string;
let host: RunningHost | undefined;
const dirs: string[] = [];
const contexts: BrowserContext[] = [];

const temp = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jiedai-e2e-w2d-${name}-`));
  dirs.push(dir);
  return dir;
};

async function login(nick: string, password: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${hub.port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account: nick, password }),
  });
  return ((await r.json()) as { token: string }).token;
}

/** `jiedai join` on the desk's folder (the password from the environment), before its app starts. */
function join(dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/jiedai.js'), 'join', '--hub', `http://127.0.0.1:${hub.port}`, '--account', AGENT.nick, '--data-dir', dataDir],
      { cwd: ROOT, env: { ...process.env, JIEDAI_PASSWORD: AGENT.password }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`jiedai join exited ${code}: ${out}`))));
  });
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(WIDGET_DIR, 'widget.js')))
    throw new Error('dist/widget is missing: run npm run build first (npm test does)');
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});

// Each try on a hub, a shop's site and a desk of their own: a first try that failed left its desk
// signed in and 在线, its buyer's conversation (with the same question) in 我的, and maybe the hub
// stopped mid-outage, none of which a second try can start from.
beforeEach(async () => {
  core = new Core({ dataDir: temp('hub'), hub: {}, keepBackups: 0, watchOtherWritersMs: false });
  await core.initShop('晴天小铺', OWNER.nick, OWNER.password);
  hub = await startHub({ core, port: 0, widget: { widgetDir: WIDGET_DIR } });
  const hubBase = `http://127.0.0.1:${hub.port}`;

  // The owner: an agent account, the widget on, and a team phrase.
  const owner = await hubSocket(hub, await login(OWNER.nick, OWNER.password));
  const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }, what: string): T => {
    if (!r.ok) throw new Error(`${what}: ${r.error.message}`);
    return r.value;
  };
  ok(await owner.call('accounts.create', { id: AGENT.id, nick: AGENT.nick, role: 'agent', password: AGENT.password }), 'accounts.create');
  const saved = ok(
    await owner.call('widget.save', {
      enabled: true,
      welcomeText: WELCOME,
      offlineText: '',
      hours: null,
      publicUrl: hubBase,
      allowedOrigins: [],
    }),
    'widget.save',
  ) as { snippet: { script: string } };
  ok(await owner.call('phraseGroups.save', { id: 'grp-presale', scope: 'team', name: '售前' }), 'phraseGroups.save');
  ok(
    await owner.call('phrases.save', { id: 'phr-xl', groupId: 'grp-presale', code: PHRASE.code, title: '有货', content: PHRASE.content }),
    'phrases.save',
  );
  owner.ws.close();

  // The shop's own site on another origin (localhost, not 127.0.0.1), the one <script> tag in it.
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>晴天小铺</title></head>
<body style="margin:0;font-family:sans-serif;background:#fafafa">
<header style="background:#ff7a45;color:#fff;padding:18px 24px;font-size:22px">晴天小铺 · 夏季新品</header>
<main style="padding:24px;display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:16px">
${Array.from({ length: 8 }, (_, i) => `<div style="background:#fff;border-radius:8px;padding:12px"><div style="height:110px;background:#ffe7ba;border-radius:6px"></div><p>纯棉短袖 T 恤 ${i + 1}</p><b style="color:#f5222d">¥${59 + i * 10}</b></div>`).join('')}
</main>
${saved.snippet.script}
</body></html>`;
  shop = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://localhost:${(shop.address() as AddressInfo).port}/`;
}, 120_000);

afterEach(async () => {
  for (const c of contexts.splice(0)) await closeWithRetry('a browser context', () => c.close());
  if (host) {
    const h = host;
    host = undefined;
    await closeWithRetry('the desk host', () => h.stop(), { process: h.process });
  }
  await closeWithRetry('the hub', hub && (() => hub.close()));
  core?.close();
  await closeWithRetry('the shop', shop && (() => new Promise<void>((resolve) => shop.close(() => resolve()))));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

afterAll(async () => {
  await closeWithRetry('Chromium', browser && (() => browser.close()));
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}-1280x800.png`) });
}

/** How many of a side's bubbles hold this text. */
const countOf = (bubbles: Locator, text: string) => bubbles.filter({ hasText: text }).count();

describe('a buyer on a shop’s page and an agent at a joined desk, in two browsers', () => {
  it('carries question, phrase answer, an outage’s messages (once each) and pictures both ways', async () => {
    const errors: string[] = [];

    // ── The agent's desk: joined to the hub, 在线 ──
    const deskDir = temp('desk');
    await join(deskDir);
    host = await startBrowserHost(deskDir, ['--no-demo-buyers'], { startTimeoutMs: 60_000 });
    const agentContext = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    contexts.push(agentContext);
    agentContext.setDefaultTimeout(WAIT);
    const desk = await agentContext.newPage();
    desk.on('pageerror', (e) => errors.push(`desk: ${e.message}`));
    await desk.goto(host.url);
    await desk.getByRole('button', { name: '团队中心：在线' }).waitFor({ timeout: 60_000 });
    await desk
      .locator('header.app-header')
      .getByText(/^小美（/)
      .waitFor();
    await desk.getByRole('radio', { name: '在线' }).click();
    await expect.poll(() => desk.getByRole('radio', { name: '在线' }).isChecked(), { timeout: WAIT }).toBe(true);

    // ── The buyer's browser: the shop's page, the widget's button, the chat ──
    const buyerContext = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    contexts.push(buyerContext);
    buyerContext.setDefaultTimeout(WAIT);
    const shopPage = await buyerContext.newPage();
    shopPage.on('pageerror', (e) => errors.push(`shop: ${e.message}`));
    await shopPage.goto(shopUrl);
    await shopPage.getByRole('button', { name: '咨询客服' }).click();
    const chat: FrameLocator = shopPage.frameLocator('iframe[data-jiedai="chat"]');
    await chat.getByText(WELCOME).waitFor();
    // The hub knows an agent is at a desk and 在线.
    await chat.getByText('客服在线').waitFor();

    // ── Buyer asks ──
    const question = '这款 T 恤有 XL 码吗？';
    const buyerBox = chat.getByRole('textbox', { name: '输入消息…' });
    await buyerBox.fill(question);
    await buyerBox.press('Enter');
    await chat.locator('.jc-msg.jc-buyer:not(.jc-pending)', { hasText: question }).waitFor();

    // ── The agent's desk shows it, in 我的 (routed to her) ──
    const list = desk.getByRole('listbox', { name: '会话列表' });
    await desk.getByRole('tab', { name: /^我的（\d+）$/ }).click();
    const row = list.getByRole('option').first();
    await row.waitFor();
    await row.click();
    const log = desk.getByRole('log');
    const deskBuyer = log.locator('.message-buyer');
    const deskAgent = log.locator('.message-agent');
    await deskBuyer.filter({ hasText: question }).waitFor();

    // ── She answers with the team phrase, picked in the quick-reply picker ──
    const reply = desk.getByRole('textbox', { name: '回复内容' });
    await reply.click();
    await reply.pressSequentially(`/${PHRASE.code}`);
    const picker = desk.getByRole('dialog', { name: '快捷短语' });
    await picker.waitFor();
    await picker.getByRole('option').filter({ hasText: PHRASE.content }).waitFor();
    await shot(desk, 'w2d-desk-picker');
    await reply.press('Enter');
    await expect.poll(() => reply.inputValue(), { timeout: WAIT }).toBe(PHRASE.content);
    await reply.press('Enter');
    await deskAgent.filter({ hasText: PHRASE.content }).waitFor();

    // ── The buyer sees it, with the agent's nick ──
    const widgetAgent = chat.locator('.jc-msg.jc-agent');
    const widgetBuyer = chat.locator('.jc-msg.jc-buyer');
    const answer = widgetAgent.filter({ hasText: PHRASE.content });
    await answer.waitFor();
    expect(await answer.locator('.jc-nick').textContent()).toBe(AGENT.nick);
    await shot(shopPage, 'w2d-buyer-answered');

    // ── The buyer's network goes away mid-conversation ──
    await buyerContext.setOffline(true);
    await chat.getByText('连接中断，正在重连…').waitFor();
    const whileOff = '那我拍两件，可以包邮吗？';
    await buyerBox.fill(whileOff);
    await buyerBox.press('Enter');
    await chat.locator('.jc-pending', { hasText: whileOff }).waitFor();
    // The agent writes meanwhile (the buyer cannot hear it yet).
    const meanwhile = '亲，满 99 包邮哦';
    await reply.fill(meanwhile);
    await reply.press('Enter');
    await deskAgent.filter({ hasText: meanwhile }).waitFor();
    await expect.poll(() => log.locator('.message-agent.outgoing-pending').count(), { timeout: WAIT }).toBe(0);
    await shot(shopPage, 'w2d-buyer-offline');
    // Neither side heard the other while the buyer was cut off.
    expect(await countOf(widgetAgent, meanwhile)).toBe(0);
    expect(await countOf(deskBuyer, whileOff)).toBe(0);
    expect(await chat.locator('.jc-pending', { hasText: whileOff }).count()).toBe(1);

    // ── Back online: the queued message goes, the missed reply arrives, once each ──
    await buyerContext.setOffline(false);
    await widgetAgent.filter({ hasText: meanwhile }).waitFor();
    await chat.locator('.jc-pending').waitFor({ state: 'detached' });
    await deskBuyer.filter({ hasText: whileOff }).waitFor();
    const expected = { buyer: [question, whileOff], agent: [PHRASE.content, meanwhile] };
    // Counted again after a while: a late resend or a second catch-up would show here.
    await expect
      .poll(
        async () => ({
          widgetBuyer: await widgetBuyer.count(),
          widgetAgent: await widgetAgent.count(),
          deskBuyer: await deskBuyer.count(),
          deskAgent: await deskAgent.count(),
        }),
        { timeout: WAIT },
      )
      .toEqual({ widgetBuyer: 2, widgetAgent: 2, deskBuyer: 2, deskAgent: 2 });
    for (const text of expected.buyer) {
      expect(await countOf(widgetBuyer, text)).toBe(1);
      expect(await countOf(deskBuyer, text)).toBe(1);
    }
    for (const text of expected.agent) {
      expect(await countOf(widgetAgent, text)).toBe(1);
      expect(await countOf(deskAgent, text)).toBe(1);
    }
    expect(await chat.getByText('连接中断，正在重连…').count()).toBe(0);
    await shot(shopPage, 'w2d-buyer-back');
    await shot(desk, 'w2d-desk-back');

    // ── A picture from the buyer shows on the desk as a picture ──
    const picture = path.join(temp('pictures'), 'parcel.png');
    fs.writeFileSync(picture, pngOf(120, 80));
    await chat.locator('input.jc-file').setInputFiles(picture);
    await chat.locator('.jc-msg.jc-buyer:not(.jc-pending) img.jc-img').waitFor();
    const deskPicture = log.locator('.message-buyer img.message-image');
    await deskPicture.waitFor();
    await expect.poll(() => deskPicture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: WAIT }).toBe(120);

    // ── A picture from the agent (pasted into the reply box) shows in the widget ──
    await reply.evaluate((box, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'size-chart.png', { type: 'image/png' }));
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, pngOf(160, 90).toString('base64'));
    await desk.getByRole('group', { name: '待发送的图片' }).waitFor();
    await reply.press('Enter');
    await log.locator('.message-agent img.message-image').last().waitFor();
    const widgetPicture = chat.locator('.jc-msg.jc-agent img.jc-img[src^="blob:"]');
    await widgetPicture.waitFor();
    await expect
      .poll(() => widgetPicture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: WAIT })
      .toBe(160);
    // The chat followed it down: the buyer sees the whole picture without scrolling.
    await expect
      .poll(
        () =>
          widgetPicture.evaluate((img) => {
            const shown = img.closest('.jc-list')!.getBoundingClientRect();
            const r = img.getBoundingClientRect();
            return r.top >= shown.top - 1 && r.bottom <= shown.bottom + 1;
          }),
        { timeout: WAIT },
      )
      .toBe(true);
    // One picture each way, on each side.
    expect(await chat.locator('.jc-msg img.jc-img').count()).toBe(2);
    expect(await log.locator('img.message-image').count()).toBe(2);
    await shot(shopPage, 'w2d-buyer-pictures');
    await shot(desk, 'w2d-desk-pictures');
    expect(errors).toEqual([]);
  }, 300_000);
});
