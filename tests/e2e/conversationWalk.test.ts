import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, rowOf, startBrowserHost, type RunningHost } from './browserHost';

/**
 * An agent walks through the demo shop's conversations every way there is to switch (a click,
 * Alt+↓/Alt+↑, the nick search) while demo buyers keep writing. After every switch, and at every
 * change of the page in between (a watcher in the page), nothing on screen may belong to another
 * buyer: each bubble names its conversation, the buyer panel and each order card their buyer.
 */
let browser: Browser;
let host: RunningHost;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-walk-'));
  browser = await launchChromium();
  // Buyers write every ~0.4 s, so messages arrive in open and closed conversations during the walk.
  host = await startBrowserHost(dataDir, ['--demo-interval', '400']);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Shown = { conversationId: string; customerId: string; nick: string };

/** Installs the watcher: every DOM change re-checks that the chat and the panel are one buyer's. */
async function watchForStrangers(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __strangers: string[] };
    w.__strangers = [];
    const check = () => {
      const view = document.querySelector<HTMLElement>('.conversation-view');
      if (!view) return;
      const { conversationId, customerId } = view.dataset;
      const note = (what: string) => {
        if (w.__strangers.length < 20) w.__strangers.push(`${what} under ${view.getAttribute('aria-label')} (${conversationId})`);
      };
      for (const b of Array.from(view.querySelectorAll<HTMLElement>('[data-message-id]'))) {
        if (b.dataset.conversationId !== conversationId)
          note(`bubble "${b.querySelector('.text')?.textContent}" of ${b.dataset.conversationId}`);
      }
      const panel = document.querySelector<HTMLElement>('.customer-panel');
      if (!panel) return;
      if (panel.dataset.customerId !== customerId) note(`the panel of ${panel.dataset.customerId}`);
      const profile = panel.querySelector<HTMLElement>('.profile');
      if (profile && profile.dataset.customerId !== customerId) note(`the profile of ${profile.dataset.customerId}`);
      for (const card of Array.from(panel.querySelectorAll<HTMLElement>('.order-card'))) {
        if (card.dataset.customerId !== customerId) note(`order card ${card.getAttribute('aria-label')} of ${card.dataset.customerId}`);
      }
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

/** Waits until the chat and the panel show `expected` and have settled, then checks them once more. */
async function expectOpen(page: Page, expected: { conversationId: string; nick: string }) {
  const view = page.locator('.conversation-view');
  await expect.poll(() => view.getAttribute('data-conversation-id'), { message: `open ${expected.nick}` }).toBe(expected.conversationId);
  const customerId = (await view.getAttribute('data-customer-id')) ?? '';
  const state = () =>
    page.evaluate(
      (ids) => {
        const bubbles = Array.from(document.querySelectorAll<HTMLElement>('.conversation-view [data-message-id]')).map(
          (b) => b.dataset.conversationId,
        );
        const panel = document.querySelector<HTMLElement>('.customer-panel');
        return {
          bubbles: bubbles.length,
          strangers: bubbles.filter((id) => id !== ids.conversationId).length,
          nick: panel?.querySelector('.profile .nick')?.textContent ?? null,
          panelCustomer: panel?.dataset.customerId ?? null,
          cards: Array.from(panel?.querySelectorAll<HTMLElement>('.order-card') ?? []).filter(
            (c) => c.dataset.customerId !== ids.customerId,
          ).length,
          header: document.querySelector('.conversation-view .chat-header .nick')?.textContent ?? null,
        };
      },
      { conversationId: expected.conversationId, customerId },
    );
  // Every demo conversation has messages; the panel has the buyer once the replica read them.
  await expect
    .poll(
      async () => {
        const s = await state();
        return s.bubbles > 0 && s.nick !== null;
      },
      { message: `${expected.nick}'s chat and panel` },
    )
    .toBe(true);
  expect(await state()).toEqual({
    bubbles: expect.any(Number),
    strangers: 0,
    nick: expected.nick,
    panelCustomer: customerId,
    cards: 0,
    header: expected.nick,
  });
}

/** The row at `index`, its id and nick read in one go (read apart, the list can move in between: a buyer wrote). */
async function optionInfo(page: Page, index: number): Promise<Shown & { index: number }> {
  const { id, nick } = await rowOf(page.getByRole('listbox', { name: '会话列表' }).getByRole('option').nth(index));
  return { index, conversationId: id, customerId: '', nick };
}

/** Every row of the virtual list (scrolled through once), as conversation id → nick. */
async function everyRow(page: Page): Promise<Map<string, string>> {
  const scroller = page.locator('.conversation-scroller');
  const rows = new Map<string, string>();
  for (let step = 0; step < 50; step++) {
    const seen = await page
      .locator('[role="option"][data-conversation-id]')
      .evaluateAll((els) =>
        els.map((el) => [el.getAttribute('data-conversation-id') ?? '', el.querySelector('.nick')?.textContent ?? ''] as const),
      );
    for (const [id, nick] of seen) rows.set(id, nick);
    const atEnd = await scroller.evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      el.scrollTop += el.clientHeight * 0.8;
      return end;
    });
    if (atEnd) break;
  }
  await scroller.evaluate((el) => (el.scrollTop = 0));
  return rows;
}

async function openNow(page: Page): Promise<{ conversationId: string; nick: string }> {
  const view = page.locator('.conversation-view');
  return { conversationId: (await view.getAttribute('data-conversation-id')) ?? '', nick: (await view.getAttribute('aria-label')) ?? '' };
}

describe('walking through conversations', () => {
  it("shows only the open buyer's messages, profile and orders after every switch, by click, by Alt+↓/↑ and by the nick search", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    const options = page.getByRole('listbox', { name: '会话列表' }).getByRole('option');
    await options.first().waitFor();
    await expect.poll(() => page.locator('#conversation-list-title .count').textContent().then(Number)).toBeGreaterThanOrEqual(30);
    await watchForStrangers(page);
    const visited = new Set<string>();
    const nicks = new Map<string, string>(); // conversation id → nick, as the list shows them

    // By click: every row the list shows at first (the virtual list renders what fits, about 8 at 800 px).
    const rendered = Math.min(await options.count(), 10);
    for (let i = 0; i < rendered; i++) {
      const row = await optionInfo(page, i);
      nicks.set(row.conversationId, row.nick);
      await options.nth(i).click();
      // The list may have reordered under the pointer (a buyer wrote): what opened is what was clicked.
      const opened = await openNow(page);
      await expectOpen(page, opened);
      visited.add(opened.conversationId);
      nicks.set(opened.conversationId, opened.nick);
    }

    // By Alt+↓ twelve times, then Alt+↑ five times: each step opens another buyer.
    for (const [key, times] of [
      ['Alt+ArrowDown', 12],
      ['Alt+ArrowUp', 5],
    ] as const) {
      for (let i = 0; i < times; i++) {
        const before = (await openNow(page)).conversationId;
        await page.keyboard.press(key);
        await expect.poll(async () => (await openNow(page)).conversationId, { message: key }).not.toBe(before);
        const opened = await openNow(page);
        await expectOpen(page, opened);
        visited.add(opened.conversationId);
        nicks.set(opened.conversationId, opened.nick);
      }
    }

    // By the nick search: buyers not opened yet (the list is scrolled through to learn their nicks),
    // until at least 30 were opened, and at least ten searches.
    for (const [id, nick] of await everyRow(page)) if (!nicks.has(id)) nicks.set(id, nick);
    const search = page.getByRole('searchbox', { name: '搜索买家昵称' });
    const unvisited = [...nicks].filter(([id]) => !visited.has(id));
    const queue = [...unvisited, ...[...nicks].filter(([id]) => visited.has(id))];
    let searches = 0;
    for (const [conversationId, nick] of queue) {
      if (visited.size >= 30 && searches >= 10) break;
      await search.fill(nick);
      await page.locator(`[role="option"][data-conversation-id="${conversationId}"]`).click();
      await expectOpen(page, { conversationId, nick });
      visited.add(conversationId);
      searches += 1;
    }
    await search.fill('');

    expect(visited.size).toBeGreaterThanOrEqual(30);
    expect(await page.evaluate(() => (window as unknown as { __strangers: string[] }).__strangers)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
