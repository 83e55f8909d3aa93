import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Core, DATA_FILE } from '../../src-main/core/core';
import { closeShop } from '../../src-main/core/openShop';
import { reportService } from '../../src-main/services/reports/reportService';
import { seedMessageHistory } from '../../src-main/services/demo/seedHistory';
import { openStore } from '../../src-main/store';
import type { Scenario } from '../harness';

/**
 * First open of a big shop in a fresh Chromium profile (issue 18; performance.md: list ≤ 2 s, first
 * conversation ≤ 3 s, warm ≤ 1.5 s). The demo shop with 1,000,000 messages of history (as
 * `seed-demo --messages 1000000` writes it: tens of thousands of buyers, their tags and orders) in
 * browser mode; a new browser context (an empty IndexedDB) opens the desk's address:
 * - list: until the conversation list shows its first row;
 * - conversation: until a click on it shows that buyer's messages;
 * - warm: a new page in the same context (the replica kept) until the list shows again.
 * The shop is in its steady state (report rollups current, closed cleanly); the host's start (its
 * daily backup included) is before the clock starts.
 * Baseline, same run: the page's own load (DOMContentLoaded of the desk's address in a fresh context),
 * the floor every open pays before any data.
 */
export type FirstOpenResult = {
  messages: number;
  customers: number;
  listMs: number;
  conversationMs: number;
  warmMs: number;
  pageLoadMs: number;
  replicaCustomers: number;
};

/** `dir`: a data folder already seeded (kept afterwards), instead of seeding `messages` into a new one. */
export async function runFirstOpen(options: { messages: number; dir?: string }): Promise<FirstOpenResult> {
  const { launchChromium, startBrowserHost } = await import('../../tests/e2e/browserHost');
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bench-first-open-'));
  if (!options.dir) new Core({ dataDir: dir, demoBuyers: { enabled: false } }).close();
  const file = path.join(dir, DATA_FILE);
  const seeding = openStore(file);
  if (!options.dir) seedMessageHistory(seeding, { messages: options.messages, now: Date.now() });
  // A shop in its steady state, as a desk that has run finds it: the report rollups current, the
  // file closed cleanly (no quick check at the next start).
  reportService({ store: seeding, now: Date.now, log: () => undefined, background: false }).catchUpAll();
  const messages = seeding.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
  const customers = seeding.db.prepare('SELECT count(*) FROM customers').pluck().get() as number;
  closeShop(seeding, dir, file);
  const host = await startBrowserHost(dir, ['--no-demo-buyers']);
  const browser = await launchChromium();
  try {
    const floor = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const bare = await floor.newPage();
    const loadStarted = performance.now();
    await bare.goto(host.url, { waitUntil: 'domcontentloaded' });
    const pageLoadMs = performance.now() - loadStarted;
    await floor.close();

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(host.url);
    const first = page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first();
    await first.waitFor({ timeout: 300_000 });
    const listMs = performance.now() - started;
    const nick = (await first.locator('.nick').first().textContent())!.trim();
    const clicked = performance.now();
    await first.click();
    await page
      .getByRole('log', { name: `与 ${nick} 的聊天记录` })
      .locator('[data-conversation-id]')
      .first()
      .waitFor({ timeout: 300_000 });
    const conversationMs = listMs + (performance.now() - clicked);
    const replicaCustomers = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open('jiedai-replica');
          open.onsuccess = () => {
            const count = open.result.transaction('customers').objectStore('customers').count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => resolve(-1);
          };
          open.onerror = () => resolve(-1);
        }),
    );
    await page.close();

    const again = await context.newPage();
    const warmStarted = performance.now();
    await again.goto(host.url);
    await again.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().waitFor({ timeout: 60_000 });
    const warmMs = performance.now() - warmStarted;
    await context.close();
    return { messages, customers, listMs, conversationMs, warmMs, pageLoadMs, replicaCustomers };
  } finally {
    await browser.close();
    await host.stop();
    if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

let shared: Promise<FirstOpenResult> | null = null;
const once = (quick: boolean) => (shared ??= runFirstOpen({ messages: quick ? 100_000 : 1_000_000 }));

const details = (r: FirstOpenResult) => ({
  messages: r.messages,
  customers: r.customers,
  replicaCustomers: r.replicaCustomers,
  listMs: Math.round(r.listMs),
  conversationMs: Math.round(r.conversationMs),
  warmMs: Math.round(r.warmMs),
});

const baseline = (r: FirstOpenResult) => ({
  label: "the desk page's own load in a fresh profile (DOMContentLoaded)",
  value: Math.round(r.pageLoadMs),
});

/** One figure of the shared run as a scenario (the three rows measure one open). */
const figure = (name: string, what: string, target: number, pick: (r: FirstOpenResult) => number): Scenario => ({
  name,
  what,
  unit: 'ms',
  better: 'lower',
  target,
  async run({ quick }) {
    const r = await once(quick);
    return { value: Math.round(pick(r)), baseline: baseline(r), details: details(r) };
  },
});

export const firstOpenListScenario = figure(
  'first-open-1m-list',
  'a fresh Chromium profile opens a 1M-message shop: address → the conversation list shown (--quick: 100k; needs npm run build)',
  2000,
  (r) => r.listMs,
);

export const firstOpenConversationScenario = figure(
  'first-open-1m-conversation',
  'the same fresh open: address → the first conversation clicked and its messages shown',
  3000,
  (r) => r.conversationMs,
);

export const warmOpenScenario = figure(
  'warm-open-1m-list',
  'the same shop opened again in the same profile (the replica kept): address → the list shown',
  1500,
  (r) => r.warmMs,
);
