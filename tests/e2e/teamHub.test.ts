import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { desk as hubSocket } from '../../src-main/hub/testing/hubKit';
import { HUB_OWNER, HubProcess, hubCliBundle, hubLogin, killAllHubs } from '../teamSync/hubProcess';
import { closeWithRetry, launchChromium, startBrowserHost, type RunningHost } from './browserHost';

/**
 * Issue 12's walk on a real `jiedai hub` process: two agents and a supervisor, each on their own
 * browser-mode desk (their own data folder, joined with `jiedai join`; 小美's while her desk is
 * already open), in Chromium. A buyer writes
 * through the hub's API channel and is routed to 阿杰 (the only agent 在线 at a desk); 阿杰 answers,
 * and the supervisor's 全部 shows the answer; 阿杰 transfers to 小美 with a note, which moves it to
 * 小美's desk with the system line; the supervisor imports a team phrase, and it reaches both agents'
 * quick-reply pickers.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = process.env.JIEDAI_SHOTS_DIR ?? path.join(os.tmpdir(), 'jiedai-shots');
const AJIE = { id: 'agent-ajie', nick: '阿杰', password: 'ajie-pass-123', role: 'agent' as const };
const XIAOMEI = { id: 'agent-xiaomei', nick: '小美', password: 'xiaomei-pass-123', role: 'agent' as const };
const LEAD = { id: 'lead-wang', nick: '王姐', password: 'wang-pass-123', role: 'supervisor' as const };

let browser: Browser;
let hub: HubProcess;
const hosts: RunningHost[] = [];
const dirs: string[] = [];

const temp = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jiedai-e2e-hub-${name}-`));
  dirs.push(dir);
  return dir;
};

/** `jiedai join` on a desk's folder (the password from the environment), before its app starts. */
function join(dataDir: string, account: { nick: string; password: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/jiedai.js'), 'join', '--hub', hub.url, '--account', account.nick, '--data-dir', dataDir],
      {
        cwd: ROOT,
        env: { ...process.env, JIEDAI_PASSWORD: account.password },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`jiedai join ${account.nick} exited ${code}: ${out}`))));
  });
}

const list = (page: Page) => page.getByRole('listbox', { name: '会话列表' });

/**
 * A desk signed in to the hub by `jiedai join` on its folder: before its app starts, or (`whileRunning`)
 * beside the running app, which takes the join up without a restart.
 */
async function openDesk(account: { nick: string; password: string }, options: { whileRunning?: boolean } = {}): Promise<Page> {
  const dir = temp(account.nick === AJIE.nick ? 'ajie' : account.nick === XIAOMEI.nick ? 'xiaomei' : 'lead');
  if (!options.whileRunning) await join(dir, account);
  const host = await startBrowserHost(dir, ['--no-demo-buyers']);
  hosts.push(host);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  await page.goto(host.url);
  if (options.whileRunning) {
    // Standalone on its demo shop first; then the CLI joins beside it.
    await list(page).getByRole('option').first().waitFor();
    expect(await page.getByRole('button', { name: /^团队中心：/ }).count()).toBe(0);
    await join(dir, account);
  }
  await page.getByRole('button', { name: '团队中心：在线' }).waitFor({ timeout: 30_000 });
  await page
    .locator('header.app-header')
    .getByText(new RegExp(`^${account.nick}（`))
    .waitFor();
  return page;
}

let apiToken = '';
let posted = 0;
async function buyerWrites(externalId: string, nick: string, text: string): Promise<void> {
  const response = await fetch(`${hub.url}/api/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json', 'idempotency-key': `${externalId}-${++posted}` },
    body: JSON.stringify({ buyer: { source: 'e2e', externalId, nick }, text }),
  });
  if (!response.ok) throw new Error(`POST /api/v1/messages: ${response.status} ${await response.text()}`);
}

const tab = (page: Page, label: string) => page.getByRole('tab', { name: new RegExp(`^${label}（\\d+）$`) });

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});

// Each try on a hub of its own, its desks closed after it: a first try that failed left the buyer
// routed or handed on, the phrase imported, and its desks signed in (小美's 在线, so a second try's
// buyer could go to her, not to 阿杰).
beforeEach(async () => {
  hub = new HubProcess(await hubCliBundle(), temp('hub'));
  await hub.init('团队小店');
  await hub.start();
  const owner = await hubLogin(hub.url, HUB_OWNER.nick, HUB_OWNER.password);
  const socket = await hubSocket({ port: hub.port, url: hub.url, sockets: () => 0, close: async () => undefined }, owner.token);
  for (const a of [AJIE, XIAOMEI, LEAD]) {
    const r = await socket.call('accounts.create', a);
    if (!r.ok) throw new Error(`accounts.create: ${r.error.message}`);
  }
  const token = await socket.call('apiTokens.create', { name: 'e2e', scope: 'inbound' });
  if (!token.ok) throw new Error(`apiTokens.create: ${token.error.message}`);
  apiToken = (token.value as { token: string }).token;
  socket.ws.close();
}, 120_000);

afterEach(async () => {
  for (const c of browser.contexts()) await closeWithRetry('a browser context', () => c.close());
  for (const h of hosts.splice(0)) await closeWithRetry('a desk host', () => h.stop(), { process: h.process });
  await closeWithRetry('the hub', hub && (() => hub.stop()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

afterAll(async () => {
  await closeWithRetry('Chromium', browser && (() => browser.close()));
  await killAllHubs();
});

describe('two agents and a supervisor on one real hub, in Chromium', () => {
  it('routes a buyer to A, shows A’s answer to the supervisor, transfers A → B with the line, and a team phrase reaches both', async () => {
    const errors: string[] = [];
    const lead = await openDesk(LEAD);
    lead.on('pageerror', (e) => errors.push(`lead: ${e.message}`));
    // The supervisor watches and takes no buyers; 小美's desk is not open yet: only 阿杰 can get one.
    await lead.getByRole('radio', { name: '挂起' }).click();
    const ajie = await openDesk(AJIE);
    ajie.on('pageerror', (e) => errors.push(`ajie: ${e.message}`));
    // A new account starts 离线: 阿杰 goes 在线 (his state is the hub's, and routing reads it there).
    await ajie.getByRole('radio', { name: '在线' }).click();
    await expect.poll(() => ajie.getByRole('radio', { name: '在线' }).isChecked(), { timeout: 15_000 }).toBe(true);

    const buyer = '买家小红';
    await buyerWrites('buyer-1', buyer, '你好，这件连衣裙有 M 码吗？');
    await tab(ajie, '我的').click();
    const ajieRow = list(ajie).getByRole('option', { name: new RegExp(buyer) });
    await ajieRow.waitFor({ timeout: 15_000 });
    await ajieRow.click();
    const ajieChat = ajie.getByRole('region', { name: buyer });
    await ajieChat.getByText('你好，这件连衣裙有 M 码吗？').waitFor();
    const reply = '有的亲，M 码现货，今天下单明天发';
    const box = ajie.getByRole('textbox', { name: '回复内容' });
    await box.fill(reply);
    await box.press('Enter');
    await ajieChat.getByText(reply, { exact: true }).waitFor();

    // The supervisor's 全部: the buyer, owned by 阿杰, with his answer in the history.
    await tab(lead, '全部').click();
    const leadRow = list(lead).getByRole('option', { name: new RegExp(buyer) });
    await leadRow.waitFor({ timeout: 15_000 });
    await leadRow.click();
    const leadChat = lead.getByRole('region', { name: buyer });
    await leadChat.getByText(reply, { exact: true }).waitFor({ timeout: 15_000 });
    await leadChat.getByText(/负责人：阿杰/).waitFor();
    await lead.screenshot({ path: path.join(SHOTS, 'team-hub-lead-all-1280x800.png') });

    // 小美 comes; 阿杰 hands the buyer to her with a note.
    // 小美's desk was already open when she ran `jiedai join`: it becomes the team's without a restart.
    const xiaomei = await openDesk(XIAOMEI, { whileRunning: true });
    await expect
      .poll(
        () =>
          list(xiaomei)
            .getByRole('option', { name: /买家小红/ })
            .count(),
        { timeout: 15_000 },
      )
      .toBe(1);
    xiaomei.on('pageerror', (e) => errors.push(`xiaomei: ${e.message}`));
    await ajieChat.getByRole('button', { name: '转接' }).click();
    const dialog = ajie.getByRole('dialog', { name: '转接会话' });
    await dialog.getByRole('radio', { name: /小美/ }).check({ timeout: 15_000 });
    await dialog.getByRole('textbox', { name: /备注/ }).fill('买家要 M 码，已确认有货，请跟进下单');
    await dialog.getByRole('button', { name: '确认转接' }).click();
    await dialog.waitFor({ state: 'detached' });

    await tab(xiaomei, '我的').click();
    const hers = list(xiaomei).getByRole('option', { name: new RegExp(buyer) });
    await hers.waitFor({ timeout: 15_000 });
    await hers.click();
    const herChat = xiaomei.getByRole('region', { name: buyer });
    await herChat.getByText('会话已由阿杰转接给小美。备注：买家要 M 码，已确认有货，请跟进下单').waitFor({ timeout: 15_000 });
    await herChat.getByText(reply, { exact: true }).waitFor();
    await herChat.getByText('负责人：我').waitFor();
    await xiaomei.screenshot({ path: path.join(SHOTS, 'team-hub-transferred-1280x800.png') });
    await xiaomei.setViewportSize({ width: 1024, height: 768 });
    await xiaomei.screenshot({ path: path.join(SHOTS, 'team-hub-transferred-1024x768.png') });
    await xiaomei.setViewportSize({ width: 1280, height: 800 });
    // Gone from 阿杰's 我的.
    await expect
      .poll(
        () =>
          list(ajie)
            .getByRole('option', { name: new RegExp(buyer) })
            .count(),
        { timeout: 15_000 },
      )
      .toBe(0);

    // The supervisor imports a team phrase; both agents' pickers find it.
    const csv = path.join(temp('phrases'), 'team.csv');
    fs.writeFileSync(csv, '\ufeff分组,快捷编码,标题,快捷短语\n售后,thx9,致谢,感谢亲的耐心等待，有问题随时找我们～\n');
    await lead.getByRole('button', { name: '短语库' }).click();
    await lead.getByRole('button', { name: '导入…' }).click();
    const importer = lead.getByRole('dialog', { name: '导入短语' });
    await importer.getByLabel('选择文件（.xlsx / .csv / .tsv / .txt / .json）').setInputFiles(csv);
    await expect.poll(() => importer.getByRole('button', { name: '导入' }).isDisabled(), { timeout: 15_000 }).toBe(false);
    await importer.getByRole('button', { name: '导入' }).click();
    await importer.getByText('已导入 1 条短语').waitFor({ timeout: 15_000 });
    await importer.getByRole('button', { name: '关闭' }).click();

    for (const page of [xiaomei, ajie]) {
      const first = list(page).getByRole('option').first();
      if ((await tab(page, '全部').count()) > 0) await tab(page, '全部').click();
      await first.click();
      const input = page.getByRole('textbox', { name: '回复内容' });
      await expect
        .poll(
          async () => {
            await input.fill('');
            await input.pressSequentially('/thx9');
            return page.getByRole('dialog', { name: '快捷短语' }).getByText('感谢亲的耐心等待').count();
          },
          { timeout: 20_000, interval: 1000 },
        )
        .toBeGreaterThan(0);
      await input.press('Escape');
    }
    expect(errors).toEqual([]);
  }, 240_000);
});
