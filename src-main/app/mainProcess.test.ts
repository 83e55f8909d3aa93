import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The Electron runtime cannot run on the build machines, so the bundled main process is run in plain
// Node with `electron` swapped for testing/fakeElectron.mjs, against the real core in its worker
// thread and a real data folder. What this proves is the shell's wiring; Electron's own behaviour is
// imitated from its documentation.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const hooks = pathToFileURL(path.join(root, 'src-main/app/testing/registerFakeElectron.mjs')).href;

type Message = { type: string; id?: number; result?: unknown; error?: string; [key: string]: unknown };

let work: string;
let dataDir: string;
let child: ChildProcess;
const messages: Message[] = [];
const waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
let nextId = 1;
let exited: Promise<number | null>;

function waitFor(test: (m: Message) => boolean, timeoutMs = 15_000): Promise<Message> {
  const seen = messages.find(test);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for the main process')), timeoutMs);
    waiters.push({ test, resolve: (m) => (clearTimeout(timer), resolve(m)) });
  });
}

async function command<T = Record<string, unknown>>(cmd: Record<string, unknown>): Promise<T> {
  const id = nextId++;
  child.send({ ...cmd, id });
  const reply = await waitFor((m) => m.type === 'reply' && m.id === id);
  if (reply.error) throw new Error(reply.error);
  return reply.result as T;
}

const invoke = (method: string, args: unknown, from = 'desk') =>
  command<{ ok?: boolean; error?: { code: string }; value?: unknown; noHandler?: boolean }>({
    cmd: 'invoke',
    channel: `jiedai:${method}`,
    args,
    from,
  });

beforeAll(async () => {
  // Inside the project, so the bundle's external better-sqlite3 resolves to node_modules.
  const cache = path.join(root, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  work = fs.mkdtempSync(path.join(cache, 'jiedai-shell-'));
  await build({
    entryPoints: [
      path.join(root, 'src-main/app/main.ts'),
      path.join(root, 'src-main/core/worker.ts'),
      path.join(root, 'src-main/services/logExport/exportWorker.ts'),
    ],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: {
      js: "import { createRequire as __jiedaiCreateRequire } from 'node:module'; const require = __jiedaiCreateRequire(import.meta.url);",
    },
    external: ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate'],
    outbase: path.join(root, 'src-main'),
    outdir: path.join(work, 'main'),
    logLevel: 'silent',
  });
  fs.writeFileSync(path.join(work, 'package.json'), '{"type":"module"}');
  fs.mkdirSync(path.join(work, 'renderer'));
  fs.writeFileSync(path.join(work, 'renderer', 'index.html'), '<!doctype html><title>desk</title>');
  fs.writeFileSync(path.join(work, 'outside.txt'), 'secret');
  fs.symlinkSync(path.join(work, 'outside.txt'), path.join(work, 'renderer', 'linked.txt'));
  fs.symlinkSync('/etc/passwd', path.join(work, 'renderer', 'passwd'));
  dataDir = path.join(work, 'shop data');

  child = fork(path.join(work, 'main', 'app', 'main.js'), ['--data-dir', dataDir, '--no-demo-buyers'], {
    cwd: work,
    execArgv: ['--import', hooks],
    env: { ...process.env, JIEDAI_DATA_DIR: '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (process.env.DEBUG_SHELL) child.stderr?.on('data', (c: Buffer) => process.stderr.write(c));
  exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.on('message', (m: Message) => {
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.test(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  await waitFor((m) => m.type === 'loadURL').catch((error: unknown) => {
    throw new Error(`${String(error)}\n${stderr}`);
  });
}, 60_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the Electron main process (bundled, against a stand-in for Electron)', () => {
  it('registers jiedai: as a privileged standard, secure scheme, without CORS or CSP bypass', async () => {
    const state = await command<{ schemes: { scheme: string; privileges: Record<string, boolean> }[]; protocols: string[] }>({
      cmd: 'state',
    });
    expect(state.schemes).toHaveLength(1);
    expect(state.schemes[0]).toMatchObject({ scheme: 'jiedai', privileges: { standard: true, secure: true } });
    expect(state.schemes[0]!.privileges.corsEnabled).toBeFalsy();
    expect(state.schemes[0]!.privileges.bypassCSP).toBeFalsy();
    expect(state.protocols).toEqual(['jiedai']);
  });

  it('puts the shop and the window profile in --data-dir, under the single-instance lock, sandboxed', async () => {
    const state = await command<{ paths: Record<string, string> }>({ cmd: 'state' });
    expect(state.paths.userData).toBe(dataDir);
    expect(state.paths.sessionData).toBe(dataDir);
    expect(messages.some((m) => m.type === 'singleInstanceLock')).toBe(true);
    expect(messages.some((m) => m.type === 'enableSandbox')).toBe(true);
  });

  it('opens one isolated, sandboxed window on jiedai://app with the bundled preload', async () => {
    const window = messages.find((m) => m.type === 'window') as unknown as {
      options: { width: number; height: number; minWidth: number; webPreferences: Record<string, unknown> };
    };
    expect(window.options).toMatchObject({ width: 1280, height: 800, minWidth: 1024 });
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(window.options.webPreferences.preload).toBe(path.join(work, 'main', 'app', 'preload.cjs'));
    expect(messages.find((m) => m.type === 'loadURL')?.url).toBe('jiedai://app/index.html');
    expect((await command<{ windows: number }>({ cmd: 'state' })).windows).toBe(1);
  });

  it('serves the renderer folder with the CSP, and nothing outside it', async () => {
    const page = await command<{ status: number; headers: Record<string, string>; body: string }>({
      cmd: 'fetch',
      url: 'jiedai://app/index.html',
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>desk</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    const escape = await command<{ status: number; body: string }>({ cmd: 'fetch', url: 'jiedai://app/..%2foutside.txt' });
    expect(escape.status).toBe(404);
    expect(escape.body).not.toContain('secret');
    for (const url of ['jiedai://app/linked.txt', 'jiedai://app/passwd']) {
      const linked = await command<{ status: number; body: string }>({ cmd: 'fetch', url });
      expect(linked.status, url).toBe(404);
      expect(linked.body, url).not.toMatch(/secret|root:/);
    }
  });

  it('answers a contract call from the desk with the core’s real result', async () => {
    const info = await invoke('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { version: '0.0.0-test', demoBuyers: { enabled: false } } });
    expect(fs.existsSync(path.join(dataDir, 'jiedai.sqlite'))).toBe(true);
  });

  it('lets the core reject bad arguments with a typed error', async () => {
    expect(await invoke('messages.page', { conversationId: '../etc' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('refuses calls from a subframe or another window, and has no channel for undeclared methods', async () => {
    expect(await invoke('app.info', {}, 'subframe')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await invoke('app.info', {}, 'other-window')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await invoke('store.exec', { sql: 'DROP TABLE messages' })).toEqual({ noHandler: true });
  });

  it('forwards core events to the window on the event channel', async () => {
    const list = await invoke('conversations.list', { status: 'all' });
    const conversation = (list.value as { id: string }[])[0];
    expect(conversation).toBeDefined();
    const sent = await invoke('messages.send', { id: `shell-test-${Date.now()}`, conversationId: conversation!.id, text: '您好，在的' });
    expect(sent).toMatchObject({ ok: true });
    const event = await waitFor((m) => m.type === 'sent' && (m.args as unknown[])[0] === 'sync.poked');
    expect(event.channel).toBe('jiedai:event');
    expect((event.args as unknown[])[1]).toMatchObject({ head: expect.any(Number) });
  });

  it('keeps the window on the desk and sends only http(s) links to the system browser', async () => {
    expect(await command({ cmd: 'navigate', url: 'https://evil.example/' })).toEqual({ prevented: true });
    expect(await command({ cmd: 'navigate', url: 'jiedai://app/index.html#/orders' })).toEqual({ prevented: false });
    expect(await command({ cmd: 'open', url: 'file:///etc/passwd' })).toEqual({ action: 'deny', opened: [] });
    expect(await command({ cmd: 'open', url: 'https://item.taobao.com/item.htm?id=1' })).toEqual({
      action: 'deny',
      opened: ['https://item.taobao.com/item.htm?id=1'],
    });
  });

  it('denies permissions other than writing to the clipboard', async () => {
    expect(await command({ cmd: 'permission', permission: 'media', url: 'jiedai://app/index.html' })).toEqual({
      granted: false,
      check: false,
    });
    expect(await command({ cmd: 'permission', permission: 'clipboard-sanitized-write', url: 'jiedai://app/index.html' })).toEqual({
      granted: true,
      check: true,
    });
  });

  it('exports where the owner chose in the save dialog, never where the renderer says, and a closed dialog starts nothing', async () => {
    const agents = (await invoke('agents.list', {})).value as { id: string; role: string }[];
    await invoke('session.switchAgent', { agentId: agents.find((a) => a.role === 'owner' || a.role === 'supervisor')!.id });
    const filters = { from: '2020-01-01', to: '2100-12-31' };
    const victim = path.join(work, 'victim.csv');
    fs.writeFileSync(victim, 'keep me');
    // a renderer naming a path is refused by the contract itself
    expect(await invoke('logExport.start', { filters, format: 'csv', destination: { path: victim, overwrite: true } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep me');
    // closed dialog: no job
    const before = ((await invoke('logExport.list', {})).value as unknown[]).length;
    expect(await invoke('logExport.start', { filters, format: 'csv', locale: 'zh-CN' })).toEqual({ ok: true, value: null });
    expect(((await invoke('logExport.list', {})).value as unknown[]).length).toBe(before);
    const dialogs = await command<
      { options: { defaultPath: string; filters: { extensions: string[] }[]; properties: string[] }; withWindow: boolean }[]
    >({ cmd: 'saveDialogs' });
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]!.withWindow).toBe(true);
    expect(path.basename(dialogs[0]!.options.defaultPath)).toBe('聊天记录-2020-01-01_2100-12-31.csv');
    expect(dialogs[0]!.options.filters[0]!.extensions).toEqual(['csv']);
    expect(dialogs[0]!.options.properties).toContain('showOverwriteConfirmation');
    // the owner picks a file (the dialog has asked before replacing it)
    const chosen = path.join(work, 'chosen.csv');
    fs.writeFileSync(chosen, 'old');
    await command({ cmd: 'saveAnswer', answer: { canceled: false, filePath: chosen } });
    const started = await invoke('logExport.start', { filters, format: 'csv', locale: 'zh-CN' });
    expect(started).toMatchObject({ ok: true, value: { path: chosen } });
    const jobId = (started.value as { jobId: string }).jobId;
    const finished = await waitFor(
      (m) =>
        m.type === 'sent' &&
        (m.args as unknown[])[0] === 'logExport.finished' &&
        ((m.args as unknown[])[1] as { jobId: string }).jobId === jobId,
    );
    expect((finished.args as unknown[])[1]).toMatchObject({ status: 'done', path: chosen });
    expect(fs.readFileSync(chosen, 'utf8').charCodeAt(0)).toBe(0xfeff);
    // a name typed without the extension gets it, and is not silently written over
    fs.writeFileSync(path.join(work, 'typed.csv'), 'keep');
    await command({ cmd: 'saveAnswer', answer: { canceled: false, filePath: path.join(work, 'typed') } });
    expect(await invoke('logExport.start', { filters, format: 'csv', locale: 'zh-CN' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(fs.readFileSync(path.join(work, 'typed.csv'), 'utf8')).toBe('keep');
  });

  it('on quit, holds the exit until the core has closed the database, then exits cleanly', async () => {
    await command({ cmd: 'quit' });
    expect(await waitFor((m) => m.type === 'beforeQuit')).toMatchObject({ prevented: true });
    expect(await waitFor((m) => m.type === 'exit')).toMatchObject({ code: 0 });
    expect(await exited).toBe(0);
    // A clean close checkpoints the WAL into the database file and removes it.
    expect(fs.existsSync(path.join(dataDir, 'jiedai.sqlite-wal'))).toBe(false);
  });
});
