import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { percentile, type Scenario } from '../harness';

/**
 * Enter → bubble sent (not pending), in Chromium against browser mode on the demo shop (issue 18;
 * performance.md: p95 ≤ 150 ms standalone). Timed in the page: from the Enter keydown to the DOM
 * showing that reply's bubble without the pending mark. Baseline, same run: a bare call round trip
 * from the page over its own WebSocket to the same host (`app.info`), the transport's floor.
 */
export const replyLatencyScenario: Scenario = {
  name: 'reply-latency-chromium',
  what: 'Enter → reply bubble sent (not pending) in Chromium on the demo shop, p95 over 50 sends (needs npm run build)',
  unit: 'ms',
  better: 'lower',
  target: 150,
  async run({ quick }) {
    const { launchChromium, startBrowserHost } = await import('../../tests/e2e/browserHost');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-bench-reply-'));
    const host = await startBrowserHost(dir, ['--no-demo-buyers']);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(host.url);
      await page.getByRole('listbox', { name: '会话列表' }).getByRole('option').first().click();
      const box = page.getByRole('textbox', { name: '回复内容' });
      await box.waitFor();
      const sends = quick ? 15 : 50;
      const samples: number[] = [];
      for (let i = 0; i < sends; i++) {
        const text = `bench-reply-${i}-${Date.now()}`;
        await box.fill(text);
        // Page code without named inner functions: tsx would wrap them in a helper the page lacks.
        const ms = await page.evaluate(
          (want) =>
            new Promise<number>((resolve, reject) => {
              const area = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="回复内容"]')!;
              let started = 0;
              const observer = new MutationObserver(() => {
                if (!started) return;
                for (const el of Array.from(document.querySelectorAll('.message .text'))) {
                  if (el.textContent === want && !el.closest('.outgoing-pending, .outgoing-failed')) {
                    observer.disconnect();
                    resolve(performance.now() - started);
                    return;
                  }
                }
              });
              observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
              setTimeout(() => (observer.disconnect(), reject(new Error('no sent bubble in 10 s'))), 10_000);
              started = performance.now();
              area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true }));
            }),
          text,
        );
        samples.push(ms);
      }
      // The floor: a bare call over a fresh WebSocket of the page's own kind, 50 round trips.
      const token = new URL(host.url).hash.replace(/^#token=/, '');
      const bare = await page.evaluate(
        async ({ token, runs }) => {
          const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(token)}`);
          await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
          const out: number[] = [];
          for (let i = 0; i < runs; i++) {
            const at = performance.now();
            await new Promise<void>((resolve) => {
              ws.onmessage = (e) => {
                const m = JSON.parse(String(e.data)) as { type: string; id?: number };
                if (m.type === 'result' && m.id === i) resolve();
              };
              ws.send(JSON.stringify({ type: 'call', id: i, method: 'app.info', args: {} }));
            });
            out.push(performance.now() - at);
          }
          ws.close();
          return out;
        },
        { token, runs: sends },
      );
      return {
        value: percentile(samples, 95),
        baseline: { label: 'bare app.info round trip over a page WebSocket (p95)', value: percentile(bare, 95) },
        details: { p50Ms: percentile(samples, 50), sends },
      };
    } finally {
      await browser.close();
      await host.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
