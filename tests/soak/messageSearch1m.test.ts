import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../src-main/core/core';
import { seedDemoShop } from '../../src-main/services/demo/seedDemo';
import { seedMessageHistory } from '../../src-main/services/demo/seedHistory';
import { launchChromium, startBrowserHost, type RunningHost } from '../e2e/browserHost';

/**
 * The proof (issue 15), soak tier: in a shop of a million messages (the demo shop and a
 * year of history, as `seed-demo --messages 1000000` makes it), an agent searches 退款 in Chromium,
 * walks down to the third hit and opens it: the conversation opens scrolled to that very message.
 * (The fast tier's tests/e2e/messageSearch.test.ts does the same over 3,000 messages; the timing
 * targets are bench rows: search-1m-short and search-open-10k.) Needs `npm run build`.
 */
const MESSAGES = 1_000_000;
let browser: Browser;
let host: RunningHost;
let dataDir: string;
let hits: { id: string; text: string; conversationId: string }[];
let stored = 0;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-search-1m-'));
  const core = new Core({ dataDir, seedDemo: false, demoBuyers: { enabled: false } });
  try {
    const now = Date.now();
    seedDemoShop(core.store, { now });
    seedMessageHistory(core.store, { messages: MESSAGES, now });
    stored = core.store.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    // The newest hits first, as the search lists them.
    hits = core.store.db
      .prepare(
        `SELECT id, text, conversation_id AS conversationId FROM messages WHERE text LIKE '%退款%'
         ORDER BY created_at DESC, rowid DESC LIMIT 3`,
      )
      .all() as typeof hits;
  } finally {
    core.close();
  }
  browser = await launchChromium();
  const starting = performance.now();
  host = await startBrowserHost(dataDir, ['--no-demo-buyers'], { startTimeoutMs: 600_000 });
  console.log(`search-1m: the host started on ${stored} messages in ${Math.round(performance.now() - starting)} ms`);
}, 1_200_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('message search over a million messages, in Chromium', { timeout: 180_000 }, () => {
  it('finds 退款 and opens the third hit at that very message', async () => {
    expect(stored).toBeGreaterThanOrEqual(MESSAGES);
    expect(hits).toHaveLength(3);
    const target = hits[2]!;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(60_000);
    await page.goto(host.url);
    await page.getByRole('button', { name: '消息搜索' }).waitFor();
    await page.keyboard.press('Control+f');
    const search = page.getByRole('searchbox', { name: '搜索全部聊天消息' });
    await search.fill('退款');
    const results = page.getByRole('listbox', { name: '搜索结果' });
    const options = results.getByRole('option');
    await options.nth(2).waitFor();
    // Each hit marks the word; the first three are the three newest 退款 messages, in order.
    await expect.poll(() => options.first().locator('mark').first().textContent()).toBe('退款');
    for (const [i, hit] of hits.entries()) expect((await options.nth(i).textContent()) ?? '').toContain(hit.text.slice(0, 12));
    await search.press('ArrowDown');
    await search.press('ArrowDown');
    await search.press('Enter');
    const opened = page.locator(`[aria-current="true"] [data-message-id="${target.id}"]`);
    await opened.waitFor();
    expect(await opened.getAttribute('data-conversation-id')).toBe(target.conversationId);
    const box = await opened.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 800).toBe(true);
    if (process.env.JIEDAI_SHOTS) await page.screenshot({ path: path.join(process.env.JIEDAI_SHOTS, 'search-1m-1280.png') });
    await page.close();
  });
});
