import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SERVER = path.join(ROOT, 'dist/main/host/server.js');

export type RunningHost = { url: string; origin: string; process: ChildProcess; stop(): Promise<void> };

/** A port free right now on 127.0.0.1, for a host that must come back on the same one (a restart). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the built browser-mode host (`npm run web` without the build) and waits for its URL.
 * `port` fixes the port (default: any free one; 'folder': the one the data folder keeps); the same
 * data folder keeps the same desk token. `startTimeoutMs` (default 20 s): a million-message shop's
 * first start took 18 s on a busy 2-core machine, and more than 20 s once.
 */
export async function startBrowserHost(
  dataDir: string,
  extraArgs: string[] = [],
  options: { port?: number | 'folder'; startTimeoutMs?: number } = {},
): Promise<RunningHost> {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run npm run build first (npm test does)`);
  // 'folder': no --port at all, so the host uses the data folder's own port (hostPort.ts).
  const portArgs = options.port === 'folder' ? [] : ['--port', String(options.port ?? 0)];
  const child = spawn(process.execPath, [SERVER, ...portArgs, '--data-dir', dataDir, ...extraArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host printed no URL in ${startTimeoutMs / 1000} s:\n${output}`)), startTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited (${code}) before printing a URL:\n${output}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Debian's Chromium, headless, as CI has it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/**
 * Teardown that a slow machine does not turn into a failed test: `close` (a browser's, a context's,
 * a host's or hub's stop) gets `attempts` tries of `timeoutMs` each; one that still fails is reported
 * as a warning, not thrown (what the test checked is already checked). `close` must be safe to call
 * again. A host process still alive after them is killed.
 */
export async function closeWithRetry(
  what: string,
  close: (() => Promise<unknown>) | undefined,
  options: { attempts?: number; timeoutMs?: number; process?: ChildProcess } = {},
): Promise<void> {
  const attempts = options.attempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 15_000;
  let last: unknown = null;
  for (let i = 0; close && i < attempts; i++) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        close(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${what}: not closed after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      last = null;
      break;
    } catch (error) {
      last = error;
    } finally {
      clearTimeout(timer);
    }
  }
  if (options.process && options.process.exitCode === null && options.process.signalCode === null) options.process.kill('SIGKILL');
  if (last !== null) process.emitWarning(`${what} did not close cleanly: ${last instanceof Error ? last.message : String(last)}`);
}

/**
 * The conversation a list row shows, its id and nick read in one go: a locator such as
 * `options.first()` is resolved again at each use, and the list may have moved in between (a buyer
 * wrote), so a nick read from it and a click on it can be two rows.
 */
export function rowOf(option: Locator): Promise<{ id: string; nick: string }> {
  return option.evaluate((el) => ({
    id: el.getAttribute('data-conversation-id') ?? '',
    nick: (el.querySelector('.nick')?.textContent ?? '').trim(),
  }));
}

/**
 * The list's row of one conversation, by its id: a nick can be part of another's (小鹿 and tb_小鹿),
 * and a row's preview can hold a nick, so `hasText: nick` may find another row.
 */
export function conversationRow(page: Page, id: string): Locator {
  return page.locator(`[role="option"][data-conversation-id="${id}"]`);
}

/** The open chat of one conversation, by its id (not the chat shown before it, nor one whose nick holds this one's). */
export function conversationView(page: Page, id: string): Locator {
  return page.locator(`section.conversation-view[data-conversation-id="${id}"]`);
}
